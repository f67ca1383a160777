"""Dockerfile parsing and the rules that apply to images."""

from __future__ import annotations

import pytest
from iac_support import Scan, pairs, rules

from aiwarden.analyzers.infra._dockerfile import DockerfileError, parse_dockerfile


def test_parser_handles_continuations_comments_exec_form_and_heredocs() -> None:
    text = (
        "# syntax=docker/dockerfile:1\n"
        "FROM python:3.12-slim AS base\n"
        "RUN apt-get update \\\n"
        "    # a comment inside the continuation\n"
        "    && apt-get install -y curl\n"
        "RUN <<EOF\n"
        "echo one\n"
        "EOF\n"
        'CMD ["python", "app.py"]\n'
    )
    found = parse_dockerfile(text)
    assert [(i.keyword, i.line) for i in found] == [("FROM", 2), ("RUN", 3), ("RUN", 6), ("CMD", 9)]
    assert found[3].exec_form() == ["python", "app.py"]
    assert [t.line for t in found[1].words() if t.text == "install"] == [5]


def test_escape_directive_changes_the_continuation_character() -> None:
    found = parse_dockerfile(
        "# escape=`\nFROM mcr.microsoft.com/windows:ltsc2022\nRUN dir `\n  c:\\\n"
    )
    assert [i.keyword for i in found] == ["FROM", "RUN"]


def test_non_dockerfile_content_is_an_error() -> None:
    with pytest.raises(DockerfileError) as info:
        parse_dockerfile("FROM x:1\nthis is not an instruction\n")
    assert info.value.line == 2


@pytest.mark.parametrize(
    ("image", "reported"),
    [
        ("pytorch/pytorch", True),
        ("pytorch/pytorch:latest", True),
        ("nvcr.io/nvidia/pytorch:nightly", True),
        ("pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime", False),
        ("vllm/vllm-openai@sha256:" + "a" * 64, False),
        ("localhost:5000/base", True),
        ("localhost:5000/base:1.2", False),
        ("scratch", False),
    ],
)
def test_unpinned_base_images(scan: Scan, image: str, reported: bool) -> None:
    assert (("AIW-IAC012", 1) in pairs(scan("Dockerfile", f"FROM {image}\n"))) is reported


def test_stage_names_and_arg_defaults_resolve(scan: Scan) -> None:
    text = "ARG BASE=pytorch/pytorch:latest\nFROM ${BASE} AS build\nFROM build\n"
    assert pairs(scan("Dockerfile", text)) == {("AIW-IAC012", 2)}
    pinned = "ARG TAG=2.3.0\nFROM pytorch/pytorch:${TAG} AS build\nFROM build\n"
    assert scan("Dockerfile", pinned) == []


def test_vllm_base_image_entrypoint_is_implicit(scan: Scan) -> None:
    base = "FROM vllm/vllm-openai:v0.8.5\n"
    bad = scan("Dockerfile", base + 'CMD ["--model", "m", "--trust-remote-code"]\n')
    assert pairs(bad) == {("AIW-IAC008", 2)}
    assert "trust-remote-code" in bad[0].message and "api-key" in bad[0].message
    good = base + 'CMD ["--model", "m", "--api-key", "${VLLM_API_KEY}"]\n'
    assert scan("Dockerfile", good) == []


def test_model_downloads(scan: Scan) -> None:
    text = (
        "FROM python:3.12\n"
        "RUN huggingface-cli download org/m\n"
        "RUN huggingface-cli download org/m --revision main\n"
        "RUN huggingface-cli download org/m --revision 3f1c2d4e5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d\n"
        "RUN hf download org/m --revision=v1.0\n"
        "RUN wget https://x/m.gguf && sha256sum -c m.sha256\n"
        "RUN wget https://x/m.gguf\n"
        "RUN curl -fsSL https://ollama.com/install.sh | sh\n"
        "RUN curl -fsSL https://x/tool.tar.gz -o t.tgz\n"
        "ADD https://x/model.safetensors /m/\n"
        "ADD --checksum=sha256:abc https://x/model.safetensors /m/\n"
        "RUN git clone https://huggingface.co/org/m\n"
        "RUN git clone https://huggingface.co/org/m && git -C m checkout 3f1c2d4\n"
        "RUN python -c 'from huggingface_hub import snapshot_download as d; d(\"o/m\")'\n"
        'RUN python -c \'from huggingface_hub import hf_hub_download as h; h("o", revision="3")\'\n'
    )
    got = {line for rule, line in pairs(scan("Dockerfile", text)) if rule == "AIW-IAC011"}
    assert got == {2, 3, 7, 8, 10, 12, 14}


def test_root_user_only_when_last(scan: Scan) -> None:
    assert ("AIW-IAC010", 2) in pairs(scan("Dockerfile", "FROM a:1\nUSER root\n"))
    assert scan("Dockerfile", "FROM a:1\nUSER root\nRUN x\nUSER 1000\n") == []
    assert rules(scan("Dockerfile", "FROM a:1\nUSER 0:0\n")) == {"AIW-IAC010"}


def test_secret_args_defer_to_the_secrets_analyzer(scan: Scan) -> None:
    token = "hf_" + "aB3dE5fG7hJ9kL1mN3pQ5rS7tU9vW1xY3z"
    assert scan("Dockerfile", f"FROM a:1\nENV HF_TOKEN={token}\n") == []  # AIW-SEC reports it
    found = scan("Dockerfile", "FROM a:1\nARG DB_PASSWORD=summer-rollout\n")
    assert pairs(found) == {("AIW-IAC001", 2)}
    assert "summer" not in (found[0].evidence or "")
    placeholders = "FROM a:1\nARG DB_PASSWORD=${DB_PASSWORD}\nENV API_KEY=changeme\nARG TOKEN\n"
    assert scan("Dockerfile", placeholders) == []


def test_byte_order_mark_and_lowercase_instructions(scan: Scan) -> None:
    assert scan("Dockerfile", "\ufefffrom python:3.12\nrun echo hi\n") == []
