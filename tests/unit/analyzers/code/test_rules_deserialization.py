"""AIW-PY001 torch.load, AIW-PY002 pickle family, AIW-PY015 pickle over the network, AIW-PY022 YAML.

Also the metadata contract of every rule in the four AI-library rule modules.
"""

from __future__ import annotations

import pytest

from aiw_test_support import code_ids, code_issues
from aiwarden.analyzers.code import rules_deserialization as deser
from aiwarden.analyzers.code import rules_exposure, rules_frameworks, rules_hub
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.analyzers.code.python_source import python_rules
from aiwarden.core import Rule
from aiwarden.core.catalogue import load_catalogue
from aiwarden.core.severity import Confidence, Severity

MINE = frozenset({"AIW-PY001", "AIW-PY002", "AIW-PY015", "AIW-PY022"})


def issues(source: str) -> list[CodeIssue]:
    return code_issues(source, MINE)


def ids(source: str) -> list[str]:
    return code_ids(source, MINE)


# -- AIW-PY001 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import torch\nstate = torch.load(path)\n",
        "import torch\ntorch.load(path, weights_only=False)\n",
        "import torch as t\nt.load(path, map_location='cpu')\n",
        "from torch import load\nload(path)\n",
        "import torch.serialization as ts\nts.load(path)\n",
        "from torch.serialization import load as tload\ntload(f)\n",
        "import torch, dill\ntorch.load(f, pickle_module=dill, weights_only=True)\n",
        "import torch\nflag = False\ntorch.load(f, weights_only=flag)\n",
        "torch.load(path)\n",  # notebook cell: import in an earlier cell
        """
        import torch

        class Trainer:
            def restore(self, ckpt_path):
                state = torch.load(ckpt_path, map_location=self.device)
                self.model.load_state_dict(state["model"])
        """,
    ],
)
def test_unsafe_torch_load_is_reported(source: str) -> None:
    assert ids(source) == ["AIW-PY001"]


@pytest.mark.parametrize(
    "source",
    [
        "import torch\ntorch.load(f, weights_only=True)\n",
        "import torch\nflag = True\ntorch.load(f, weights_only=flag)\n",
        "import torch\nSAFE = dict(weights_only=True)\n",
        "import torch\ntorch.jit.load('model.pt')\n",
        "import torch\ntorch.save(model.state_dict(), path)\n",
        "from safetensors.torch import load_file\nload_file(path)\n",
        "import mylib\nmylib.load(path)\n",
        "def load(path):\n    return path\nload('x')\n",
    ],
)
def test_safe_torch_load_forms_are_not_reported(source: str) -> None:
    assert ids(source) == []


def test_weights_only_from_a_parameter_has_medium_confidence() -> None:
    found = issues(
        """
        import torch
        def load(path, weights_only):
            return torch.load(path, weights_only=weights_only)
        """
    )
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY001", Confidence.MEDIUM)]


def test_jit_and_package_loads_of_variable_paths_are_medium() -> None:
    found = issues(
        """
        import torch
        from torch.package import PackageImporter
        def f(path):
            torch.jit.load(path)
            PackageImporter(path)
        """
    )
    assert [(i.rule.id, i.severity) for i in found] == [
        ("AIW-PY001", Severity.MEDIUM),
        ("AIW-PY001", Severity.MEDIUM),
    ]


def test_torch_load_of_a_socket_body_is_critical() -> None:
    found = issues("import io, torch\ntorch.load(io.BytesIO(conn.recv(1 << 20)))\n")
    assert [(i.rule.id, i.severity) for i in found] == [("AIW-PY001", Severity.CRITICAL)]


# -- AIW-PY002 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import pickle\nwith open(p, 'rb') as f:\n    obj = pickle.load(f)\n",
        "import pickle\npickle.loads(blob)\n",
        "import cPickle\ncPickle.loads(blob)\n",
        "import _pickle\n_pickle.loads(blob)\n",
        "from pickle import Unpickler\nUnpickler(f).load()\n",
        "import dill\ndill.load(f)\n",
        "import cloudpickle as cp\ncp.loads(blob)\n",
        "import shelve\ndb = shelve.open('cache')\n",
        "import jsonpickle\njsonpickle.decode(text)\n",
        "import joblib\nmodel = joblib.load('model.joblib')\n",
        "from joblib import load\nclf = load(path)\n",
        "from sklearn.externals import joblib\njoblib.load(path)\n",
        "import pandas as pd\ndf = pd.read_pickle(path)\n",
        "import pandas\npandas.read_pickle(path)\n",
        "import numpy as np\nnp.load(path, allow_pickle=True)\n",
        "import numpy as np\nnp.load(path, None, True)\n",
        "from numpy import load\nload(path, allow_pickle=1)\n",
        "import skops.io as sio\nsio.load(path, trusted=True)\n",
        "import pickle\nloader = pickle.loads\nloader(blob)\n",
        "try:\n    import cPickle as pickle\nexcept ImportError:\n    import pickle\n"
        "pickle.load(f)\n",
    ],
)
def test_pickle_family_loads_are_reported(source: str) -> None:
    assert ids(source) == ["AIW-PY002"]


@pytest.mark.parametrize(
    "source",
    [
        "import numpy as np\nnp.load(path)\n",
        "import numpy as np\nnp.load(path, allow_pickle=False)\n",
        "import numpy as np\nnp.load(path, mmap_mode='r')\n",
        "import pickle\npickle.dumps(obj)\n",
        "import pickle\ncopy = pickle.loads(pickle.dumps(obj))\n",
        "import pickle\ns = pickle.dumps(obj)\nback = pickle.loads(s)\n",
        "import json\njson.loads(text)\n",
        "import skops.io as sio\n"
        "sio.load(path, trusted=['sklearn.linear_model.LogisticRegression'])\n",
        "import pickle\nclass SafeUnpickler(pickle.Unpickler):\n    pass\n",
        "def loads(x):\n    return x\nloads(b)\n",
    ],
)
def test_safe_or_round_trip_forms_are_not_pickle_findings(source: str) -> None:
    assert ids(source) == []


def test_allow_pickle_from_a_variable_is_medium_confidence() -> None:
    found = issues("import numpy as np\ndef f(p, ap):\n    return np.load(p, allow_pickle=ap)\n")
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY002", Confidence.MEDIUM)]


# -- AIW-PY015 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import zmq\nsock = zmq.Context().socket(zmq.PULL)\nmsg = sock.recv_pyobj()\n",
        """
        class Worker:
            def loop(self):
                while True:
                    task = self.socket.recv_pyobj()
        """,
        "import zmq.asyncio\nasync def f(s):\n    return await s.recv_pyobj()\n",
        "import pickle\ndata = conn.recv(4096)\nobj = pickle.loads(data)\n",
        "import pickle\ndef h(conn):\n    buf = b''\n    buf += conn.recv(1024)\n"
        "    return pickle.loads(buf)\n",
        "import pickle\nframes = sock.recv_multipart()\npickle.loads(frames[1])\n",
        "from flask import request\nimport pickle\npickle.loads(request.data)\n",
        "from flask import request\nimport pickle\npickle.loads(request.get_data())\n",
        "import pickle, base64\nfrom flask import request\n"
        "pickle.loads(base64.b64decode(request.form['payload']))\n",
        "import pickle\nasync def endpoint(request):\n"
        "    return pickle.loads(await request.body())\n",
        "import pickle\ndef view(request):\n    return pickle.loads(request.body)\n",
        "import pickle, requests\npickle.loads(requests.get(url).content)\n",
        "import pickle, requests\nr = requests.post(url, data=d)\nobj = pickle.loads(r.content)\n",
        "import pickle, urllib.request\npickle.loads(urllib.request.urlopen(url).read())\n",
        "import dill\nasync def on_message(ws):\n    return dill.loads(await ws.recv())\n",
        "import joblib, io\njoblib.load(io.BytesIO(sock.recv(1 << 20)))\n",
        "import pickle\nconn, addr = server.accept()\npickle.load(conn.makefile('rb'))\n",
        "import joblib\nfrom flask import request\nmodel = joblib.load(request.files['model'])\n",
        "from multiprocessing.connection import Listener\nListener(('0.0.0.0', 6000))\n",
        "from multiprocessing.connection import Client\nconn = Client(('10.0.0.5', 6000))\n",
        "import multiprocessing.connection as mpc\nmpc.Listener(address, authkey=None)\n",
        "import rpyc\nconn = rpyc.classic.connect('worker-1')\n",
        "from rpyc.utils.server import ThreadedServer\nfrom rpyc import SlaveService\n"
        "ThreadedServer(SlaveService, port=18812).start()\n",
        "import rpyc\nfrom rpyc.utils.server import ThreadedServer\n"
        "ThreadedServer(rpyc.ClassicService, port=1).start()\n",
    ],
)
def test_pickle_over_the_network_is_critical_and_not_also_py002(source: str) -> None:
    found = issues(source)
    assert [i.rule.id for i in found] == ["AIW-PY015"]
    assert found[0].rule.severity is Severity.CRITICAL


@pytest.mark.parametrize(
    "source",
    [
        "import json\nmsg = json.loads(sock.recv_string())\n",
        "from multiprocessing.connection import Listener\nListener(addr, authkey=b'secret')\n",
        "from multiprocessing.connection import Client\nClient(addr, None, b'k')\n",
        "import rpyc\nrpyc.connect('host', 18861)\n",
        "def recv_pyobj(self):\n    pass\n",
    ],
)
def test_authenticated_or_data_only_network_code_is_not_py015(source: str) -> None:
    assert ids(source) == []


def test_pickle_of_a_local_file_stays_py002() -> None:
    source = "import pickle\nwith open(p, 'rb') as f:\n    data = f.read()\npickle.loads(data)\n"
    assert ids(source) == ["AIW-PY002"]


# -- AIW-PY022 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "severity"),
    [
        ("import yaml\ncfg = yaml.load(f)\n", Severity.MEDIUM),
        ("import yaml\nyaml.load(f, Loader=yaml.Loader)\n", Severity.MEDIUM),
        ("import yaml\nyaml.load(f, yaml.UnsafeLoader)\n", Severity.MEDIUM),
        ("from yaml import load, Loader\nload(f, Loader)\n", Severity.MEDIUM),
        ("import yaml\nyaml.load_all(f, Loader=yaml.CLoader)\n", Severity.MEDIUM),
        ("import yaml\nyaml.unsafe_load(f)\n", Severity.MEDIUM),
        ("import yaml\nyaml.unsafe_load_all(f)\n", Severity.MEDIUM),
        ("import yaml\nyaml.full_load(f)\n", Severity.LOW),
        ("import yaml\nyaml.load(f, Loader=yaml.FullLoader)\n", Severity.LOW),
        ("import yaml as y\nL = y.Loader\ny.load(f, Loader=L)\n", Severity.MEDIUM),
        ("from ruamel.yaml import YAML\nYAML(typ='unsafe').load(f)\n", Severity.MEDIUM),
    ],
)
def test_unsafe_yaml_loads_are_reported(source: str, severity: Severity) -> None:
    found = issues(source)
    assert [i.rule.id for i in found] == ["AIW-PY022"]
    assert (found[0].severity or found[0].rule.severity) is severity


@pytest.mark.parametrize(
    "source",
    [
        "import yaml\nyaml.safe_load(f)\n",
        "import yaml\nyaml.load(f, Loader=yaml.SafeLoader)\n",
        "import yaml\nyaml.load(f, yaml.CSafeLoader)\n",
        "import yaml\nyaml.load(f, Loader=yaml.BaseLoader)\n",
        "from yaml import load, SafeLoader\nload(f, Loader=SafeLoader)\n",
        "import yaml\nyaml.load_all(f, Loader=yaml.SafeLoader)\n",
        "import yaml\nyaml.load(f, Loader=getattr(yaml, 'CSafeLoader', yaml.SafeLoader))\n",
        "import yaml\ntry:\n    from yaml import CSafeLoader as L\nexcept ImportError:\n"
        "    from yaml import SafeLoader as L\nyaml.load(f, Loader=L)\n",
        "import yaml\nclass StrictLoader(yaml.SafeLoader):\n    pass\n"
        "yaml.load(f, Loader=StrictLoader)\n",
        "import json\njson.load(f)\n",
        "from ruamel.yaml import YAML\nYAML(typ='safe').load(f)\n",
    ],
)
def test_safe_yaml_loads_are_not_reported(source: str) -> None:
    assert ids(source) == []


# -- metadata of every rule in the AI-library rule modules -----------------------------

MODULE_RULES: list[Rule] = [
    *deser.DeserializationChecker.rules,
    *rules_hub.HubChecker.rules,
    *rules_frameworks.FrameworkChecker.rules,
    *rules_exposure.ExposureChecker.rules,
]


@pytest.mark.parametrize("rule", MODULE_RULES, ids=lambda r: r.id)
def test_every_rule_has_complete_metadata(rule: Rule) -> None:
    catalogue = load_catalogue()
    assert rule in python_rules()
    assert rule.title and len(rule.summary) > 40
    assert "```python" in rule.help and len(rule.help) > 200
    assert len(rule.remediation) > 40
    assert rule.guidelines and all(catalogue.knows_guideline(g) for g in rule.guidelines)
    assert rule.owasp_llm and all(catalogue.owasp_name(o) for o in rule.owasp_llm)
    assert all(catalogue.atlas_name(a) for a in rule.atlas)
    assert rule.cwe
    assert rule.references and all(r.startswith("https://") for r in rule.references)
    assert {"code", "python"} <= set(rule.tags)


def test_the_rule_ids_are_the_fixed_ones() -> None:
    assert sorted(r.id for r in MODULE_RULES) == [
        "AIW-PY001",
        "AIW-PY002",
        "AIW-PY003",
        "AIW-PY004",
        "AIW-PY005",
        "AIW-PY006",
        "AIW-PY007",
        "AIW-PY012",
        "AIW-PY013",
        "AIW-PY014",
        "AIW-PY015",
        "AIW-PY020",
        "AIW-PY022",
    ]
