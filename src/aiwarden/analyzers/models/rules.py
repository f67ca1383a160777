"""``AIW-MOD`` rules reported by the pickle serialization analyzer.

Every id used here (guidelines, OWASP LLM, MITRE ATLAS) must exist in the catalogue;
a unit test checks that.
"""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_GUIDELINES = ("SD-3.d", "DV-1.b", "DP-2.a")
_OWASP = ("LLM03:2025",)
_ATLAS = ("AML.T0011.000", "AML.T0010.003")
_CWE_DESERIALIZATION = (502,)

_PICKLE_DOCS = "https://docs.python.org/3/library/pickle.html"
_HF_PICKLE = "https://huggingface.co/docs/hub/security-pickle"
_TORCH_LOAD = "https://pytorch.org/docs/stable/generated/torch.load.html"
_FICKLING = "https://github.com/trailofbits/fickling"
_SAFETENSORS = "https://huggingface.co/docs/safetensors/index"

_LOAD_SAFELY = (
    "Prefer a format that cannot carry code: convert the weights to safetensors, ONNX or "
    "GGUF. If the file must stay a pickle, load it only after scanning it and verifying its "
    "hash against the publisher's, and with `torch.load(path, weights_only=True)` on "
    "torch >= 2.6 (which refuses callables outside a small allowlist); never with "
    "`pickle.load`, `joblib.load` or `numpy.load(allow_pickle=True)` on untrusted files."
)

PICKLE_FORMAT = Rule(
    id=RuleId("AIW-MOD001"),
    title="Model file uses a pickle-based serialization format",
    severity=Severity.INFO,
    summary="The file holds pickle data that only uses known-safe callables; prefer safetensors.",
    help=(
        "Python's `pickle` format is a small program for a stack machine: loading it can "
        "import any callable and call it with attacker-chosen arguments. PyTorch `.pt`/"
        "`.pth`/`.bin` checkpoints (a zip with `data.pkl`), legacy torch files, joblib "
        "dumps and numpy object arrays are all pickles underneath. A model downloaded from "
        "a hub is third-party code: `torch.load('model.pt')` on a tampered checkpoint runs "
        "the attacker's payload with your privileges, before any weight is used.\n\n"
        "This informational finding says the format *can* carry code although every callable "
        "it imports is on aiwarden's allowlist of what real model files need; the "
        "`AIW-MOD002`/`AIW-MOD003`/`AIW-MOD006` findings on the same file say what else "
        "it imports."
    ),
    remediation=_LOAD_SAFELY,
    guidelines=_GUIDELINES,
    cwe=_CWE_DESERIALIZATION,
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_PICKLE_DOCS, _HF_PICKLE, _TORCH_LOAD, _SAFETENSORS),
    tags=("model", "pickle", "supply-chain"),
)

DANGEROUS_IMPORT = Rule(
    id=RuleId("AIW-MOD002"),
    title="Pickle imports a callable that can execute code",
    severity=Severity.CRITICAL,
    summary="The pickle imports a callable that runs commands, evaluates code or uses the network.",
    help=(
        "Loading this pickle imports a callable such as `os.system`, `builtins.eval`, "
        "`subprocess.Popen` or `runpy._run_code`. Model weights never need these: a "
        "pickle that imports them is a code-execution payload (or a very badly built "
        "model). For example, the protocol-0 stream `cos\\nsystem\\n(S'id'\\ntR.` runs "
        "`os.system('id')` as soon as `pickle.loads` reads it.\n\n"
        "The finding is reported from the bytes alone; aiwarden never loads the file."
    ),
    remediation=(
        "Do not load this file. Treat the system that produced or served it as "
        "compromised, obtain the model from its original publisher, verify the hash, and "
        "prefer a safetensors/ONNX/GGUF copy. " + _LOAD_SAFELY
    ),
    guidelines=_GUIDELINES,
    cwe=_CWE_DESERIALIZATION,
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_PICKLE_DOCS, _HF_PICKLE, _FICKLING, _TORCH_LOAD),
    tags=("model", "pickle", "supply-chain", "code-execution"),
)

UNKNOWN_IMPORT = Rule(
    id=RuleId("AIW-MOD003"),
    title="Pickle imports a callable outside the known-safe set",
    severity=Severity.MEDIUM,
    summary="The pickle imports a callable that ML libraries do not need to rebuild weights.",
    help=(
        "Plain weight files only import a handful of rebuild helpers (for example "
        "`torch._utils._rebuild_tensor_v2`, `collections.OrderedDict`, "
        "`numpy.core.multiarray._reconstruct`). This pickle imports something else, so "
        "loading it runs code nobody has reviewed: a custom class, a gadget chain built "
        "from innocuous-looking callables, or an import whose name is computed at load "
        "time (`STACK_GLOBAL` with operands aiwarden could not resolve), a known trick to "
        "slip past scanners that only read string constants.\n\n"
        "Full-model pickles (`torch.save(model)`, scikit-learn estimators) legitimately "
        "import their own classes; review each import before trusting the file."
    ),
    remediation=(
        "Check that every reported import is code you trust and expect in this model. "
        "Better, save only the weights (a state dict) in safetensors and rebuild the "
        "model from reviewed code. " + _LOAD_SAFELY
    ),
    guidelines=_GUIDELINES,
    cwe=_CWE_DESERIALIZATION,
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_PICKLE_DOCS, _HF_PICKLE, _FICKLING, _TORCH_LOAD),
    tags=("model", "pickle", "supply-chain"),
)

UNPARSEABLE = Rule(
    id=RuleId("AIW-MOD004"),
    title="Pickle stream could not be parsed",
    severity=Severity.HIGH,
    summary="A pickle or its container (zip, compressed stream, .npy) could not be fully parsed.",
    help=(
        "aiwarden could not parse this pickle stream (unknown opcode, truncated data, a "
        "malformed argument, an inconsistent stack) or could not open the container that "
        "should hold it (a corrupt zip, a broken compressed stream, a malformed `.npy` "
        "header). Python's unpickler executes opcodes as it reads them, so a stream that "
        "breaks halfway may still have run its payload, and parser differentials are a "
        "known way to hide one from scanners. The file is therefore reported, never "
        "passed silently."
    ),
    remediation=(
        "Do not load the file. Re-download it from its publisher and verify its hash; if "
        "it is still unparseable, ask the publisher for a safetensors/ONNX/GGUF copy."
    ),
    guidelines=_GUIDELINES,
    cwe=(502, 20),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_PICKLE_DOCS, _FICKLING),
    tags=("model", "pickle", "fail-closed"),
)

ARCHIVE_ANOMALY = Rule(
    id=RuleId("AIW-MOD005"),
    title="Model archive has a structural anomaly that hides content from scanners",
    severity=Severity.HIGH,
    summary="The zip container of a model disagrees with itself in a way real writers never do.",
    help=(
        "PyTorch reads checkpoints with its own zip reader, which trusts the central "
        "directory and ignores the encryption flag and CRC errors; Python's `zipfile` "
        "(and scanners built on it) refuses or reads differently. Published scanner "
        "bypasses use exactly that gap: a member whose local header names a different "
        "file than the central directory, two members with the same name, the encryption "
        "or patched-data flag bit set on a plain member, a wrong CRC-32, data prepended "
        "before the archive, an end record that miscounts the members, or overlapping "
        "members. `torch.save` never writes any of these. aiwarden reads every member "
        "the way torch does and scans it anyway; this finding reports the anomaly itself."
    ),
    remediation=(
        "Do not load the file. Obtain the checkpoint again from its publisher, verify its "
        "hash, and prefer a safetensors copy. " + _LOAD_SAFELY
    ),
    guidelines=_GUIDELINES,
    cwe=(502, 434),
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_TORCH_LOAD, _FICKLING),
    tags=("model", "archive", "evasion"),
)

UNRESOLVED_IMPORT = Rule(
    id=RuleId("AIW-MOD006"),
    title="Pickle imports a callable whose name is computed at load time",
    severity=Severity.HIGH,
    summary="The pickle builds an import name at load time, a known way to evade scanners.",
    help=(
        "`STACK_GLOBAL` imports whatever module and name are on the stack, and the "
        "extension opcodes (`EXT1/2/4`) import whatever the copyreg registry maps a code "
        "to. Real model files always push constant strings. Here the operands are values "
        "computed by an earlier call (a `str.join`, a lookup) or a registry code, so the "
        "callable cannot be known without running the pickle: a technique used to slip "
        "past scanners that only read string constants. aiwarden evaluates simple "
        "computations itself; this one it could not resolve."
    ),
    remediation="Do not load the file. " + _LOAD_SAFELY,
    guidelines=_GUIDELINES,
    cwe=_CWE_DESERIALIZATION,
    owasp_llm=_OWASP,
    atlas=_ATLAS,
    references=(_PICKLE_DOCS, _FICKLING),
    tags=("model", "pickle", "evasion"),
)

MODEL_RULES: tuple[Rule, ...] = (
    PICKLE_FORMAT,
    DANGEROUS_IMPORT,
    UNKNOWN_IMPORT,
    UNPARSEABLE,
    ARCHIVE_ANOMALY,
    UNRESOLVED_IMPORT,
)
