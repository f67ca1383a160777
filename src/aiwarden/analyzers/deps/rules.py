"""The dependency rules (AIW-SCA): metadata only; the checks live in ``_checks.py``."""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_OWASP = ("LLM03:2025",)
_ATLAS = ("AML.T0010.001",)
_OSV = "https://ossf.github.io/osv-schema/"
_PIP_SECURE = "https://pip.pypa.io/en/stable/topics/secure-installs/"
_PIP_REPEATABLE = "https://pip.pypa.io/en/stable/topics/repeatable-installs/"
_NCSC = "https://www.ncsc.gov.uk/collection/guidelines-secure-ai-system-development"

VULNERABLE = Rule(
    id=RuleId("AIW-SCA001"),
    title="Known-vulnerable dependency version",
    severity=Severity.HIGH,
    summary="A pinned or locked dependency version is affected by a published advisory.",
    help=(
        "The version pinned in a requirements file, `pyproject.toml`, a lock file or "
        "`package.json` is inside an affected range of an OSV advisory. Advisories come "
        "from the curated snapshot shipped with aiwarden (the AI packages behind real "
        "incidents: torch, transformers, keras, langchain, llama-cpp-python, vllm, mlflow, "
        "ray, gradio, langflow, bentoml, torchserve, mcp) and, after `aiwarden db import "
        "all.zip`, from a full OSV ecosystem dump; no network is used. The severity comes "
        "from the advisory's CVSS v3 vector, else its qualitative rating; an advisory the "
        "vendor disputes (such as Ray's CVE-2023-48022) is reported as info.\n\n"
        "```text\ntorch==2.5.1   # CVE-2025-32434: torch.load(weights_only=True) runs code\n```"
    ),
    remediation=(
        "Upgrade to the fixed version named in the finding (or later), regenerate the lock "
        "file, and redeploy. If you cannot upgrade yet, avoid the vulnerable feature named "
        "in the advisory and record the decision (a baseline entry with a reason)."
    ),
    guidelines=("DV-1.a", "DV-1.b", "OM-3.a"),
    cwe=(1395,),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_OSV, "https://osv.dev/", _NCSC),
    tags=("dependencies", "sca", "vulnerability"),
)

UNPINNED_AI = Rule(
    id=RuleId("AIW-SCA002"),
    title="AI/ML dependency not pinned",
    severity=Severity.MEDIUM,
    summary=(
        "An AI/ML package is declared with an open range or no version, and no lock file pins it."
    ),
    help=(
        "AI frameworks change fast and have a steady stream of code-execution advisories "
        "(model loading, chat templates, pickle over the network). When `torch`, "
        "`transformers`, `langchain`, `vllm`, an LLM SDK or a vector store is declared "
        "without an exact version and nothing pins it (a constraints file, or `poetry.lock`, "
        "`uv.lock`, `Pipfile.lock`, `package-lock.json` in the same directory, or the "
        "`requirements.txt` that pip-tools compiles from a `.in` file), each install may pull "
        "a different, untested or compromised release, and known-vulnerable versions cannot "
        "be detected.\n\n```text\ntransformers>=4.30   # flagged\ntransformers==4.48.0  # ok\n```"
    ),
    remediation=(
        "Pin the exact version (`==`), or keep ranges in the manifest and commit a lock "
        "file (`uv lock`, `poetry lock`, `pip-compile --generate-hashes`) that is what CI "
        "and the deployment install."
    ),
    guidelines=("DV-1.b", "DV-2.d"),
    cwe=(1357, 1104),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_PIP_REPEATABLE, _NCSC),
    tags=("dependencies", "sca", "pinning"),
)

NO_LOCK_FOR_SERVICE = Rule(
    id=RuleId("AIW-SCA003"),
    title="Deployable service installs without a lock file or hashes",
    severity=Severity.LOW,
    summary="A manifest next to a Dockerfile or compose file has neither a lock file nor hashes.",
    help=(
        "The signal for a deployable service is a `Dockerfile`, `Containerfile` or "
        "`compose`/`docker-compose` file in the same directory as the manifest. Such an "
        "image installs whatever the index serves at build time: without a lock file or "
        "`--hash` pins (which make pip refuse any artefact whose digest differs), a "
        "compromised or re-uploaded package reaches production unnoticed and builds are "
        "not reproducible. A library's manifest without a container file is not flagged.\n\n"
        "```text\n# requirements.txt beside a Dockerfile\nfastapi==0.115.0   # no --hash\n```"
    ),
    remediation=(
        "Generate a hashed lock (`pip-compile --generate-hashes`, `uv pip compile "
        "--generate-hashes`, `poetry lock`, `npm ci` with `package-lock.json`) and install "
        "from it in the image (`pip install --require-hashes -r requirements.txt`)."
    ),
    guidelines=("DV-1.d", "OM-3.a"),
    cwe=(1357,),
    owasp_llm=_OWASP,
    atlas=("AML.T0010.001", "AML.T0010.004"),
    references=(_PIP_SECURE, "https://slsa.dev/"),
    tags=("dependencies", "sca", "integrity"),
)

RISKY_SOURCE = Rule(
    id=RuleId("AIW-SCA004"),
    title="Risky package source",
    severity=Severity.MEDIUM,
    summary="An extra index, a plain-HTTP or untrusted host, or an unpinned URL/VCS dependency.",
    help=(
        "`--extra-index-url` (and Poetry `supplemental` sources) make pip consider every "
        "index for every package and take the highest version: anyone can publish your "
        "internal package name on PyPI with a higher version (dependency confusion, as "
        "with PyTorch's `torchtriton` nightly dependency in December 2022). `http://` "
        "indexes and `--trusted-host` let the network rewrite packages (reported as high). "
        "A `git+https://...` dependency without a full commit id, or a URL without a hash, "
        "installs whatever the branch or URL serves today.\n\n"
        "```text\n--extra-index-url https://pypi.internal.example/simple   # flagged\n"
        "git+https://github.com/org/lib@main                        # flagged\n```"
    ),
    remediation=(
        "Serve internal and public packages from one index that proxies PyPI "
        "(`--index-url`), or use uv's default `first-index` strategy / Poetry `explicit` "
        "sources bound to named packages. Use HTTPS without `--trusted-host`. Pin VCS "
        "dependencies to a 40-character commit and URL dependencies with `--hash`."
    ),
    guidelines=("DV-1.b", "DV-1.a"),
    cwe=(829, 1357),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(
        "https://pytorch.org/blog/compromised-nightly-dependency/",
        "https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-extra-index-url",
        _PIP_SECURE,
    ),
    tags=("dependencies", "sca", "dependency-confusion"),
)

UNMAINTAINED = Rule(
    id=RuleId("AIW-SCA005"),
    title="Unmaintained or end-of-life AI component",
    severity=Severity.LOW,
    summary="A dependency (or the pinned major version) no longer receives security fixes.",
    help=(
        "aiwarden keeps a short curated list of AI components that are end of life, in "
        "limited maintenance or superseded by a renamed package (TorchServe, NB Defense, "
        "`tensorflow-gpu`, `farm-haystack`, `gpt-index`, `pinecone-client`, PyTorch 1.x, "
        "LangChain 0.0.x, the OpenAI 0.x SDK). Vulnerabilities found in them later will "
        "not be fixed, so this is technical debt to plan away, each entry with its source."
        "\n\n```text\ntorchserve==0.12.0   # limited maintenance: no further fixes\n```"
    ),
    remediation=(
        "Plan a migration to the maintained successor named in the finding, and until then "
        "isolate the component (no public exposure, least privilege)."
    ),
    guidelines=("DV-4.a", "DV-4.c", "DV-1.b"),
    cwe=(1104,),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=("https://github.com/pytorch/serve", _NCSC),
    tags=("dependencies", "sca", "end-of-life"),
)

MCP_NPM = Rule(
    id=RuleId("AIW-SCA006"),
    title="Vulnerable or unpinned npm MCP package",
    severity=Severity.HIGH,
    summary="An npm MCP package (server, proxy, inspector) is vulnerable or floats on a range.",
    help=(
        "MCP servers and proxies run with the user's privileges and talk to remote "
        "parties: `mcp-remote` before 0.1.16 ran OS commands from a malicious "
        "authorization endpoint (CVE-2025-6514), MCP Inspector before 0.14.1 could be "
        "driven from a web page (CVE-2025-49596), and the filesystem server let symlinks "
        "and prefixes escape its allowed directories (CVE-2025-53109/53110). A version "
        "affected by an advisory is reported with the advisory's severity; a range "
        "(`^`, `~`, `*`, `latest`) without a `package-lock.json` is medium, and high when "
        "the lowest version it allows is itself vulnerable.\n\n"
        '```json\n{"dependencies": {"mcp-remote": "^0.1.10"}}\n```'
    ),
    remediation=(
        'Pin MCP packages to exact, fixed versions (`"mcp-remote": "0.1.16"`), commit '
        "`package-lock.json` and install with `npm ci`; pin `npx` invocations too "
        "(`npx mcp-remote@0.1.16`)."
    ),
    guidelines=("DV-1.b", "DV-1.a"),
    cwe=(1395, 1357),
    owasp_llm=_OWASP,
    atlas=("AML.T0010.005", "AML.T0010.001"),
    references=(
        "https://github.com/advisories/GHSA-6xpm-ggf7-wc3p",
        "https://github.com/modelcontextprotocol/inspector/security/advisories/GHSA-7f8r-222p-6f5g",
        "https://modelcontextprotocol.io/specification/2025-06-18/basic/security_best_practices",
    ),
    tags=("dependencies", "sca", "mcp", "npm"),
)

BY_DESIGN_EXPOSURE = Rule(
    id=RuleId("AIW-SCA007"),
    title="Component that relies on network isolation",
    severity=Severity.INFO,
    summary="A package whose servers have no authentication by design is part of the project.",
    help=(
        "Ray's dashboard and Jobs API, the MLflow tracking server, Jupyter, Langflow, "
        "TorchServe's management API and Ollama's API run code or serve models and data, "
        "and by default rely on being reachable only from a trusted network (ShadowRay, "
        "CVE-2023-48022, was exploited on internet-facing Ray clusters). This informational "
        "finding records that the project depends on one; aiwarden's deployment checks "
        "report the configurations that actually expose it.\n\n"
        "```text\nray[default]==2.40.0   # dashboard on :8265 has no authentication by default\n```"
    ),
    remediation=(
        "Bind these services to localhost or a private network, put authentication in "
        "front of them (a reverse proxy, `RAY_AUTH_MODE=token`, MLflow `--app-name "
        "basic-auth`), and keep them out of public load balancers."
    ),
    guidelines=("SD-2.b", "DP-1.b"),
    cwe=(306, 1357),
    owasp_llm=_OWASP,
    atlas=("AML.T0010.001",),
    references=("https://docs.ray.io/en/latest/ray-security/index.html", _NCSC),
    tags=("dependencies", "sca", "exposure"),
)

UNPARSEABLE = Rule(
    id=RuleId("AIW-SCA099"),
    title="Dependency manifest could not be analysed",
    severity=Severity.LOW,
    summary=(
        "Part of a manifest or lock file could not be parsed, so its dependencies were not checked."
    ),
    help=(
        "aiwarden reports what it cannot read instead of passing it: a requirement line "
        "that is not PEP 508, an unknown pip option, invalid TOML/JSON/YAML, an include "
        "outside the project or past the include bounds. Installers may read such a "
        "line differently from aiwarden, and a known-vulnerable pin could hide in it. A "
        "single line is low; a file that cannot be parsed at all (no dependency of it was "
        "checked) is medium.\n\n```text\ntorch=2.1.0   # not PEP 508 ('==' was meant)\n```"
    ),
    remediation=(
        "Fix the line (pip and aiwarden will then agree on what it means), or exclude "
        "the file if it is not a manifest."
    ),
    guidelines=("DV-1.a", "DV-2.d"),
    cwe=(1357,),
    owasp_llm=_OWASP,
    references=(_OSV,),
    tags=("dependencies", "sca", "fail-closed"),
)

RULES: tuple[Rule, ...] = (
    VULNERABLE,
    UNPINNED_AI,
    NO_LOCK_FOR_SERVICE,
    RISKY_SOURCE,
    UNMAINTAINED,
    MCP_NPM,
    BY_DESIGN_EXPOSURE,
    UNPARSEABLE,
)
