"""AIW-PY003 trust_remote_code and AIW-PY004 Hugging Face Hub downloads not pinned to a commit."""

from __future__ import annotations

import pytest

from aiw_test_support import code_ids, code_issues
from aiwarden.analyzers.code.issue import CodeIssue
from aiwarden.core.severity import Confidence

MINE = frozenset({"AIW-PY003", "AIW-PY004"})
SHA = "3f1c9d0e5b7a2c4d6e8f0a1b2c3d4e5f6a7b8c9d"


def issues(source: str) -> list[CodeIssue]:
    return code_issues(source, MINE)


def ids(source: str) -> list[str]:
    return code_ids(source, MINE)


def pinned(call: str) -> str:
    return call.replace(")", f", revision='{SHA}')", 1) if "revision" not in call else call


# -- AIW-PY003 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        f"from transformers import AutoModel\nAutoModel.from_pretrained('org/m', "
        f"trust_remote_code=True, revision='{SHA}')\n",
        f"import transformers as tf\ntf.AutoTokenizer.from_pretrained('org/m', revision='{SHA}', "
        "trust_remote_code=1)\n",
        f"from transformers import pipeline\npipeline('text-generation', model='org/m', "
        f"revision='{SHA}', trust_remote_code=True)\n",
        "from vllm import LLM\nLLM(model='/models/x', trust_remote_code=True)\n",
        "TRC = True\nmodel = load_anything('/srv/m', trust_remote_code=TRC)\n",
        f"from transformers import AutoModel\nAutoModel.from_pretrained('org/m', revision='{SHA}', "
        "**{'trust_remote_code': True})\n",
        "kwargs = {'torch_dtype': 'auto', 'trust_remote_code': True}\n",
        "kwargs = {}\nkwargs['trust_remote_code'] = True\n",
        "config.trust_remote_code = True\n",
        "import os\nos.environ['HF_DATASETS_TRUST_REMOTE_CODE'] = '1'\n",
        "import subprocess\nsubprocess.run(['vllm', 'serve', '/m', '--trust-remote-code'])\n",
        "import subprocess\nsubprocess.Popen('python -m vllm.entrypoints.api_server "
        "--trust-remote-code', shell=True)\n",
        "opts.setdefault('trust_remote_code', True)\n",
    ],
)
def test_trust_remote_code_true_is_reported_with_high_confidence(source: str) -> None:
    found = issues(source)
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY003", Confidence.HIGH)]


@pytest.mark.parametrize(
    "source",
    [
        "def load(name, trust_remote_code=False):\n"
        "    return AutoModel.from_pretrained('/m', trust_remote_code=trust_remote_code)\n",
        "import os\nLLM(model='/m', trust_remote_code=os.getenv('TRUST') == '1')\n",
        "def main(args):\n"
        "    return load_dataset('/data', trust_remote_code=args.trust_remote_code)\n",
        "cfg = {'trust_remote_code': args.trc}\n",
    ],
)
def test_trust_remote_code_not_provably_false_is_medium_confidence(source: str) -> None:
    found = issues(source)
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY003", Confidence.MEDIUM)]


@pytest.mark.parametrize(
    "source",
    [
        f"from transformers import AutoModel\nAutoModel.from_pretrained('org/m', revision='{SHA}', "
        "trust_remote_code=False)\n",
        "NO = False\nload('/m', trust_remote_code=NO)\n",
        "load('/m', trust_remote_code=None)\n",
        "kwargs = {'trust_remote_code': False}\n",
        "parser.add_argument('--trust-remote-code', action='store_true')\n",
        "import subprocess\nsubprocess.run(['vllm', 'serve', '/m'])\n",
        "def f(trust_remote_code=True):\n    pass\n",
    ],
)
def test_trust_remote_code_false_or_absent_is_not_reported(source: str) -> None:
    assert ids(source) == []


def test_from_pretrained_with_remote_code_and_no_revision_is_both_rules() -> None:
    found = issues(
        "from transformers import AutoModelForCausalLM\n"
        "m = AutoModelForCausalLM.from_pretrained('org/m', trust_remote_code=True)\n"
    )
    assert sorted(i.rule.id for i in found) == ["AIW-PY003", "AIW-PY004"]
    assert {i.line for i in found} == {2}


# -- AIW-PY004 -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "source",
    [
        "from transformers import AutoModel\nAutoModel.from_pretrained('bert-base-uncased')\n",
        "from transformers import AutoTokenizer\nAutoTokenizer.from_pretrained('org/m', "
        "revision='main')\n",
        "from transformers import AutoTokenizer\nAutoTokenizer.from_pretrained('org/m', "
        "revision='v1.0')\n",
        "from transformers import AutoTokenizer\nAutoTokenizer.from_pretrained('org/m', "
        "revision='3f1c9d0')\n",
        "from transformers import LlamaForCausalLM as L\nL.from_pretrained("
        "pretrained_model_name_or_path='meta-llama/Llama-2-7b-hf')\n",
        "import transformers\nMODEL = 'org/m'\ntransformers.AutoConfig.from_pretrained(MODEL)\n",
        "from diffusers import DiffusionPipeline\nDiffusionPipeline.from_pretrained("
        "'stabilityai/sdxl')\n",
        "from transformers import CLIPProcessor\nCLIPProcessor.from_pretrained('openai/clip')\n",
        "from peft import PeftModel\nPeftModel.from_pretrained(base_model, 'org/lora')\n",
        "from transformers import pipeline\npipeline('text-generation', model='gpt2')\n",
        "from transformers import pipeline\npipeline('text-generation', 'gpt2')\n",
        "from huggingface_hub import hf_hub_download\nhf_hub_download('org/m', 'model.gguf')\n",
        "from huggingface_hub import hf_hub_download\nhf_hub_download(repo_id='org/m', "
        "filename='w.bin', revision='main')\n",
        "import huggingface_hub as hub\nhub.snapshot_download('org/m')\n",
        "from huggingface_hub import HfApi\nHfApi().snapshot_download(repo_id='org/m')\n",
        "from huggingface_hub import hf_hub_url\nhf_hub_url('org/m', 'config.json')\n",
        "from datasets import load_dataset\nds = load_dataset('imdb', split='train')\n",
        "import datasets\ndatasets.load_dataset('org/data', 'subset')\n",
        "from sentence_transformers import SentenceTransformer\n"
        "SentenceTransformer('all-MiniLM-L6-v2')\n",
        "from sentence_transformers import CrossEncoder\nCrossEncoder('cross-encoder/ms-marco')\n",
        "import timm\ntimm.create_model('resnet50', pretrained=True)\n",
        "import timm\ntimm.create_model('hf-hub:timm/vit_base@main', pretrained=True)\n",
        "from vllm import LLM\nLLM(model='meta-llama/Llama-3-8B')\n",
        """
        from transformers import AutoModel

        class Encoder:
            def __init__(self, config):
                self.model_id = config["model_id"]
                self.model = AutoModel.from_pretrained(self.model_id)
        """,
        "from transformers import AutoModel\nkw = {'torch_dtype': 'auto'}\n"
        "AutoModel.from_pretrained('org/m', **kw)\n",
    ],
)
def test_unpinned_hub_downloads_are_reported(source: str) -> None:
    assert ids(source) == ["AIW-PY004"]


@pytest.mark.parametrize(
    "source",
    [
        f"from transformers import AutoModel\n"
        f"AutoModel.from_pretrained('org/m', revision='{SHA}')\n",
        f"from transformers import AutoModel\nREV = '{SHA}'\n"
        "AutoModel.from_pretrained('org/m', revision=REV)\n",
        "from transformers import AutoModel\ndef f(rev):\n"
        "    return AutoModel.from_pretrained('org/m', revision=rev)\n",
        "from transformers import AutoModel\nAutoModel.from_pretrained('./models/x')\n",
        "from transformers import AutoModel\nAutoModel.from_pretrained('/opt/models/llama')\n",
        "from transformers import AutoModel\nAutoModel.from_pretrained('~/models/llama')\n",
        "from transformers import AutoModel\nAutoModel.from_pretrained('C:\\\\models\\\\llama')\n",
        "from transformers import AutoModel\nAutoModel.from_pretrained('models/llama')\n",
        "from transformers import AutoModel\nAutoModel.from_pretrained('checkpoints/run1/best')\n",
        "from transformers import AutoModel\nimport os\n"
        "AutoModel.from_pretrained(os.path.join(base, 'ckpt'))\n",
        "from transformers import AutoModel\nfrom pathlib import Path\n"
        "AutoModel.from_pretrained(Path(base) / 'final')\n",
        "from transformers import AutoModel\ndef save_and_reload(model, tmpdirname):\n"
        "    return AutoModel.from_pretrained(tmpdirname)\n",
        "from transformers import AutoModel\ndef f(output_dir):\n"
        "    return AutoModel.from_pretrained(output_dir)\n",
        "from transformers import AutoModel\ndef f(args):\n"
        "    return AutoModel.from_pretrained(args.model_path)\n",
        "from transformers import AutoModel\nAutoModel.from_pretrained('org/m', "
        "local_files_only=True)\n",
        "from transformers import AutoModel\nfrom huggingface_hub import snapshot_download\n"
        f"p = snapshot_download('org/m', revision='{SHA}')\nAutoModel.from_pretrained(p)\n",
        "from transformers import AutoModel\ndef f(**kwargs):\n"
        "    return AutoModel.from_pretrained('org/m', **kwargs)\n",
        "from transformers import pipeline\npipeline('sentiment-analysis')\n",
        "from transformers import AutoModel\nimport os\n"
        "model_path = os.environ.get('MODEL_PATH', default)\n"
        "AutoModel.from_pretrained(model_path)\n",
        "from transformers import pipeline, AutoModel\n"
        f"m = AutoModel.from_pretrained('org/m', revision='{SHA}')\n"
        "pipeline('text-generation', model=m)\n",
        "from datasets import load_dataset\nload_dataset('csv', data_files='train.csv')\n",
        "from datasets import load_dataset\nload_dataset('json', data_files={'train': 'a.json'})\n",
        "from datasets import load_dataset\nload_dataset('./my_dataset')\n",
        "import timm\ntimm.create_model('resnet50')\n",
        "import timm\ntimm.create_model('resnet50', pretrained=False)\n",
        f"import timm\ntimm.create_model('hf-hub:timm/vit@{SHA}', pretrained=True)\n",
        "from sentence_transformers import SentenceTransformer\n"
        "SentenceTransformer(modules=[word, pooling])\n",
        "class Thing:\n    @classmethod\n    def from_pretrained(cls, name):\n        pass\n"
        "Thing.from_pretrained('org/m')\n",
    ],
)
def test_pinned_local_or_non_hub_loads_are_not_reported(source: str) -> None:
    assert ids(source) == []


def test_a_model_id_from_a_variable_is_medium_confidence() -> None:
    found = issues(
        """
        from transformers import AutoModelForSequenceClassification

        def build(model_name):
            return AutoModelForSequenceClassification.from_pretrained(model_name, num_labels=2)
        """
    )
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY004", Confidence.MEDIUM)]


def test_an_unknown_receiver_in_a_huggingface_file_is_reported_with_lower_confidence() -> None:
    found = issues(
        """
        import transformers

        def load(model_cls):
            return model_cls.from_pretrained("org/m")
        """
    )
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY004", Confidence.MEDIUM)]


def test_the_message_names_the_moving_revision() -> None:
    found = issues(
        "from transformers import AutoModel\nAutoModel.from_pretrained('o/m', revision='main')\n"
    )
    assert "'main'" in found[0].message


def test_a_variable_local_files_only_lowers_confidence() -> None:
    found = issues(
        "from transformers import AutoModel\n"
        "def f(offline):\n"
        "    return AutoModel.from_pretrained('org/m', local_files_only=offline)\n"
    )
    assert [(i.rule.id, i.confidence) for i in found] == [("AIW-PY004", Confidence.MEDIUM)]
