"""Kubernetes manifests: Services, Ingresses, NetworkPolicies, pods, ConfigMaps, Secrets."""

from __future__ import annotations

import base64
from pathlib import Path

from iac_support import Scan, analyse, pairs, rules, write

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: llm
  namespace: ml
spec:
  selector:
    matchLabels: {app: llm}
  template:
    metadata:
      labels: {app: llm}
    spec:
      containers:
        - name: server
          image: vllm/vllm-openai:v0.8.5
          args: ["--model", "m", "--api-key", "$(VLLM_API_KEY)"]
          resources:
            limits: {cpu: "4", memory: 16Gi}
"""
POLICY = """\
---
apiVersion: networking.k8s.io/v1
kind: NetworkPolicy
metadata:
  name: deny
  namespace: ml
spec:
  podSelector: {}
"""


def service(kind: str, port: int = 8265, name: str = "ray-dashboard") -> str:
    return (
        f"apiVersion: v1\nkind: Service\nmetadata:\n  name: {name}\nspec:\n  type: {kind}\n"
        f"  ports:\n    - port: {port}\n"
    )


def test_public_service_types(scan: Scan) -> None:
    assert pairs(scan("svc.yaml", service("LoadBalancer"))) == {("AIW-IAC002", 6)}
    assert pairs(scan("svc.yaml", service("NodePort"))) == {("AIW-IAC002", 6)}
    assert scan("svc.yaml", service("ClusterIP")) == []
    assert pairs(scan("svc.yaml", service("LoadBalancer", 8082))) == {("AIW-IAC015", 6)}
    assert scan("svc.yaml", service("LoadBalancer", 443, "web")) == []


def test_service_kind_comes_from_the_selected_pods(scan: Scan) -> None:
    selected = (
        "\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: api\n  namespace: ml\n"
        "spec:\n  type: LoadBalancer\n  selector: {app: llm}\n  ports:\n    - port: 80\n"
        "      targetPort: 8000\n"
    )
    # the vLLM behind it has --api-key: publishing is mitigated
    assert scan("app.yaml", DEPLOYMENT + POLICY + selected) == []
    no_key = DEPLOYMENT.replace(', "--api-key", "$(VLLM_API_KEY)"', "")
    text = no_key + POLICY + selected
    balancer = text.splitlines().index("  type: LoadBalancer") + 1
    found = pairs(scan("app.yaml", text))
    assert ("AIW-IAC002", balancer) in found and ("AIW-IAC008", 16) in found


def test_network_policy_in_file_sibling_or_missing(tmp_path: Path) -> None:
    write(tmp_path, "a/deploy.yaml", DEPLOYMENT)
    assert pairs(analyse(tmp_path, "a/deploy.yaml")) == {("AIW-IAC013", 4)}
    write(tmp_path, "b/deploy.yaml", DEPLOYMENT)
    write(tmp_path, "b/policy.yaml", POLICY)
    assert analyse(tmp_path, "b/deploy.yaml") == []
    write(tmp_path, "c/deploy.yaml", DEPLOYMENT)
    write(tmp_path, "c/policy.yml", POLICY.replace("namespace: ml", "namespace: other"))
    assert rules(analyse(tmp_path, "c/deploy.yaml")) == {"AIW-IAC013"}


def test_ingress_auth_annotations(scan: Scan) -> None:
    ingress = (
        "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: ui\n{ann}"
        "spec:\n  rules:\n    - http:\n        paths:\n          - backend:\n"
        "              service:\n                name: mlflow\n"
        "                port: {{number: 5000}}\n"
    )
    assert pairs(scan("ing.yaml", ingress.format(ann=""))) == {("AIW-IAC013", 4)}
    annotated = "  annotations:\n    nginx.ingress.kubernetes.io/auth-type: basic\n"
    assert scan("ing.yaml", ingress.format(ann=annotated)) == []
    other = ingress.format(ann="").replace("mlflow", "website").replace("5000", "443")
    assert scan("ing.yaml", other) == []


def test_pod_privileges_and_limits(scan: Scan) -> None:
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: gpu\nspec:\n  hostPID: true\n"
        "  securityContext: {runAsUser: 0}\n  containers:\n    - name: trainer\n"
        "      image: pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime\n"
        "      securityContext:\n        privileged: true\n"
        "      resources:\n        requests: {nvidia.com/gpu: 1}\n"
        "  volumes:\n    - name: s\n      hostPath: {path: /var/run/docker.sock}\n"
        "    - name: data\n      hostPath: {path: /data/logs}\n"
    )
    found = pairs(scan("pod.yaml", pod))
    assert {("AIW-IAC010", 6), ("AIW-IAC010", 7), ("AIW-IAC010", 12), ("AIW-IAC010", 17)} <= found
    assert ("AIW-IAC014", 13) in found
    assert ("AIW-IAC010", 19) not in found  # an ordinary hostPath is not this rule's business


def test_cronjob_and_valuefrom(scan: Scan) -> None:
    cron = (
        "apiVersion: batch/v1\nkind: CronJob\nmetadata:\n  name: nb\nspec:\n  jobTemplate:\n"
        "    spec:\n      template:\n        spec:\n          containers:\n            - name: nb\n"
        "              image: quay.io/jupyter/base-notebook:2024-05-27\n"
        "              env:\n                - name: JUPYTER_TOKEN\n"
        "                  valueFrom: {secretKeyRef: {name: nb, key: token}}\n"
        "              args: [start-notebook.py, --ServerApp.disable_check_xsrf=True]\n"
    )
    assert pairs(scan("cron.yaml", cron)) == {("AIW-IAC007", 16)}


def test_secret_manifests(scan: Scan) -> None:
    # a credential under a neutral key: base64 hides it from AIW-SEC, the decoded value does not
    encoded = base64.b64encode(b"postgres://app:Pr0dPa55w0rd@db:5432/x").decode()
    secret = (
        "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n"
        f"  connection: {encoded}\n  username: {base64.b64encode(b'admin').decode()}\n"
        "stringData:\n  note: hello\n  API_KEY: changeme\n  SERVICE_TOKEN: tok-91ab-Qz7\n"
    )
    assert pairs(scan("secret.yaml", secret)) == {("AIW-IAC001", 6), ("AIW-IAC001", 11)}
    assert (
        scan(
            "secret.yaml", "apiVersion: v1\nkind: Secret\nmetadata:\n  name: s\ndata:\n  x: '%%%'\n"
        )
        == []
    )


def test_secret_deferred_when_the_secrets_analyzer_matches(scan: Scan) -> None:
    key = "sk-proj-" + "Ab3De5Fg7Hj9Kl1Mn3Pq5Rs7Tu9Vw1Xy3Za5Bc7De9Fg1Hj3Kl5"
    config = (
        f"apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  OPENAI_API_KEY: {key}\n"
    )
    assert scan("cm.yaml", config) == []  # one finding per secret: AIW-SEC001 reports it
    plain = (
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: c\ndata:\n  DB_PASSWORD: tr0ub4dor\n"
    )
    assert pairs(scan("cm.yaml", plain)) == {("AIW-IAC001", 6)}


def test_kuberay(scan: Scan) -> None:
    cluster = (
        "apiVersion: ray.io/v1\nkind: RayService\nmetadata:\n  name: serve\nspec:\n"
        "  rayClusterConfig:\n{auth}    headGroupSpec:\n      serviceType: NodePort\n"
        "      rayStartParams: {{}}\n      template:\n        spec:\n          containers:\n"
        "            - name: head\n              image: rayproject/ray:2.52.0\n"
        "              resources: {{limits: {{cpu: 2, memory: 8Gi}}}}\n"
    )
    found = pairs(scan("ray.yaml", cluster.format(auth="")))
    assert ("AIW-IAC003", 8) in found and ("AIW-IAC013", 4) in found
    authed = scan("ray.yaml", cluster.format(auth="    authOptions: {mode: token}\n"))
    assert "AIW-IAC003" not in rules(authed)
    internal = cluster.format(auth="").replace("NodePort", "ClusterIP")
    medium = [f for f in scan("ray.yaml", internal) if f.rule_id == "AIW-IAC003"]
    assert [(f.location.line, f.severity.value) for f in medium] == [(7, "medium")]


def test_list_kind_items_are_checked(scan: Scan) -> None:
    listed = (
        "apiVersion: v1\nkind: List\nitems:\n  - apiVersion: v1\n    kind: Service\n"
        "    metadata: {name: ollama}\n    spec:\n      type: LoadBalancer\n"
        "      ports: [{port: 11434}]\n"
    )
    assert pairs(scan("list.yaml", listed)) == {("AIW-IAC002", 8)}


def test_openshift_route_and_capabilities(scan: Scan) -> None:
    route = (
        "apiVersion: route.openshift.io/v1\nkind: Route\nmetadata:\n  name: dash\n"
        "spec:\n  to: {kind: Service, name: ray-head}\n  port: {targetPort: 8265}\n"
    )
    assert pairs(scan("route.yaml", route)) == {("AIW-IAC013", 4)}
    pod = (
        "apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\nspec:\n  containers:\n"
        "    - name: app\n      image: app:1\n      securityContext:\n"
        "        capabilities:\n          add: [SYS_ADMIN]\n"
    )
    assert pairs(scan("pod.yaml", pod)) == {("AIW-IAC010", 11)}
