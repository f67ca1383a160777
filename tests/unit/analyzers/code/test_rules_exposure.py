"""AIW-PY013 public Gradio/Streamlit, AIW-PY014 control planes and dev servers, AIW-PY020 tar."""

from __future__ import annotations

import pytest

from aiw_test_support import code_ids, code_issues
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.severity import Confidence, Severity

MINE = frozenset({"AIW-PY013", "AIW-PY014", "AIW-PY020"})


def issues(source: str) -> list[CodeIssue]:
    return code_issues(source, MINE)


def ids(source: str) -> list[str]:
    return code_ids(source, MINE)


# -- AIW-PY013 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import gradio as gr\ndemo = gr.Interface(fn=f, inputs='text', outputs='text')\n"
        "demo.launch(share=True)\n",
        "import gradio as gr\nwith gr.Blocks() as demo:\n    box = gr.Textbox()\n"
        "demo.launch(share=True)\n",
        "import gradio as gr\ngr.ChatInterface(respond).launch(share=True)\n",
        "from gradio import Blocks\napp = Blocks()\n"
        "app.launch(server_name='0.0.0.0', server_port=7860)\n",
        "import gradio as gr\nHOST = '0.0.0.0'\n"
        "gr.Interface(f, 'text', 'text').launch(server_name=HOST)\n",
        "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch(allowed_paths=['/'])\n",
        "import gradio as gr\nimport os\ndemo = gr.Blocks()\n"
        "demo.launch(allowed_paths=[os.path.expanduser('~')])\n",
        "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch(allowed_paths=['/home/alice'])\n",
        """
        import gradio as gr

        def build():
            return gr.Blocks()

        def main():
            ui = build()
            ui.queue().launch(share=True)
        """,
        "def serve(app):\n    app.launch(share=True, server_port=7860)\n",
        "from streamlit import config\nconfig.set_option('server.address', '0.0.0.0')\n",
        "from streamlit.web import bootstrap\n"
        "bootstrap.run('app.py', False, [], flag_options={'server.address': '0.0.0.0'})\n",
        "import os\nos.environ['GRADIO_SERVER_NAME'] = '0.0.0.0'\n",
    ],
)
def test_public_gradio_and_streamlit_apps_are_reported(source: str) -> None:
    assert ids(source) == ["AIW-PY013"]


def test_share_with_auth_is_lowered_to_medium() -> None:
    found = issues("import gradio as gr\ngr.Blocks().launch(share=True, auth=('user', 'pw'))\n")
    assert [(i.rule.id, i.severity) for i in found] == [("AIW-PY013", Severity.MEDIUM)]


def test_several_problems_in_one_launch_are_one_finding() -> None:
    found = issues(
        "import gradio as gr\ngr.Blocks().launch(share=True, server_name='0.0.0.0', "
        "allowed_paths=['/'])\n"
    )
    assert len(found) == 1
    assert "share=True" in found[0].message and "allowed_paths" in found[0].message


@pytest.mark.parametrize(
    "source",
    [
        "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch()\n",
        "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch(share=False)\n",
        "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch(server_name='127.0.0.1')\n",
        "import gradio as gr\ndemo = gr.Blocks()\n"
        "demo.launch(server_name='0.0.0.0', auth=('admin', pw))\n",
        "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch(allowed_paths=['./outputs'])\n",
        "import gradio as gr\ndemo = gr.Blocks()\ndemo.launch(share=args.share)\n",
        "import boto3\nrocket.launch(countdown=10)\n",
        "from streamlit import config\nconfig.set_option('server.address', 'localhost')\n",
    ],
)
def test_private_gradio_launches_are_not_reported(source: str) -> None:
    assert ids(source) == []


# -- AIW-PY014 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("source", "severity"),
    [
        ("import ray\nray.init(dashboard_host='0.0.0.0')\n", Severity.HIGH),
        (
            "import ray\nray.init(address='auto', include_dashboard=True, dashboard_host='::')\n",
            Severity.HIGH,
        ),
        ("from ray import serve\nserve.start(http_options={'host': '0.0.0.0'})\n", Severity.HIGH),
        (
            "from ray.serve.config import HTTPOptions\nHTTPOptions(host='0.0.0.0', port=8000)\n",
            Severity.HIGH,
        ),
        (
            "import uvicorn\nimport torch\nuvicorn.run(app, host='0.0.0.0', port=8000)\n",
            Severity.MEDIUM,
        ),
        ("import uvicorn\nuvicorn.run('server:app', host='0.0.0.0')\n", Severity.MEDIUM),
        ("from flask import Flask\napp = Flask(__name__)\napp.run(debug=True)\n", Severity.HIGH),
        (
            "from flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0', port=5000)\n",
            Severity.MEDIUM,
        ),
        (
            "from flask import Flask\napp = Flask(__name__)\napp.run('0.0.0.0', 5000, True)\n",
            Severity.MEDIUM,
        ),
        (
            "from flask import Flask\napp = Flask(__name__)\napp.run(host='0.0.0.0', debug=True)\n",
            Severity.CRITICAL,
        ),
        (
            "from flask import Flask\nfrom app import create_app\napp = create_app()\n"
            "if __name__ == '__main__':\n    app.run(debug=True)\n",
            Severity.HIGH,
        ),
        ("c = get_config()\nc.NotebookApp.token = ''\n", Severity.HIGH),
        ("c = get_config()\nc.ServerApp.ip = '0.0.0.0'\n", Severity.MEDIUM),
        ("c.ServerApp.disable_check_xsrf = True\n", Severity.MEDIUM),
    ],
)
def test_exposed_control_planes_and_dev_servers_are_reported(
    source: str, severity: Severity
) -> None:
    found = issues(source)
    assert [i.rule.id for i in found] == ["AIW-PY014"]
    assert (found[0].severity or found[0].rule.severity) is severity


def test_uvicorn_outside_an_ai_module_has_medium_confidence() -> None:
    found = issues("import uvicorn\nuvicorn.run(app, host='0.0.0.0')\n")
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY014", Confidence.MEDIUM)]


@pytest.mark.parametrize(
    "source",
    [
        "import ray\nray.init()\n",
        "import ray\nray.init(dashboard_host='127.0.0.1')\n",
        "import uvicorn\nuvicorn.run(app, host='127.0.0.1', port=8000)\n",
        "import uvicorn\nuvicorn.run(app, host=args.host)\n",
        "from flask import Flask\napp = Flask(__name__)\napp.run()\n",
        "from flask import Flask\napp = Flask(__name__)\napp.run(debug=False)\n",
        "from flask import Flask\napp = Flask(__name__)\napp.run(host='127.0.0.1', port=8080)\n",
        "import asyncio\nasyncio.run(main())\n",
        "import subprocess\nsubprocess.run(['ls'])\n",
        "runner.run(debug=True)\n",  # not a Flask module
        "c = get_config()\nc.ServerApp.ip = '127.0.0.1'\nc.ServerApp.token = 'abc'\n",
    ],
)
def test_private_servers_are_not_reported(source: str) -> None:
    assert ids(source) == []


# -- AIW-PY020 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "import tarfile\nwith tarfile.open('model.tar.gz') as tar:\n    tar.extractall('models')\n",
        "import tarfile\ntar = tarfile.open(path, 'r:gz')\ntar.extractall(path=dest)\n"
        "tar.close()\n",
        "import tarfile\nwith tarfile.open(p) as t:\n    t.extractall(d, filter='fully_trusted')\n",
        "import tarfile\nwith tarfile.open(p) as t:\n"
        "    t.extractall(d, filter=tarfile.fully_trusted_filter)\n",
        "import tarfile\nwith tarfile.TarFile(p) as t:\n    t.extract('config.json', d)\n",
        "from tarfile import open as topen\nwith topen(p) as archive:\n    archive.extractall()\n",
        "import tarfile\nwith tarfile.open(p) as t:\n    t.extractall(d, members=t.getmembers())\n",
        """
        import tarfile

        def fetch(archive_path, target):
            with tarfile.open(archive_path, "r:*") as tar:
                for member in tar.getmembers():
                    print(member.name)
                tar.extractall(target)
        """,
        "import tarfile\ndef f(tar_file, d):\n    tar_file.extractall(d)\n",
        "import shutil\nshutil.unpack_archive('weights.tar.gz', 'out')\n",
        "import shutil\nshutil.unpack_archive(path, 'out', 'gztar')\n",
    ],
)
def test_unsafe_tar_extraction_is_reported(source: str) -> None:
    assert ids(source) == ["AIW-PY020"]


@pytest.mark.parametrize(
    "source",
    [
        "import tarfile\nwith tarfile.open(p) as t:\n    t.extractall(d, filter='data')\n",
        "import tarfile\nwith tarfile.open(p) as t:\n    t.extractall(d, filter='tar')\n",
        "import tarfile\nwith tarfile.open(p) as t:\n"
        "    t.extract(m, d, filter=tarfile.data_filter)\n",
        "import tarfile\nwith tarfile.open(p) as t:\n"
        "    t.extractall(d, members=safe_members(t))\n",
        "import tarfile\ntarfile.TarFile.extraction_filter = staticmethod(tarfile.data_filter)\n"
        "with tarfile.open(p) as t:\n    t.extractall(d)\n",
        "import zipfile\nwith zipfile.ZipFile(p) as z:\n    z.extractall(d)\n",
        "import zipfile, tarfile\ndef f(zf):\n    zf.extractall('x')\n",
        "import shutil\nshutil.unpack_archive('model.zip', 'out')\n",
        "import shutil\nshutil.unpack_archive(p, 'out', format='zip')\n",
        "import shutil\nshutil.unpack_archive(p, 'out', filter='data')\n",
        "import py7zr\nwith py7zr.SevenZipFile(p) as z:\n    z.extractall(d)\n",
    ],
)
def test_filtered_or_zip_extraction_is_not_reported(source: str) -> None:
    assert ids(source) == []
