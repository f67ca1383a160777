"""``AIW-IAC`` rules: how AI services are deployed (containers, manifests, serving configs).

Every id used here (guidelines, OWASP LLM, MITRE ATLAS) must exist in the catalogue; a
unit test checks that. ``help`` is user-facing documentation (``aiwarden rules ID``).
"""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_TAGS = ("infra",)
_SHADOWRAY = "https://nvd.nist.gov/vuln/detail/CVE-2023-48022"
_RAY_SECURITY = "https://docs.ray.io/en/latest/ray-security/index.html"
_SHELLTORCH = "https://nvd.nist.gov/vuln/detail/CVE-2023-43654"
_TS_SECURITY = "https://pytorch.org/serve/security.html"
_PROBLLAMA = "https://www.wiz.io/blog/probllama-ollama-vulnerability-cve-2024-37032"
_MLFLOW_1177 = "https://nvd.nist.gov/vuln/detail/CVE-2023-1177"
_MLFLOW_6831 = "https://nvd.nist.gov/vuln/detail/CVE-2023-6831"
_MLFLOW_AUTH = "https://mlflow.org/docs/latest/auth/index.html"
_JUPYTER_SEC = "https://jupyter-server.readthedocs.io/en/latest/operators/security.html"
_VLLM_30165 = "https://nvd.nist.gov/vuln/detail/CVE-2025-30165"
_VLLM_SEC = "https://docs.vllm.ai/en/latest/usage/security.html"
_GRADIO_51449 = "https://nvd.nist.gov/vuln/detail/CVE-2023-51449"
_K8S_PSS = "https://kubernetes.io/docs/concepts/security/pod-security-standards/"
_K8S_NETPOL = "https://kubernetes.io/docs/concepts/services-networking/network-policies/"
_K8S_SECRETS = "https://kubernetes.io/docs/concepts/security/secrets-good-practices/"
_DOCKER_BP = "https://docs.docker.com/build/building/best-practices/"
_LASSO = "https://www.lasso.security/blog/1500-huggingface-api-tokens-were-exposed-leaving-millions-of-meta-llama-bloom-and-pythia-users-for-supply-chain-attacks"
_HF_DOWNLOAD = "https://huggingface.co/docs/huggingface_hub/guides/cli#download-a-specific-revision"
_COMPOSE_PORTS = "https://docs.docker.com/reference/compose-file/services/#ports"

SECRET_IN_MANIFEST = Rule(
    id=RuleId("AIW-IAC001"),
    title="Secret in a container image or deployment manifest",
    severity=Severity.CRITICAL,
    summary="A credential is committed in a Kubernetes Secret/ConfigMap, Helm values or env.",
    help=(
        "A Kubernetes `Secret` manifest is only base64-encoded, a `ConfigMap` not even "
        "that, and a value in Helm values, a compose `environment:` block or a Dockerfile "
        "`ENV`/`ARG` ends up in the repository and in every image layer. Whoever can read "
        "the repository or pull the image gets the model provider, Hugging Face or cloud "
        "credential (Lasso Security found 1,681 valid Hugging Face tokens this way).\n\n"
        "Provider-shaped tokens anywhere are reported by the secrets analyzer (`AIW-SEC`); "
        "this rule adds what only a deployment-aware parser sees: decoded values of a "
        "committed `Secret`, and plain values under secret-named keys (`*_TOKEN`, "
        "`*_API_KEY`, `*PASSWORD`, `*_SECRET`) in ConfigMaps, values files and env blocks.\n\n"
        "```yaml\n"
        "kind: Secret\n"
        "stringData:\n"
        "  MLFLOW_TRACKING_PASSWORD: s3cr3t-Passw0rd   # reported\n"
        "---\n"
        "env:\n"
        "  - name: MLFLOW_TRACKING_PASSWORD\n"
        "    valueFrom: {secretKeyRef: {name: mlflow, key: password}}  # fine\n"
        "```"
    ),
    remediation=(
        "Rotate the credential, then keep it out of the repository: an external secret "
        "store (External Secrets, Vault, a cloud secret manager), Sealed Secrets or SOPS "
        "for manifests, `${VAR}` references in compose, BuildKit `--secret` mounts instead "
        "of `ARG`/`ENV` in Dockerfiles."
    ),
    guidelines=("DV-2", "DV-2.a", "DP-1"),
    cwe=(798, 312),
    owasp_llm=("LLM02:2025",),
    atlas=("AML.T0055",),
    references=(_K8S_SECRETS, _LASSO),
    tags=(*_TAGS, "secrets"),
)

PORT_EXPOSED = Rule(
    id=RuleId("AIW-IAC002"),
    title="AI service port published on all interfaces",
    severity=Severity.HIGH,
    summary="A Ray, TorchServe, Ollama, MLflow, Jupyter, Gradio, Streamlit or inference port "
    "is reachable from any network.",
    help=(
        "Most AI control planes ship without authentication: the Ray dashboard and Jobs "
        "API (ShadowRay, CVE-2023-48022), TorchServe's management API (ShellTorch, "
        "CVE-2023-43654), Ollama (Probllama, CVE-2024-37032), MLflow, Jupyter. Publishing "
        'their port with `"8265:8265"`, `docker run -p 11434:11434` or a Kubernetes '
        "Service of type `LoadBalancer`/`NodePort` makes them reachable from every network "
        "the host is on, and internet scans find them within hours.\n\n"
        "A service whose own authentication is configured (vLLM `--api-key`, MLflow "
        "`--app-name basic-auth`, a Jupyter token, `RAY_AUTH_MODE=token`) is not reported.\n\n"
        "```yaml\n"
        "ports:\n"
        '  - "8265:8265"            # reported: all interfaces\n'
        '  - "127.0.0.1:8265:8265"  # fine: loopback only\n'
        "```"
    ),
    remediation=(
        "Bind the published port to `127.0.0.1`, use `expose:` for container-to-container "
        "traffic, keep Services `ClusterIP`, and put an authenticating reverse proxy "
        "(oauth2-proxy, an Ingress with auth) in front of anything that must be reachable."
    ),
    guidelines=("DP-1", "DP-1.a"),
    cwe=(306, 1188, 284),
    owasp_llm=("LLM10:2025", "LLM03:2025"),
    atlas=("AML.T0049",),
    references=(_SHADOWRAY, _SHELLTORCH, _PROBLLAMA, _COMPOSE_PORTS),
    tags=_TAGS,
)

RAY_NO_AUTH = Rule(
    id=RuleId("AIW-IAC003"),
    title="Ray cluster without authentication",
    severity=Severity.CRITICAL,
    summary="The Ray dashboard/Jobs API is opened to the network without token authentication.",
    help=(
        "Ray's dashboard and Jobs API execute arbitrary code for whoever can reach them; "
        "there is no authentication unless token mode is switched on (`RAY_AUTH_MODE=token`, "
        "Ray 2.52+; KubeRay `authOptions`). ShadowRay (CVE-2023-48022) compromised "
        "thousands of clusters started with `--dashboard-host 0.0.0.0`.\n\n"
        "Reported: `ray start --head --dashboard-host 0.0.0.0` without `RAY_AUTH_MODE=token` "
        "in the environment; a KubeRay `RayCluster`/`RayService`/`RayJob` without token "
        "`authOptions` whose head service is `LoadBalancer`/`NodePort` or has "
        "`enableIngress: true` (critical), or that merely lacks `authOptions` (medium: any "
        "pod in the cluster can submit jobs).\n\n"
        "```yaml\n"
        "headGroupSpec:\n"
        "  serviceType: LoadBalancer       # reported\n"
        "  rayStartParams: {dashboard-host: '0.0.0.0'}\n"
        "---\n"
        "authOptions: {mode: token}       # fine, with a ClusterIP head service\n"
        "```"
    ),
    remediation=(
        "Enable token authentication (`RAY_AUTH_MODE=token` / KubeRay `authOptions`), keep "
        "the dashboard on `127.0.0.1` or a `ClusterIP` service and reach it through "
        "`kubectl port-forward` or an authenticating proxy."
    ),
    guidelines=("DP-1", "DP-1.a"),
    cwe=(306, 1188),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0049",),
    references=(_SHADOWRAY, _RAY_SECURITY),
    tags=(*_TAGS, "ray"),
)

TORCHSERVE_MANAGEMENT = Rule(
    id=RuleId("AIW-IAC004"),
    title="TorchServe management plane exposed or unauthenticated",
    severity=Severity.CRITICAL,
    summary="TorchServe's management API is open, token auth is off, or models may be "
    "registered from any URL.",
    help=(
        "The TorchServe management API registers models, and a model archive is code. "
        "ShellTorch (CVE-2023-43654) chained a management API on `0.0.0.0`, model "
        "registration from arbitrary URLs and SnakeYAML deserialisation (CVE-2022-1471) "
        "into remote code execution.\n\n"
        "Reported in `config.properties` and `torchserve` command lines: "
        "`management_address` on `0.0.0.0`, `disable_token_authorization=true` / "
        "`--disable-token-auth`, `enable_model_api=true` / `--enable-model-api`, and "
        "`allowed_urls` with wildcards.\n\n"
        "```properties\n"
        "management_address=http://0.0.0.0:8081   # reported\n"
        "management_address=http://127.0.0.1:8081 # fine\n"
        "```"
    ),
    remediation=(
        "Keep `management_address` on `127.0.0.1`, leave token authorization and the "
        "disabled model API at their defaults, restrict `allowed_urls` to your own model "
        "store, and upgrade to TorchServe 0.8.2 or later."
    ),
    guidelines=("DP-1", "DP-2", "DP-1.a"),
    cwe=(306, 918, 1188),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0049",),
    references=(_SHELLTORCH, _TS_SECURITY, "https://nvd.nist.gov/vuln/detail/CVE-2022-1471"),
    tags=(*_TAGS, "torchserve"),
)

OLLAMA_EXPOSED = Rule(
    id=RuleId("AIW-IAC005"),
    title="Ollama exposed without an authenticating proxy",
    severity=Severity.HIGH,
    summary="Ollama (which has no authentication) listens on all host interfaces, accepts any "
    "origin, or runs a release with known remote-code bugs.",
    help=(
        "Ollama has no authentication. On a host (a shell script, `network_mode: host`, "
        "`hostNetwork`), `OLLAMA_HOST=0.0.0.0` exposes the API that pulls models, reads "
        "files and runs inference to the whole network; `OLLAMA_ORIGINS=*` lets any web "
        "page drive it from a browser. Probllama (CVE-2024-37032, fixed in 0.1.34) turned "
        "`/api/pull` into arbitrary file write and code execution. In a container "
        "`OLLAMA_HOST=0.0.0.0` is reported only when port 11434 is also published on all "
        "interfaces (the published port itself is `AIW-IAC002`).\n\n"
        "```yaml\n"
        "environment:\n"
        '  OLLAMA_ORIGINS: "*"                 # reported\n'
        "image: ollama/ollama:0.1.32           # reported: before 0.1.34\n"
        "```"
    ),
    remediation=(
        "Bind Ollama to `127.0.0.1` on hosts, keep origins to the sites that need them, "
        "put an authenticating proxy in front of it, and run a current release."
    ),
    guidelines=("DP-1", "DP-1.a"),
    cwe=(306, 1188, 942),
    owasp_llm=("LLM10:2025", "LLM03:2025"),
    atlas=("AML.T0049",),
    references=(_PROBLLAMA, "https://github.com/ollama/ollama/blob/main/docs/faq.md"),
    tags=(*_TAGS, "ollama"),
)

MLFLOW_NO_AUTH = Rule(
    id=RuleId("AIW-IAC006"),
    title="MLflow tracking server without authentication",
    severity=Severity.HIGH,
    summary="`mlflow server` listens on all interfaces without `--app-name basic-auth`, or an "
    "MLflow release with known file-read bugs is deployed.",
    help=(
        "An unauthenticated MLflow server lets anyone read and overwrite experiments, "
        "registered models and artifacts; older releases also read arbitrary files from "
        "the host (CVE-2023-1177, fixed 2.2.1; CVE-2023-6831, fixed 2.9.2).\n\n"
        "```bash\n"
        "mlflow server --host 0.0.0.0                          # reported\n"
        "mlflow server --host 0.0.0.0 --app-name basic-auth   # fine\n"
        "```"
    ),
    remediation=(
        "Start the server with `--app-name basic-auth` (or behind an authenticating proxy), "
        "bind it to `127.0.0.1` where possible, and run MLflow 2.9.2 or later."
    ),
    guidelines=("DP-1", "DP-1.b", "DV-2", "DV-2.d"),
    cwe=(306, 22),
    owasp_llm=("LLM03:2025", "LLM02:2025"),
    atlas=("AML.T0049",),
    references=(_MLFLOW_1177, _MLFLOW_6831, _MLFLOW_AUTH),
    tags=(*_TAGS, "mlflow"),
)

JUPYTER_NO_AUTH = Rule(
    id=RuleId("AIW-IAC007"),
    title="Jupyter without authentication",
    severity=Severity.CRITICAL,
    summary="A Jupyter server has an empty token and password, or XSRF/origin checks are off.",
    help=(
        "A Jupyter server is a remote shell. With `token=''` and no password anyone who "
        "reaches it runs code as the server's user; cryptojacking campaigns (Qubitstrike, "
        "2023) harvest exactly these. `disable_check_xsrf` and `allow_origin='*'` let any "
        "web page do the same through the user's browser; `--allow-root` makes it root.\n\n"
        "```bash\n"
        "jupyter lab --ip=0.0.0.0 --ServerApp.token=''         # reported\n"
        "jupyter lab --ip=0.0.0.0                              # fine: random token\n"
        "```"
    ),
    remediation=(
        "Keep the generated token or set a hashed password (`jupyter server password`), "
        "never disable XSRF checks, run as a non-root user, and prefer JupyterHub for "
        "shared servers."
    ),
    guidelines=("DP-1", "DP-1.a"),
    cwe=(306, 1188, 352),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0049",),
    references=(_JUPYTER_SEC,),
    tags=(*_TAGS, "jupyter"),
)

INFERENCE_SERVER = Rule(
    id=RuleId("AIW-IAC008"),
    title="Inference server without an API key or with remote code enabled",
    severity=Severity.HIGH,
    summary="A vLLM, TGI or llama.cpp server runs without `--api-key`, or with "
    "`--trust-remote-code`.",
    help=(
        "An OpenAI-compatible server without a key serves (and bills) anyone who reaches "
        "it. `--trust-remote-code` runs Python shipped in the model repository at load "
        "time: a changed or typosquatted model is code execution in the serving pod. "
        "vLLM's multi-node transport also deserialised pickles from the network "
        "(CVE-2025-30165).\n\n"
        "```bash\n"
        "vllm serve org/model --trust-remote-code        # reported (twice over)\n"
        'vllm serve org/model --api-key "$VLLM_API_KEY"  # fine\n'
        "```"
    ),
    remediation=(
        "Pass `--api-key` (or set `VLLM_API_KEY`), or put the server behind an "
        "authenticating gateway; drop `--trust-remote-code` or pin the model to a reviewed "
        "revision; keep multi-node ports on a private network."
    ),
    guidelines=("DP-1", "DV-1", "DV-1.a"),
    cwe=(306, 94, 494),
    owasp_llm=("LLM03:2025", "LLM10:2025"),
    atlas=("AML.T0049", "AML.T0010"),
    references=(_VLLM_30165, _VLLM_SEC),
    tags=(*_TAGS, "inference"),
)

DEMO_UI_PUBLIC = Rule(
    id=RuleId("AIW-IAC009"),
    title="Public demo UI settings",
    severity=Severity.MEDIUM,
    summary="Gradio share links, or Gradio/Streamlit bound to all host interfaces or with "
    "XSRF/CORS protection off.",
    help=(
        "`GRADIO_SHARE=True` opens a public `*.gradio.live` tunnel with no authentication; "
        "Gradio's `/file` route read arbitrary files on such apps (CVE-2023-51449). On a "
        "host, `GRADIO_SERVER_NAME=0.0.0.0` or `streamlit run --server.address 0.0.0.0` "
        "publish the demo to the network, and `--server.enableXsrfProtection false` "
        "removes a browser-side defence.\n\n"
        "```bash\n"
        "GRADIO_SHARE=True python app.py     # reported\n"
        "python app.py                       # fine: 127.0.0.1 by default\n"
        "```"
    ),
    remediation=(
        "Do not use share links for anything with data behind it; bind to `127.0.0.1` and "
        "publish through an authenticating proxy, or pass `auth=` to `launch()`."
    ),
    guidelines=("DP-1", "DP-1.b", "DP-5.a"),
    cwe=(200, 306),
    owasp_llm=("LLM02:2025",),
    atlas=("AML.T0049",),
    references=(_GRADIO_51449, "https://www.gradio.app/guides/sharing-your-app"),
    tags=(*_TAGS, "gradio", "streamlit"),
)

OVER_PRIVILEGED = Rule(
    id=RuleId("AIW-IAC010"),
    title="Over-privileged AI workload",
    severity=Severity.MEDIUM,
    summary="A container runs privileged, as root, on the host network/PID namespace, with "
    "added capabilities, or mounts the Docker socket or a shared model cache from the host.",
    help=(
        "GPU workloads are often given `privileged: true` or the host network to make "
        "drivers work. A compromised model server (a malicious model, a deserialisation "
        "bug) then owns the node: the Docker socket is root on the host, and a writable "
        "host model cache lets one workload poison the weights every other one loads.\n\n"
        "```yaml\n"
        "securityContext:\n"
        "  privileged: true                # reported\n"
        "volumes:\n"
        "  - /var/run/docker.sock:/var/run/docker.sock   # reported\n"
        "```"
    ),
    remediation=(
        "Use the NVIDIA device plugin / `--gpus` instead of privileged mode, run as a "
        "non-root user, drop the host network and PID namespaces, and mount model caches "
        "read-only from a volume the workload owns."
    ),
    guidelines=("DP-1", "DP-1.c"),
    cwe=(250, 269),
    owasp_llm=("LLM06:2025",),
    atlas=("AML.T0049",),
    references=(_K8S_PSS, _DOCKER_BP),
    tags=(*_TAGS, "containers"),
)

UNVERIFIED_MODEL_FETCH = Rule(
    id=RuleId("AIW-IAC011"),
    title="Model or installer fetched without integrity check",
    severity=Severity.MEDIUM,
    summary="Weights are downloaded at build or start without a pinned revision or checksum, "
    "or a remote script is piped to a shell.",
    help=(
        "`huggingface-cli download org/model` fetches whatever the repository holds at "
        "build time; a compromised or renamed repository ships a different (possibly "
        "pickled, code-executing) model into the image. `curl … | sh` runs a script "
        "nobody reviewed. Both are supply-chain entry points (about a hundred malicious "
        "models were found on the Hub in 2024).\n\n"
        "```dockerfile\n"
        "RUN huggingface-cli download org/model                          # reported\n"
        "RUN huggingface-cli download org/model --revision 3f1c…e2a9     # fine\n"
        'RUN curl -fsSLO https://x/m.gguf && echo "<sha256>  m.gguf" | sha256sum -c  # fine\n'
        "```"
    ),
    remediation=(
        "Pin `--revision` to a commit hash, verify downloaded files with `sha256sum -c` or "
        "`ADD --checksum=`, and download installers, review and pin them instead of piping "
        "them to a shell."
    ),
    guidelines=("DV-1", "DV-1.a", "DP-2"),
    cwe=(494, 829),
    owasp_llm=("LLM03:2025", "LLM04:2025"),
    atlas=("AML.T0010", "AML.T0010.003"),
    references=(_HF_DOWNLOAD,),
    tags=(*_TAGS, "supply-chain"),
)

UNPINNED_IMAGE = Rule(
    id=RuleId("AIW-IAC012"),
    title="Unpinned container image",
    severity=Severity.LOW,
    summary="A base or AI service image is used without a tag, with `:latest`, or with a "
    "floating tag.",
    help=(
        "`FROM pytorch/pytorch` or `image: ollama/ollama:latest` pull a different image "
        "whenever the tag moves, so builds are not reproducible and a compromised or "
        "broken upstream release reaches production unreviewed.\n\n"
        "```dockerfile\n"
        "FROM vllm/vllm-openai:latest                          # reported\n"
        "FROM vllm/vllm-openai:v0.8.5@sha256:…                 # fine\n"
        "```"
    ),
    remediation=(
        "Pin an exact release tag and preferably the digest (`image:tag@sha256:…`); let "
        "Dependabot or Renovate propose updates."
    ),
    guidelines=("DV-1", "DV-1.b", "OM-3"),
    cwe=(494, 1104),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0010",),
    references=(_DOCKER_BP,),
    tags=(*_TAGS, "supply-chain"),
)

NO_NETWORK_ISOLATION = Rule(
    id=RuleId("AIW-IAC013"),
    title="Model endpoint without network policy or ingress authentication",
    severity=Severity.MEDIUM,
    summary="A namespace running model servers has no NetworkPolicy, or an Ingress routes to "
    "a model or dashboard service without authentication.",
    help=(
        "Inside a cluster every pod can reach every model server and dashboard unless a "
        "NetworkPolicy says otherwise; an Ingress (or OpenShift Route) without an "
        "authentication annotation publishes the service to whoever can resolve the host "
        "name.\n\n"
        "The NetworkPolicy check looks at the manifest files in the same directory and "
        "its parent.\n\n"
        "```yaml\n"
        "kind: Ingress\n"
        "metadata:\n"
        "  annotations:\n"
        "    nginx.ingress.kubernetes.io/auth-url: https://auth.example.com/oauth2/auth  # fine\n"
        "```"
    ),
    remediation=(
        "Add a default-deny NetworkPolicy for the namespace with explicit allows for the "
        "gateway, and require authentication at the Ingress (`auth-url`/`auth-type` "
        "annotations, an oauth2-proxy, your gateway's auth plugin)."
    ),
    guidelines=("DP-1", "DP-1.a"),
    cwe=(284, 306),
    owasp_llm=("LLM10:2025",),
    atlas=("AML.T0049",),
    references=(_K8S_NETPOL,),
    tags=(*_TAGS, "kubernetes"),
)

NO_RESOURCE_LIMITS = Rule(
    id=RuleId("AIW-IAC014"),
    title="No resource limits on an inference or training pod",
    severity=Severity.LOW,
    summary="A model-serving or GPU container has no CPU/memory limits.",
    help=(
        "A model server without limits lets one flood of long prompts (OWASP LLM10, "
        "unbounded consumption) take the node's memory and starve every other workload; "
        "autoscaling then multiplies the bill.\n\n"
        "```yaml\n"
        "resources:\n"
        "  limits: {cpu: '8', memory: 32Gi, nvidia.com/gpu: 1}   # fine\n"
        "```"
    ),
    remediation="Set `resources.limits` for CPU and memory (and GPUs) on every container.",
    guidelines=("DP-1", "DP-1.a", "OM-1"),
    cwe=(770, 400),
    owasp_llm=("LLM10:2025",),
    atlas=("AML.T0029", "AML.T0034"),
    references=("https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",),
    tags=(*_TAGS, "kubernetes"),
)

METRICS_EXPOSED = Rule(
    id=RuleId("AIW-IAC015"),
    title="Metrics or debug endpoint exposed",
    severity=Severity.LOW,
    summary="A model server's metrics port is published on all interfaces or a public Service.",
    help=(
        "Metrics endpoints (Triton 8002, TorchServe 8082, Ray 44217) reveal model names, "
        "versions, traffic and errors to reconnaissance, and some debug endpoints allow "
        "more than reading.\n\n"
        "```yaml\n"
        "ports:\n"
        '  - "8082:8082"            # reported\n'
        '  - "127.0.0.1:8082:8082"  # fine\n'
        "```"
    ),
    remediation="Scrape metrics over the cluster network; never publish the port publicly.",
    guidelines=("DP-1", "DP-1.b", "OM-1"),
    cwe=(200,),
    owasp_llm=("LLM02:2025",),
    atlas=("AML.T0049",),
    references=(_TS_SECURITY,),
    tags=(*_TAGS, "observability"),
)

HELM_AUTH_DISABLED = Rule(
    id=RuleId("AIW-IAC016"),
    title="Authentication disabled in AI Helm values",
    severity=Severity.MEDIUM,
    summary="Chart values turn authentication off, expose a service as LoadBalancer/NodePort "
    "or keep a default password.",
    help=(
        "AI charts (KubeRay, MLflow, JupyterHub, Ollama, vLLM stacks) expose their "
        "security through values: `auth.enabled: false`, `service.type: LoadBalancer`, "
        "`adminPassword: admin`. A values file in the repository is what gets deployed.\n\n"
        "```yaml\n"
        "auth:\n"
        "  enabled: false          # reported\n"
        "service:\n"
        "  type: LoadBalancer      # reported\n"
        "```"
    ),
    remediation=(
        "Enable the chart's authentication, keep services `ClusterIP` behind an "
        "authenticating Ingress, and take passwords from an existing Secret."
    ),
    guidelines=("DP-1", "DP-1.a"),
    cwe=(1188, 306, 521),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0049",),
    references=("https://helm.sh/docs/chart_best_practices/values/",),
    tags=(*_TAGS, "helm"),
)

UNPARSEABLE = Rule(
    id=RuleId("AIW-IAC099"),
    title="Deployment file could not be analysed",
    severity=Severity.MEDIUM,
    summary="A Dockerfile, compose file, manifest or serving config did not parse or hit a "
    "safety bound, so its checks did not run.",
    help=(
        "aiwarden fails closed: a file recognised as a Dockerfile, compose file, "
        "Kubernetes manifest or serving config that cannot be parsed (invalid YAML, binary "
        "content, an alias bomb, nesting beyond the bound) is reported instead of passing "
        "silently. YAML files that are neither Kubernetes, compose nor Helm values shaped "
        "are not claimed and not reported; Helm templates (`{{ … }}`) are skipped.\n\n"
        "```yaml\n"
        "a: &a [x, x, x]\n"
        "b: &b [*a, *a, *a]   # … nine levels deep: reported, never expanded\n"
        "```"
    ),
    remediation="Fix the syntax, or remove the file from the deployment if it is not used.",
    guidelines=("DP-1", "DP-1.a"),
    cwe=(20,),
    owasp_llm=("LLM03:2025",),
    references=("https://yaml.org/spec/1.2.2/",),
    tags=_TAGS,
)

RULES: tuple[Rule, ...] = (
    SECRET_IN_MANIFEST,
    PORT_EXPOSED,
    RAY_NO_AUTH,
    TORCHSERVE_MANAGEMENT,
    OLLAMA_EXPOSED,
    MLFLOW_NO_AUTH,
    JUPYTER_NO_AUTH,
    INFERENCE_SERVER,
    DEMO_UI_PUBLIC,
    OVER_PRIVILEGED,
    UNVERIFIED_MODEL_FETCH,
    UNPINNED_IMAGE,
    NO_NETWORK_ISOLATION,
    NO_RESOURCE_LIMITS,
    METRICS_EXPOSED,
    HELM_AUTH_DISABLED,
    UNPARSEABLE,
)
