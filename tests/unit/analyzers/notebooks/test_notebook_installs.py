"""AIW-NB003: unpinned, upgraded, extra-index and piped installs in cells."""

from __future__ import annotations

from pathlib import Path

import pytest
from nb_builders import code, dumps, line_of, notebook, scan

from aiwarden.analyzers.notebooks._installs import install_problems

REPORTED = {
    "pip magic": "%pip install transformers",
    "shell pip": "!pip install -q langchain openai",
    "pip3": "!pip3 install torch>=2.0",
    "upgrade": "!pip install -U accelerate",
    "upgrade long flag": "%pip install --upgrade peft",
    "python -m pip": "!python -m pip install vllm",
    "sys.executable": "!{sys.executable} -m pip install xformers",
    "uv pip": "!uv pip install sentence-transformers",
    "conda": "%conda install -c conda-forge faiss-cpu",
    "mamba": "!mamba install pytorch",
    "extra index": "!pip install --extra-index-url https://pkgs.internal/simple mylib==1.0",
    "curl pipe": "!curl -fsSL https://ollama.com/install.sh | sh",
    "wget pipe": "!wget -qO- https://example.org/setup | sudo bash",
    "bash process substitution": "!bash <(curl -s https://x.example/install.sh)",
    "assigned shell": "out = !pip install gradio",
    "automagic": "pip install chromadb",
    "indented in a block": "if True:\n    !pip install ragas",
    "wildcard pin": "%pip install numpy==1.*",
    "vcs without commit": "!pip install git+https://github.com/org/repo.git",
    "get_ipython system": "get_ipython().system('pip install openai')",
    "get_ipython line magic": "get_ipython().run_line_magic('pip', 'install -U openai')",
    "os.system": 'os.system("pip install tiktoken")',
}


@pytest.mark.parametrize("source", REPORTED.values(), ids=REPORTED.keys())
def test_reported(tmp_path: Path, source: str) -> None:
    findings = [
        f for f in scan(tmp_path, notebook([code(source + "\n")])) if f.rule_id == "AIW-NB003"
    ]
    assert len(findings) == 1
    assert findings[0].message.startswith("Cell 1, line ")
    assert findings[0].severity.value == "medium"


FINE = {
    "requirements": "!pip install -r requirements.txt",
    "pinned": "%pip install transformers==4.46.3 torch==2.5.1",
    "pinned with extras": "!pip install 'ray[serve]==2.40.0'",
    "upgrade pinned": "!pip install -U datasets==3.1.0",
    "local path": "!pip install -e .",
    "wheel": "!pip install ./dist/pkg-1.0-py3-none-any.whl",
    "installer upgrade": "!python -m pip install --upgrade pip",
    "conda pinned": "%conda install numpy=1.26.4",
    "vcs commit": "!pip install git+https://github.com/org/repo.git@" + "a" * 40,
    "commented out": "# !pip install transformers",
    "string mention": 'print("run pip install transformers first")',
    "index url": "!pip install torch==2.5.1 --index-url https://download.pytorch.org/whl/cu121",
    "curl to file": "!curl -L -o model.bin https://example.org/model.bin",
}


@pytest.mark.parametrize("source", FINE.values(), ids=FINE.keys())
def test_not_reported(tmp_path: Path, source: str) -> None:
    findings = scan(tmp_path, notebook([code(source + "\n")]))
    assert [f for f in findings if f.rule_id == "AIW-NB003"] == []


def test_bash_cell_commands_are_checked(tmp_path: Path) -> None:
    nb = notebook([code("%%bash\nset -e\npip install \\\n  langchain\n")])
    raw = dumps(nb)
    (finding,) = [f for f in scan(tmp_path, nb) if f.rule_id == "AIW-NB003"]
    assert finding.message.startswith("Cell 1, line 3: ")
    assert finding.location.line == line_of(raw, '"pip install \\\\\\n"')


def test_credentials_in_index_urls_are_redacted(tmp_path: Path) -> None:
    url = "https://__token__:s3cr3tTok3nValue@pkgs.example/simple"
    src = f"!pip install --extra-index-url {url} x==1\n"
    (finding,) = [f for f in scan(tmp_path, notebook([code(src)])) if f.rule_id == "AIW-NB003"]
    assert "s3cr3tTok3nValue" not in finding.message
    assert "s3cr3tTok3nValue" not in (finding.evidence or "")
    assert "extra index" in finding.message


def test_problems_are_described() -> None:
    problems = install_problems("pip install -U torch transformers==4.0 --extra-index-url http://x")
    assert problems[0] == "upgrades packages without an exact `==` pin (`torch`)"
    assert "extra index" in problems[1]
