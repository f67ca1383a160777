"""``AIW-MOD1xx`` rules reported by the Keras model analyzer.

Every guideline, OWASP LLM and MITRE ATLAS id used here exists in the catalogue.
"""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_GUIDELINES = ("SD-3.d", "DV-1.b", "DP-2.a")
_OWASP = ("LLM03:2025",)
_ATLAS = ("AML.T0011.000", "AML.T0018.002", "AML.T0010.003")

_KERAS_SAFE_MODE = "https://keras.io/api/models/model_saving_apis/model_saving_and_loading/"
_KERAS_SERIALIZATION = "https://keras.io/guides/serialization_and_saving/"
_CVE_2024_3660 = "https://nvd.nist.gov/vuln/detail/CVE-2024-3660"
_CVE_2025_1550 = "https://github.com/keras-team/keras/security/advisories/GHSA-48g7-3x6r-xfhp"
_CVE_2025_8747 = "https://nvd.nist.gov/vuln/detail/CVE-2025-8747"
_CVE_2025_9905 = "https://github.com/io-no/CVE-Reports/issues/7"
_CVE_2025_9906 = "https://github.com/io-no/CVE-Reports/issues/5"
_CVE_2026_1669 = "https://nvd.nist.gov/vuln/detail/CVE-2026-1669"
_JFROG_LAMBDA = "https://research.jfrog.com/model-threats/keras-lambda"
_JFROG_CUSTOM = "https://research.jfrog.com/model-threats/keras-custom"
_HUNTR_KERAS = "https://blog.huntr.com/hunting-vulnerabilities-in-keras-model-deserialization"
_H5_EXTERNAL = "https://docs.h5py.org/en/stable/high/group.html#external-links"

_DO_NOT_LOAD = (
    "Do not load this model. Obtain it from its original publisher, verify its hash, and "
    "prefer a weights-only format (safetensors) with the architecture rebuilt from "
    "reviewed code. Keep Keras >= 3.11 and never pass `safe_mode=False` or load `.h5` "
    "files from untrusted sources: the legacy HDF5 loader ignores `safe_mode`."
)

LAMBDA_BYTECODE = Rule(
    id=RuleId("AIW-MOD101"),
    title="Keras Lambda layer carries marshalled Python bytecode",
    severity=Severity.CRITICAL,
    summary="A Lambda layer stores its function as Python bytecode that runs when loaded.",
    help=(
        "Keras serialises a `Lambda` layer built from a Python lambda as base64-encoded "
        "`marshal` bytecode (`python_utils.func_dump`). Loading the model calls "
        "`marshal.loads` and builds a function from it: whatever the bytecode does runs "
        "with your privileges as soon as the model is loaded or called (CVE-2024-3660). "
        "`safe_mode=True` blocks this only for `.keras` files on recent Keras; the legacy "
        "HDF5 loader ignores it (CVE-2025-9905), and a crafted config can switch it off "
        "(CVE-2025-9906).\n\n"
        "aiwarden never unmarshals the code; the evidence lists the names and strings it "
        "reads from the marshal data, such as `os`, `system` or `exec`."
    ),
    remediation=_DO_NOT_LOAD,
    guidelines=_GUIDELINES,
    cwe=(94, 502),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_CVE_2024_3660, _CVE_2025_9905, _JFROG_LAMBDA, _KERAS_SAFE_MODE),
    tags=("model", "keras", "supply-chain", "code-execution"),
)

LAMBDA_FUNCTION = Rule(
    id=RuleId("AIW-MOD102"),
    title="Keras Lambda layer calls a function named in the config",
    severity=Severity.HIGH,
    summary="A Lambda layer calls a function that the loader looks up by name.",
    help=(
        "This `Lambda` layer holds no bytecode but names the function it calls "
        "(`function_type: function`, or a serialised function reference). When the model "
        "is loaded the name is resolved (legacy Keras also looks it up in the globals of "
        "the module named in the config) and the function is called with attacker-chosen "
        "`arguments` while the model is built. Published `safe_mode` bypasses chain "
        "exactly this: a Lambda that calls `keras.models.load_model` with "
        "`safe_mode=False` or an internal setter that disables safe mode "
        "(CVE-2025-8747, CVE-2025-9906)."
    ),
    remediation=(
        "Check that the named function is code you trust and expect in this model, and "
        "rebuild the layer from reviewed code rather than loading it from the file. " + _DO_NOT_LOAD
    ),
    guidelines=_GUIDELINES,
    cwe=(94, 502),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_CVE_2025_9906, _CVE_2025_8747, _JFROG_CUSTOM, _HUNTR_KERAS, _KERAS_SAFE_MODE),
    tags=("model", "keras", "supply-chain"),
)

DANGEROUS_REFERENCE = Rule(
    id=RuleId("AIW-MOD103"),
    title="Keras config references a callable that can execute code",
    severity=Severity.CRITICAL,
    summary="The model config names a module or function that runs code or reaches the system.",
    help=(
        'Keras configs name the objects to rebuild: `{"module": ..., "class_name": '
        '..., "config": ...}` in Keras 3, strings for activations, losses and '
        "initializers. Keras before 3.9 imported any module named there, even with "
        '`safe_mode=True` (CVE-2025-1550), so `{"module": "os", "class_name": '
        '"function", "config": "system"}` as an activation runs a shell command. '
        "Later bypasses reach dangerous functions *inside* Keras instead: "
        "`keras.utils.get_file` (download and overwrite files, CVE-2025-8747), "
        "`keras.config.enable_unsafe_deserialization` or `keras.models.load_model` with "
        "`safe_mode=False` (CVE-2025-9906). Real models never reference these."
    ),
    remediation=_DO_NOT_LOAD,
    guidelines=_GUIDELINES,
    cwe=(502, 94, 470),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_CVE_2025_1550, _CVE_2025_8747, _CVE_2025_9906, _JFROG_CUSTOM, _HUNTR_KERAS),
    tags=("model", "keras", "supply-chain", "code-execution"),
)

CUSTOM_OBJECT = Rule(
    id=RuleId("AIW-MOD104"),
    title="Keras config references code outside Keras",
    severity=Severity.HIGH,
    summary="The model config names a class or function from a module outside Keras.",
    help=(
        "The config refers to an object from a module that is not part of Keras "
        "(`keras`, `tf_keras`, `tensorflow.keras`, `keras_hub`, `keras_nlp`, "
        "`keras_cv`). Custom layers and functions are legitimate, but loading the model "
        "runs their code: Keras before 3.9 imports the named module itself "
        "(CVE-2025-1550), later versions need you to supply it. A function reference or "
        "an unregistered class is reported as high; a registered custom class "
        "(`registered_name` `package>Name`) as medium."
    ),
    remediation=(
        "Confirm that every reported module is code you have reviewed and expect to run "
        "for this model, and pass it explicitly through `custom_objects`. " + _DO_NOT_LOAD
    ),
    guidelines=_GUIDELINES,
    cwe=(502, 470),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_CVE_2025_1550, _KERAS_SERIALIZATION),
    tags=("model", "keras", "supply-chain"),
)

UNPARSEABLE_CONFIG = Rule(
    id=RuleId("AIW-MOD105"),
    title="Keras model config could not be parsed",
    severity=Severity.HIGH,
    summary="A Keras model's config is not valid JSON or not the shape Keras writes.",
    help=(
        "The model's architecture config (`model_config`/`training_config` in an HDF5 "
        "file, `config.json` in a `.keras` archive) is not valid JSON, is not a JSON "
        "object, or the HDF5 container itself could not be opened. aiwarden cannot "
        "check what loading it would build, and parser differentials are a known way to "
        "hide a payload from scanners, so the file is reported rather than passed."
    ),
    remediation=(
        "Do not load the file. Re-download it from its publisher, verify its hash, and "
        "scan it again."
    ),
    guidelines=_GUIDELINES,
    cwe=(502, 20),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_KERAS_SERIALIZATION, _KERAS_SAFE_MODE),
    tags=("model", "keras", "fail-closed"),
)

ARCHIVE_ANOMALY = Rule(
    id=RuleId("AIW-MOD106"),
    title="Keras archive is malformed",
    severity=Severity.HIGH,
    summary="A `.keras` archive lacks its config, duplicates it, or could not be read.",
    help=(
        "A Keras v3 archive is a zip holding `config.json`, `metadata.json` and the "
        "weights (`model.weights.h5`). This one is missing `config.json` while holding "
        "weights, stores `config.json` more than once (different zip readers pick "
        "different copies, so a scanner and Keras may read different configs), or the "
        "zip itself is corrupt. What Keras would build from it cannot be verified."
    ),
    remediation=(
        "Do not load the file. Re-download it from its publisher, verify its hash, and "
        "scan it again; re-save it with Keras if you built it yourself."
    ),
    guidelines=_GUIDELINES,
    cwe=(502, 20),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_KERAS_SERIALIZATION,),
    tags=("model", "keras", "fail-closed"),
)

EXTERNAL_RESOURCE = Rule(
    id=RuleId("AIW-MOD107"),
    title="Keras model makes the loader read files or fetch resources outside the model",
    severity=Severity.HIGH,
    summary="Loading the model reads a path or URL chosen by the file, outside the model.",
    help=(
        "Weight files never need to reach outside themselves. HDF5 external links, "
        "external dataset storage and virtual datasets make `h5py` read another file on "
        "the host when Keras loads the weights, which then leak through the model's "
        "weights or outputs (CVE-2026-1669). In the config, a `StringLookup`/"
        "`IntegerLookup`/`TextVectorization` vocabulary given as a path, a `TFSMLayer` "
        "`filepath` or a `tensorflow_hub` handle make the loader read a file or load "
        "another (possibly code-carrying) model from the host or the network."
    ),
    remediation=(
        "Do not load the file from an untrusted source. A legitimate model keeps its "
        "vocabulary and weights inside the archive; re-save it with a current Keras so "
        "they are embedded."
    ),
    guidelines=_GUIDELINES,
    cwe=(73, 200),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_CVE_2026_1669, _H5_EXTERNAL, _KERAS_SERIALIZATION),
    tags=("model", "keras", "supply-chain", "file-access"),
)

SHAPE_BOMB = Rule(
    id=RuleId("AIW-MOD108"),
    title="Keras weight dataset declares far more data than it stores",
    severity=Severity.MEDIUM,
    summary="An HDF5 weight dataset declares a huge shape backed by almost no stored data.",
    help=(
        "A dataset in the Keras weights declares an in-memory size of several gigabytes "
        "while the file stores almost none of it (chunked storage with unwritten chunks "
        "reads back as fill values). Loading the model allocates the declared size: a "
        "kilobyte file can exhaust the host's memory (a denial of service fixed in Keras "
        "3.12.1 and 3.13.2)."
    ),
    remediation="Do not load the file; real weights store every byte they declare.",
    guidelines=_GUIDELINES,
    cwe=(400, 770),
    owasp_llm=(*_OWASP, "LLM10:2025"),
    atlas=_ATLAS,
    references=(_KERAS_SERIALIZATION,),
    tags=("model", "keras", "denial-of-service"),
)

KERAS_RULES: tuple[Rule, ...] = (
    LAMBDA_BYTECODE,
    LAMBDA_FUNCTION,
    DANGEROUS_REFERENCE,
    CUSTOM_OBJECT,
    UNPARSEABLE_CONFIG,
    ARCHIVE_ANOMALY,
    EXTERNAL_RESOURCE,
    SHAPE_BOMB,
)
