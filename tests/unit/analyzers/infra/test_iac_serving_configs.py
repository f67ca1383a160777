"""Helm values, TorchServe config.properties, Jupyter JSON configs and shell scripts."""

from __future__ import annotations

from iac_support import Scan, pairs, rules

from aiwarden.analyzers.infra._torchserve import properties


def test_helm_values(scan: Scan) -> None:
    values = (
        "dashboard:\n  service:\n    type: NodePort\n"  # 3
        "auth:\n  enabled: false\n"  # 5
        "rbac:\n  enabled: false\n"  # not authentication
        "jupyterhub:\n  adminPassword: changeme\n"  # 9
        "mlflow:\n  trackingPassword: Xy7-pQ2-Lm9-vR4\n"  # 11
        "  existingSecret: mlflow-auth\n"
        "  image: {repository: rayproject/ray, tag: nightly}\n"  # 13
        "server:\n  trustRemoteCode: true\n"  # 15
        "  env:\n    - name: GRADIO_SHARE\n      value: 'True'\n"  # 18
    )
    assert pairs(scan("charts/ai/values.yaml", values)) == {
        ("AIW-IAC016", 3),
        ("AIW-IAC016", 5),
        ("AIW-IAC016", 9),
        ("AIW-IAC001", 11),
        ("AIW-IAC012", 13),
        ("AIW-IAC008", 15),
        ("AIW-IAC009", 18),
    }
    safe = "auth:\n  enabled: true\nservice:\n  type: ClusterIP\nadminPassword: ''\n"
    assert scan("values-prod.yaml", safe) == []


def test_helm_templates_are_skipped_but_broken_values_are_not(scan: Scan) -> None:
    template = (
        "apiVersion: v1\nkind: Service\nmetadata:\n  name: {{ .Release.Name }}\n{{- if .x }}\n"
    )
    assert scan("chart/templates/svc.yaml", template) == []
    assert rules(scan("values.yaml", "a: [unclosed\n")) == {"AIW-IAC099"}


def test_torchserve_properties_parser() -> None:
    text = "# c\n! c\ninference_address=http://0.0.0.0:8080\nallowed_urls = a,\\\n  b\nk: v\n"
    assert properties(text) == [
        ("inference_address", "http://0.0.0.0:8080", 3),
        ("allowed_urls", "a,b", 4),
        ("k", "v", 6),
    ]


def test_torchserve_config(scan: Scan) -> None:
    bad = (
        "management_address=https://0.0.0.0:8081\n"
        "allowed_urls=https://s3.amazonaws.com/.*,.*\n"
        "disable_token_authorization = true\n"
        "enable_model_api=true\n"
    )
    assert pairs(scan("config.properties", bad)) == {("AIW-IAC004", n) for n in (1, 2, 3, 4)}
    good = (
        "inference_address=http://0.0.0.0:8080\nmanagement_address=http://127.0.0.1:8081\n"
        "allowed_urls=https://s3.amazonaws.com/my-models/.*\nenable_model_api=false\n"
    )
    assert scan("config.properties", good) == []
    assert scan("config.properties", "db.url=jdbc:postgresql://0.0.0.0/x\n") == []  # not TorchServe


def test_jupyter_json(scan: Scan) -> None:
    text = '{\n  "NotebookApp": {\n    "token": "",\n    "password": ""\n  }\n}\n'
    assert pairs(scan("jupyter_notebook_config.json", text)) == {("AIW-IAC007", 3)}
    with_password = '{"ServerApp": {"token": "", "password": "argon2:$argon2id$v=19$abc"}}'
    assert scan("jupyter_server_config.json", with_password) == []
    assert rules(scan("jupyter_server_config.json", "{not json")) == {"AIW-IAC099"}


def test_python_jupyter_configs_are_left_to_the_python_analyzer(scan: Scan) -> None:
    assert scan("jupyter_server_config.py", "c.ServerApp.token = ''\n") == []


def test_shell_scripts(scan: Scan) -> None:
    script = (
        "#!/bin/sh\n"
        "export OLLAMA_HOST=0.0.0.0\n"  # 2
        "OLLAMA_ORIGINS='*' ollama serve &\n"  # 3
        "mlflow ui --host 0.0.0.0\n"  # 4
        'python -m vllm.entrypoints.openai.api_server --model m --api-key "$KEY"\n'
        "text-generation-launcher --model-id m --trust-remote-code\n"  # 6
        "ray start --head --dashboard-host=0.0.0.0\n"  # 7
        "docker run --privileged -v /var/run/docker.sock:/var/run/docker.sock app:1\n"  # 8
        "jupyter lab --ip=0.0.0.0 --allow-root\n"  # 9
        "GRADIO_SERVER_NAME=0.0.0.0 python app.py\n"  # 10
    )
    assert pairs(scan("run.sh", script)) == {
        ("AIW-IAC005", 2),
        ("AIW-IAC005", 3),
        ("AIW-IAC006", 4),
        ("AIW-IAC008", 6),
        ("AIW-IAC003", 7),
        ("AIW-IAC010", 8),
        ("AIW-IAC007", 9),
        ("AIW-IAC009", 10),
    }


def test_shell_script_negatives(scan: Scan) -> None:
    script = (
        "export OLLAMA_HOST=127.0.0.1:11434\n"
        "ray start --head --dashboard-host=127.0.0.1\n"
        "RAY_AUTH_MODE=token ray start --head --dashboard-host=0.0.0.0\n"
        "mlflow server --host 127.0.0.1\n"
        "llama-server -m m.gguf --api-key-file /run/secrets/k\n"
        "docker run -p 127.0.0.1:11434:11434 ollama/ollama:0.6.8\n"
        "echo 'vllm serve m --trust-remote-code'\n"
    )
    assert scan("run.sh", script) == []
    assert pairs(scan("run.sh", "docker run -p 11434:11434 ollama/ollama:0.6.8\n")) == {
        ("AIW-IAC002", 1)
    }


def test_auth_switches_only_count_in_ai_charts(scan: Scan) -> None:
    web = "controller:\n  service:\n    type: LoadBalancer\nauth:\n  enabled: false\n"
    assert scan("values.yaml", web) == []
    assert rules(scan("values.yaml", "ollama:\n  enabled: true\n" + web)) == {"AIW-IAC016"}
