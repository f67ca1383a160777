"""docker-compose: published ports, authentication knobs, privileges."""

from __future__ import annotations

import pytest
from iac_support import Scan, pairs, rules


def compose(body: str) -> str:
    return "services:\n" + body


@pytest.mark.parametrize(
    ("port", "reported"),
    [
        ('"8265:8265"', True),
        ('"0.0.0.0:8265:8265"', True),
        ('"8265"', True),
        ("8265", True),
        ('"127.0.0.1:8265:8265"', False),
        ('"[::1]:8265:8265"', False),
        ('"localhost:8265:8265"', False),
        ('"${BIND:-127.0.0.1}:8265:8265"', False),
        ('"9000:8265"', True),
        ('"8265:9000"', False),
        ('"8260-8270:8260-8270"', True),
    ],
)
def test_short_port_syntax(scan: Scan, port: str, reported: bool) -> None:
    text = compose(f"  ray:\n    image: rayproject/ray:2.40.0\n    ports:\n      - {port}\n")
    assert (("AIW-IAC002", 5) in pairs(scan("docker-compose.yml", text))) is reported


def test_long_port_syntax(scan: Scan) -> None:
    open_ = "      - target: 11434\n        published: 11434\n"
    local = "      - target: 11434\n        published: 11434\n        host_ip: 127.0.0.1\n"
    head = "  ollama:\n    image: ollama/ollama:0.6.8\n    ports:\n"
    assert pairs(scan("compose.yaml", compose(head + open_))) == {("AIW-IAC002", 5)}
    assert scan("compose.yaml", compose(head + local)) == []


def test_expose_is_not_publishing(scan: Scan) -> None:
    text = compose("  ollama:\n    image: ollama/ollama:0.6.8\n    expose:\n      - '11434'\n")
    assert scan("docker-compose.yml", text) == []


def test_generic_ports_need_an_ai_service(scan: Scan) -> None:
    web = compose(
        "  web:\n    image: nginx:1.27\n    ports:\n      - '8000:8000'\n      - '5000:5000'\n"
    )
    assert scan("docker-compose.yml", web) == []
    vllm = compose("  api:\n    image: vllm/vllm-openai:v0.8.5\n    ports:\n      - '8000:8000'\n")
    assert ("AIW-IAC002", 5) in pairs(scan("docker-compose.yml", vllm))


def test_own_authentication_mitigates_publishing(scan: Scan) -> None:
    vllm = compose(
        "  api:\n    image: vllm/vllm-openai:v0.8.5\n"
        "    command: --model m --api-key ${VLLM_API_KEY}\n    ports:\n      - '8000:8000'\n"
    )
    assert scan("docker-compose.yml", vllm) == []
    mlflow = compose(
        "  mlflow:\n    image: ghcr.io/mlflow/mlflow:v2.21.3\n"
        "    command: mlflow server --host 0.0.0.0 --app-name basic-auth\n"
        "    ports:\n      - '5000:5000'\n"
    )
    assert scan("docker-compose.yml", mlflow) == []
    ray = compose(
        "  ray:\n    image: rayproject/ray:2.52.0\n"
        "    command: ray start --head --dashboard-host=0.0.0.0\n"
        "    environment:\n      RAY_AUTH_MODE: token\n    ports:\n      - '8265:8265'\n"
    )
    assert scan("docker-compose.yml", ray) == []


def test_environment_list_and_map(scan: Scan) -> None:
    as_list = compose("  ui:\n    image: app:1\n    environment:\n      - GRADIO_SHARE=true\n")
    as_map = compose("  ui:\n    image: app:1\n    environment:\n      GRADIO_SHARE: 'True'\n")
    assert pairs(scan("docker-compose.yml", as_list)) == {("AIW-IAC009", 5)}
    assert pairs(scan("docker-compose.yml", as_map)) == {("AIW-IAC009", 5)}
    off = compose("  ui:\n    image: app:1\n    environment:\n      GRADIO_SHARE: 'false'\n")
    assert scan("docker-compose.yml", off) == []


def test_ollama_host_only_matters_on_the_host_network(scan: Scan) -> None:
    bridged = compose(
        "  o:\n    image: ollama/ollama:0.6.8\n    environment:\n      OLLAMA_HOST: 0.0.0.0\n"
    )
    assert scan("docker-compose.yml", bridged) == []
    host = bridged + "    network_mode: host\n"
    assert pairs(scan("docker-compose.yml", host)) == {("AIW-IAC005", 5), ("AIW-IAC010", 6)}


def test_jupyter_default_token_is_fine_and_empty_token_is_not(scan: Scan) -> None:
    base = (
        "  nb:\n    image: quay.io/jupyter/base-notebook:2024-05-27\n"
        "    ports:\n      - '8888:8888'\n"
    )
    assert scan("docker-compose.yml", compose(base)) == []
    empty = base + "    command: start-notebook.py --IdentityProvider.token=''\n"
    assert rules(scan("docker-compose.yml", compose(empty))) == {"AIW-IAC002", "AIW-IAC007"}
    env = base + "    environment:\n      JUPYTER_TOKEN: ''\n"
    assert ("AIW-IAC007", 7) in pairs(scan("docker-compose.yml", compose(env)))


def test_command_as_list_and_entrypoint(scan: Scan) -> None:
    text = compose(
        "  mlflow:\n    image: ghcr.io/mlflow/mlflow:v2.21.3\n"
        "    entrypoint: [mlflow]\n    command:\n      - server\n      - --host\n      - 0.0.0.0\n"
    )
    assert pairs(scan("docker-compose.yml", text)) == {("AIW-IAC006", 7)}  # the --host item


def test_privileges(scan: Scan) -> None:
    text = compose(
        "  gpu:\n    image: app:1\n    privileged: true\n    pid: host\n    user: '0:0'\n"
        "    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock:ro\n"
        "      - type: bind\n        source: /run/containerd/containerd.sock\n        target: /c\n"
        "      - ./models:/models:ro\n"
    )
    lines = {line for rule, line in pairs(scan("docker-compose.yml", text)) if rule == "AIW-IAC010"}
    assert lines == {4, 5, 6, 8, 9}
    assert (
        scan("docker-compose.yml", compose("  gpu:\n    image: app:1\n    privileged: false\n"))
        == []
    )


def test_old_releases_and_unpinned_ai_images(scan: Scan) -> None:
    text = compose(
        "  o:\n    image: ollama/ollama:0.1.33\n  m:\n    image: ghcr.io/mlflow/mlflow:v2.9.1\n"
        "  v:\n    image: vllm/vllm-openai\n  db:\n    image: postgres:latest\n"
    )
    assert pairs(scan("docker-compose.yml", text)) == {
        ("AIW-IAC005", 3),
        ("AIW-IAC006", 5),
        ("AIW-IAC012", 7),
    }


def test_compose_v1_and_non_compose_shapes(scan: Scan) -> None:
    v1 = "ollama:\n  image: ollama/ollama:0.6.8\n  ports:\n    - '11434:11434'\n"
    assert pairs(scan("docker-compose.yml", v1)) == {("AIW-IAC002", 4)}
    odd = scan("docker-compose.yml", "- just\n- a list\n")
    assert [(f.rule_id, f.severity.value) for f in odd] == [("AIW-IAC099", "low")]
    assert scan("docker-compose.yml", "") == []
    stack = "services:\n  ray:\n    image: rayproject/ray:2.40.0\n    ports: ['8265:8265']\n"
    assert pairs(scan("deploy/stack.yml", stack)) == {("AIW-IAC002", 4)}  # shaped, not named


def test_dictionary_defaults_in_dev_compose_are_not_secrets(scan: Scan) -> None:
    dev = compose(
        "  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: postgres\n"
    )
    assert scan("docker-compose.yml", dev) == []
    real = dev.replace("PASSWORD: postgres", "PASSWORD: pG-9x7Lq2Vw")
    assert pairs(scan("docker-compose.yml", real)) == {("AIW-IAC001", 5)}


def test_ollama_host_with_a_public_port_and_dangerous_capabilities(scan: Scan) -> None:
    text = compose(
        "  o:\n    image: ollama/ollama:0.6.8\n    environment:\n      OLLAMA_HOST: 0.0.0.0\n"
        "    ports:\n      - '11434:11434'\n"
        "    cap_add:\n      - SYS_ADMIN\n      - NET_BIND_SERVICE\n"
    )
    assert pairs(scan("docker-compose.yml", text)) == {
        ("AIW-IAC005", 5),
        ("AIW-IAC002", 7),
        ("AIW-IAC010", 9),
    }


def test_exec_form_quotes_count_as_an_empty_token(scan: Scan) -> None:
    text = compose(
        "  nb:\n    image: quay.io/jupyter/base-notebook:2024-05-27\n"
        "    command: [start-notebook.py, \"--NotebookApp.token=''\"]\n"
    )
    assert pairs(scan("docker-compose.yml", text)) == {("AIW-IAC007", 4)}
