"""``AIW-NB`` rules: what a committed Jupyter notebook leaks or runs.

Secrets in notebooks are reported with the ``AIW-SEC`` rules and Python flaws in code
cells with the ``AIW-PY`` rules; the rules here cover what only notebooks have. Every
id used here must exist in the catalogue; a unit test checks that.
"""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_NB_DEFENSE = "https://github.com/protectai/nbdefense"
_NBFORMAT = "https://nbformat.readthedocs.io/en/latest/format_description.html"
_NBSTRIPOUT = "https://github.com/kynan/nbstripout"
_STRIP = (
    "Clear outputs before committing (`jupyter nbconvert --clear-output --inplace nb.ipynb`, "
    "or install `nbstripout` as a Git filter so it happens on every commit)."
)

PERSONAL_DATA = Rule(
    id=RuleId("AIW-NB002"),
    title="Personal data in saved notebook outputs",
    severity=Severity.MEDIUM,
    summary="A saved cell output shows personal data (email, phone, card number, IBAN, SSN).",
    help=(
        "Notebooks keep the output of every cell that was run: a `df.head()` of customer "
        "records, a printed user profile, an error message quoting a row. Committed, that "
        "data is published with the code, outside the controls of the system that held it.\n\n"
        "aiwarden looks only at saved outputs (stream text, `text/plain`, `text/html`, JSON "
        "and tracebacks) and validates what it finds: card numbers must pass the Luhn check "
        "and have an issuer prefix, IBANs their country length and mod-97 checksum, US SSNs "
        "a valid area and group; documentation domains such as `example.com` are ignored.\n\n"
        "```text\n"
        "   name      email                card\n"
        "0  Alice     alice@corp.io        4111 1111 1111 1111   <- reported\n"
        "```"
    ),
    remediation=(
        _STRIP + " Work on synthetic or masked data in notebooks that are shared, and treat "
        "a committed output with real personal data as a data breach to assess."
    ),
    guidelines=("DV-2", "DV-2.a", "DV-2.e", "DV-3"),
    cwe=(359, 312, 532),
    owasp_llm=("LLM02:2025",),
    atlas=("AML.T0057",),
    references=(
        _NB_DEFENSE,
        "https://microsoft.github.io/presidio/",
        _NBSTRIPOUT,
    ),
    tags=("notebook", "privacy", "pii"),
)

UNPINNED_INSTALL = Rule(
    id=RuleId("AIW-NB003"),
    title="Unpinned or piped install in a notebook cell",
    severity=Severity.MEDIUM,
    summary=(
        "A cell installs packages without pinned versions, from an extra index, or by piping "
        "a download to a shell."
    ),
    help=(
        "`%pip install transformers` installs whatever version the index serves the day the "
        "notebook is run: a compromised or typosquatted release, or a dependency-confusion "
        "package from `--extra-index-url` (pip picks the highest version across all indexes), "
        "runs its install hooks with the kernel's credentials. `curl … | sh` runs a script "
        "nobody reviewed.\n\n"
        "Reported: `%pip`/`!pip`/`!pip3`/`python -m pip`/`%conda`/`%mamba`/`!uv pip` installs "
        "of packages without `==` (ranges such as `>=` included, `-U`/`--upgrade` noted), any "
        "`--extra-index-url`, and `curl`/`wget` output piped to a shell or interpreter. "
        "`-r requirements.txt` (pin there, with hashes), local paths and `==` pins are fine.\n\n"
        "```python\n"
        "%pip install -U transformers            # reported\n"
        "%pip install transformers==4.46.3       # fine\n"
        "!curl -sSL https://x.sh | bash          # reported\n"
        "```"
    ),
    remediation=(
        "Pin every package to an exact version (`pkg==1.2.3`), better in a requirements or "
        "lock file installed with `--require-hashes`. Use a single index (`--index-url` of "
        "a proxy you control) instead of `--extra-index-url`. Download install scripts, "
        "verify their checksum, then run them."
    ),
    guidelines=("DV-1", "DV-1.a", "DV-1.b"),
    cwe=(829, 494, 1357),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0010.001", "AML.T0011.001"),
    references=(
        _NB_DEFENSE,
        "https://pip.pypa.io/en/stable/topics/secure-installs/",
        "https://pip.pypa.io/en/stable/cli/pip_install/#cmdoption-extra-index-url",
    ),
    tags=("notebook", "supply-chain", "dependencies"),
)

SENSITIVE_METADATA = Rule(
    id=RuleId("AIW-NB005"),
    title="Sensitive data in notebook metadata or widget state",
    severity=Severity.LOW,
    summary=(
        "Notebook or cell metadata (or saved widget state) holds a token, a home path with a "
        "user name, a cloud project id or kernel connection details."
    ),
    help=(
        "Jupyter and its extensions write metadata nobody reads before committing: Colab "
        "and Vertex AI record the Google Cloud project, VS Code and JupyterLab record the "
        "interpreter path (`/home/alice/.venv/bin/python`, `C:\\\\Users\\\\alice\\\\…`), saved "
        "widget state can hold the values typed into a password or token field, and a "
        "kernel connection file holds the HMAC key that lets anyone on the host run code in "
        "the kernel. This reveals user names, infrastructure and sometimes credentials.\n\n"
        "Recognised credentials in metadata are also reported with the `AIW-SEC` rules; "
        "this rule covers what is sensitive without being a recognised key.\n\n"
        "```json\n"
        '"metadata": {\n'
        '  "vscode": {"interpreter": {"path": "/home/alice/.venv/bin/python"}},   <- reported\n'
        '  "environment": {"gcp_project": "acme-fraud-prod"}                     <- reported\n'
        "}\n"
        "```"
    ),
    remediation=(
        "Strip metadata before committing (`nbstripout --extra-keys` for the keys your "
        "tools add, or `jupyter nbconvert --ClearMetadataPreprocessor.enabled=True`), and "
        "rotate any token or kernel key that was committed."
    ),
    guidelines=("DV-2", "DV-2.a", "DV-2.c"),
    cwe=(200, 359, 312),
    owasp_llm=("LLM02:2025",),
    atlas=("AML.T0055",),
    references=(_NB_DEFENSE, _NBSTRIPOUT, _NBFORMAT),
    tags=("notebook", "metadata", "privacy"),
)

ACTIVE_OUTPUT = Rule(
    id=RuleId("AIW-NB006"),
    title="Active JavaScript or HTML output committed in a notebook",
    severity=Severity.LOW,
    summary=(
        "A saved output carries JavaScript (`application/javascript`, `<script>`, "
        "`javascript:` URLs or event handlers)."
    ),
    help=(
        "Saved outputs are rendered when the notebook is opened: in JupyterLab for a "
        "trusted notebook, and in viewers and tools that render outputs without Jupyter's "
        "trust model. Script in an output then runs in the viewer's origin, with access to "
        "the Jupyter server API and its tokens (see CVE-2024-27132, code execution in MLflow "
        "through a notebook output). Plotting libraries commit such outputs routinely, which "
        "is why the severity is low; an unexpected script is worth a look.\n\n"
        "```json\n"
        '{"output_type": "display_data", "data": {"text/html": "<img src=x onerror=...>"}}\n'
        "```"
    ),
    remediation=(
        _STRIP + " Do not mark notebooks from others as trusted; render shared notebooks "
        "with outputs sanitised (nbconvert's HTML exporter sanitises by default since 7.0)."
    ),
    guidelines=("DV-2", "DV-1.b"),
    cwe=(79, 829),
    atlas=("AML.T0011.003",),
    references=(
        "https://jupyter-server.readthedocs.io/en/latest/operators/security.html",
        "https://nvd.nist.gov/vuln/detail/CVE-2024-27132",
        _NB_DEFENSE,
    ),
    tags=("notebook", "xss", "active-content"),
)

NOT_ANALYSED = Rule(
    id=RuleId("AIW-NB007"),
    title="Notebook could not be analysed",
    severity=Severity.MEDIUM,
    summary=(
        "The notebook is not valid JSON, not an nbformat notebook, or exceeds aiwarden's bounds."
    ),
    help=(
        "aiwarden parses `.ipynb` files as JSON with explicit bounds (size, nesting, number "
        "of cells and outputs) and expects the nbformat 4 (or 3) structure. A file that "
        "fails this was not analysed, or only partly, so secrets, personal data and code "
        "flaws in it may have been missed. A notebook that Jupyter cannot open either is "
        "also a way to smuggle content past review.\n\n"
        "```json\n"
        '{"cells": [{"cell_type": "code", "source": 42}], "nbformat": 4}   <- source is not text\n'
        "```"
    ),
    remediation=(
        "Open and re-save the notebook in Jupyter to repair it, split very large notebooks, "
        "or exclude the file if it is not meant to be a notebook."
    ),
    guidelines=("DV-2", "DV-2.a", "DV-1", "DV-1.a"),
    cwe=(20, 1284),
    references=(_NBFORMAT,),
    tags=("notebook", "fail-closed"),
)

RULES: tuple[Rule, ...] = (
    PERSONAL_DATA,
    UNPINNED_INSTALL,
    SENSITIVE_METADATA,
    ACTIVE_OUTPUT,
    NOT_ANALYSED,
)
