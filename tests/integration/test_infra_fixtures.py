"""The infra analyzer end to end on a vulnerable AI deployment and its hardened twin."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from aiwarden.cli.main import main

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "infra"

# Hand-checked: every AIW-IAC rule at least once, each at the line a user must edit, plus the
# AIW-SEC findings that the infra analyzer defers to (one finding per secret).
VULNERABLE = {
    ("AIW-IAC012", "Dockerfile", 2),  # FROM vllm/vllm-openai:latest
    ("AIW-SEC004", "Dockerfile", 4),  # ARG MLFLOW_TRACKING_PASSWORD=... (secrets analyzer)
    ("AIW-IAC011", "Dockerfile", 9),  # huggingface-cli download without --revision
    ("AIW-IAC011", "Dockerfile", 10),  # curl ... | bash
    ("AIW-IAC011", "Dockerfile", 11),  # wget of .safetensors without sha256sum
    ("AIW-IAC010", "Dockerfile", 14),  # USER root
    ("AIW-IAC008", "Dockerfile", 15),  # vLLM api_server entrypoint, no --api-key anywhere
    ("AIW-IAC008", "Dockerfile", 16),  # CMD ... --trust-remote-code
    ("AIW-IAC005", "docker-compose.yml", 3),  # ollama/ollama:0.1.32 (before the Probllama fix)
    ("AIW-IAC002", "docker-compose.yml", 5),  # "11434:11434"
    ("AIW-IAC005", "docker-compose.yml", 7),  # OLLAMA_ORIGINS: "*"
    ("AIW-IAC006", "docker-compose.yml", 11),  # mlflow server --host 0.0.0.0, no basic-auth
    ("AIW-IAC002", "docker-compose.yml", 13),  # "5000:5000" of the unauthenticated MLflow
    ("AIW-IAC007", "docker-compose.yml", 17),  # --ServerApp.token='' --ServerApp.password=''
    ("AIW-IAC002", "docker-compose.yml", 19),  # "0.0.0.0:8888:8888"
    ("AIW-IAC010", "docker-compose.yml", 20),  # user: root
    ("AIW-IAC003", "docker-compose.yml", 24),  # ray start --head --dashboard-host 0.0.0.0
    ("AIW-IAC002", "docker-compose.yml", 26),  # long syntax target 8265, no host_ip
    ("AIW-IAC010", "docker-compose.yml", 30),  # /var/run/docker.sock mounted
    ("AIW-IAC002", "docker-compose.yml", 35),  # "7860:7860" (Gradio)
    ("AIW-IAC009", "docker-compose.yml", 37),  # GRADIO_SHARE=True
    ("AIW-IAC010", "docker-compose.yml", 39),  # privileged: true
    ("AIW-IAC012", "helm/values.yaml", 5),  # mlflow image tag: latest
    ("AIW-IAC016", "helm/values.yaml", 7),  # auth.enabled: false
    ("AIW-IAC016", "helm/values.yaml", 9),  # service.type: LoadBalancer
    ("AIW-IAC016", "helm/values.yaml", 10),  # adminPassword: admin
    ("AIW-IAC005", "helm/values.yaml", 14),  # OLLAMA_ORIGINS "*" in extraEnv
    ("AIW-IAC008", "helm/values.yaml", 17),  # extraArgs --trust-remote-code
    ("AIW-IAC007", "jupyter/jupyter_server_config.json", 4),  # "token": ""
    ("AIW-IAC007", "jupyter/jupyter_server_config.json", 5),  # "allow_origin": "*"
    ("AIW-IAC007", "jupyter/jupyter_server_config.json", 6),  # "disable_check_xsrf": true
    ("AIW-IAC007", "jupyter/jupyter_server_config.json", 7),  # "allow_root": true
    ("AIW-IAC099", "k8s/broken.yaml", 6),  # unclosed flow mapping
    ("AIW-IAC001", "k8s/config.yaml", 8),  # ConfigMap VECTOR_DB_PASSWORD (AIW-SEC misses it)
    ("AIW-SEC004", "k8s/config.yaml", 18),  # Secret data password (secrets analyzer, not IAC001)
    ("AIW-IAC013", "k8s/model-server.yaml", 4),  # model server in namespace ml, no NetworkPolicy
    ("AIW-IAC010", "k8s/model-server.yaml", 16),  # hostNetwork: true
    ("AIW-IAC014", "k8s/model-server.yaml", 18),  # vllm container without resources.limits
    ("AIW-IAC008", "k8s/model-server.yaml", 20),  # vllm serve without --api-key / VLLM_API_KEY
    ("AIW-IAC008", "k8s/model-server.yaml", 23),  # --trust-remote-code in args
    ("AIW-SEC004", "k8s/model-server.yaml", 26),  # env literal password (secrets analyzer)
    ("AIW-IAC010", "k8s/model-server.yaml", 28),  # privileged: true
    ("AIW-IAC010", "k8s/model-server.yaml", 35),  # hostPath model cache
    ("AIW-IAC002", "k8s/model-server.yaml", 43),  # type: LoadBalancer to vLLM's 8000
    ("AIW-IAC013", "k8s/model-server.yaml", 53),  # Ingress without auth annotations
    ("AIW-IAC015", "k8s/model-server.yaml", 74),  # NodePort Service on Triton metrics 8002
    ("AIW-IAC013", "k8s/raycluster.yaml", 4),  # RayCluster in namespace ml, no NetworkPolicy
    ("AIW-IAC003", "k8s/raycluster.yaml", 9),  # headGroupSpec.serviceType: LoadBalancer, no auth
    ("AIW-IAC014", "k8s/raycluster.yaml", 30),  # GPU worker with requests but no limits
    ("AIW-IAC005", "scripts/serve.sh", 3),  # export OLLAMA_HOST=0.0.0.0 on the host
    ("AIW-IAC002", "scripts/serve.sh", 5),  # docker run -p 8080:8080 -p 8081:8081
    ("AIW-IAC004", "scripts/serve.sh", 5),  # torchserve --start --disable-token-auth
    ("AIW-IAC008", "scripts/serve.sh", 6),  # llama-server without --api-key
    ("AIW-IAC009", "scripts/serve.sh", 7),  # streamlit --server.address 0.0.0.0, XSRF off
    ("AIW-IAC004", "torchserve/config.properties", 2),  # management_address on 0.0.0.0
    ("AIW-IAC004", "torchserve/config.properties", 5),  # disable_token_authorization=true
    ("AIW-IAC004", "torchserve/config.properties", 6),  # enable_model_api=true
    ("AIW-IAC004", "torchserve/config.properties", 7),  # allowed_urls=https://.*
}


def infra_findings(
    capsys: pytest.CaptureFixture[str], project: Path, select: str = "AIW-IAC,AIW-SEC"
) -> list[tuple[str, str, int]]:
    code = main(["scan", str(project), "--select", select, "-f", "json", "-j", "1"])
    out, _ = capsys.readouterr()
    report = json.loads(out)
    assert report["scan"]["complete"] is True
    assert code in (0, 1)
    found = []
    for finding in report["findings"]:
        relpath = finding["location"]["path"].split(f"{project.name}/", 1)[-1]
        found.append((finding["rule_id"], relpath, finding["location"]["line"]))
    return found


def test_vulnerable_fixture_reports_exactly_the_expected_findings(
    capsys: pytest.CaptureFixture[str],
) -> None:
    found = infra_findings(capsys, FIXTURES / "vulnerable")
    assert sorted(found) == sorted(VULNERABLE)  # exact, and one finding per (rule, line)
    expected_rules = {f"AIW-IAC{n:03d}" for n in range(1, 17)} | {"AIW-IAC099", "AIW-SEC004"}
    assert {rule for rule, _, _ in found} == expected_rules


def test_hardened_twin_reports_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert infra_findings(capsys, FIXTURES / "hardened") == []


def test_hardened_twin_is_clean_for_every_analyzer(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["scan", str(FIXTURES / "hardened"), "-f", "json", "-j", "1"])
    report = json.loads(capsys.readouterr()[0])
    assert [f for f in report["findings"] if f["severity"] != "info"] == []
    assert code == 0
