"""Downloads of models and installers without a pinned revision or checksum (AIW-IAC011)."""

from __future__ import annotations

import re
from typing import Final

from aiwarden.analyzers.infra._hits import Hit
from aiwarden.analyzers.infra._shell import Command, Tok
from aiwarden.analyzers.infra.rules import UNVERIFIED_MODEL_FETCH

_WEIGHTS: Final = re.compile(
    r"\.(safetensors|bin|gguf|ggml|pt|pth|ckpt|onnx|h5|keras|pkl|pickle|joblib|tflite|mar)"
    r"(\?.*)?$",
    re.IGNORECASE,
)
_CHECKSUM: Final = re.compile(r"^(sha\d+sum|shasum|md5sum|b2sum|cosign|gpg|minisign)$")
_FLOATING: Final = frozenset({"main", "master", "head", "latest", ""})
_PY_DOWNLOAD: Final = re.compile(r"\b(snapshot_download|hf_hub_download|from_pretrained)\b")
_SHELLS: Final = frozenset({"sh", "bash", "zsh", "dash", "python", "python3", "perl", "ruby"})


def fetch_hits(command: Command) -> list[Hit]:
    """IAC011 findings for one command (its pipe source and line context included)."""
    argv = command.argv
    if not argv:
        return []
    base = argv[0].text.rsplit("/", 1)[-1]
    words = [t.text for t in argv]
    if base in ("huggingface-cli", "hf") and len(words) > 1 and words[1] == "download":
        return _hub_download(argv)
    hub_clone = base == "git" and "clone" in words and any("huggingface.co" in w for w in words)
    if hub_clone and not any(t.text == "checkout" for t in command.segment):
        what = "git clone of a Hugging Face repository without a checkout of a pinned commit"
        return [_hit(argv[0], what, "git-clone")]
    if base in _SHELLS and command.piped_from:
        source = command.piped_from
        if source[0].text.rsplit("/", 1)[-1] in ("curl", "wget"):
            return [_hit(source[0], f"remote script piped into {base}", "pipe-to-shell")]
    if base in ("curl", "wget"):
        return _weights_download(command)
    if base.startswith("python") and "-c" in words:
        return _python_download(argv)
    return []


def _hit(tok: Tok, what: str, key: str) -> Hit:
    return Hit(
        UNVERIFIED_MODEL_FETCH,
        tok.line,
        f"{what}: the content is not verified and can change under you.",
        f"iac-fetch:{key}",
    )


def _hub_download(argv: list[Tok]) -> list[Hit]:
    for index, tok in enumerate(argv):
        name, eq, value = tok.text.partition("=")
        if name == "--revision":
            revision = value if eq else (argv[index + 1].text if index + 1 < len(argv) else "")
            if revision.lower() not in _FLOATING:
                return []
    repo = argv[2].text if len(argv) > 2 else "?"
    return [_hit(argv[0], f"`{argv[0].text} download {repo}` without a pinned --revision", "hub")]


def _weights_download(command: Command) -> list[Hit]:
    urls = [t for t in command.argv if t.text.startswith(("http://", "https://"))]
    weights = [t for t in urls if _WEIGHTS.search(t.text)]
    if not weights:
        return []
    if any(_CHECKSUM.match(t.text.rsplit("/", 1)[-1]) for t in command.segment):
        return []
    return [
        _hit(
            weights[0],
            f"model weights downloaded from {weights[0].text[:80]} without a checksum",
            "weights",
        )
    ]


def _python_download(argv: list[Tok]) -> list[Hit]:
    for index, tok in enumerate(argv):
        if tok.text == "-c" and index + 1 < len(argv):
            code = argv[index + 1]
            if _PY_DOWNLOAD.search(code.text) and "revision" not in code.text:
                return [
                    _hit(
                        code,
                        "model downloaded in an inline Python command without revision=",
                        "python",
                    )
                ]
    return []
