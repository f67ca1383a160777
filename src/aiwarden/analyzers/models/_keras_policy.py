"""How a module or function named in a Keras config is judged.

Keras (since 3.9) only imports modules of its own packages while deserialising; older
versions imported any module named in ``config.json`` (CVE-2025-1550). This table is
the Keras analyzer's own, deliberately small: modules that run code or reach the
system are dangerous, and so are the few functions *inside* Keras and TensorFlow that
published ``safe_mode`` bypasses call (download a file, load another model, switch
safe mode off, run Python). Any other module outside the Keras packages is custom code.
"""

from __future__ import annotations

import enum
from typing import Final


class RefVerdict(enum.Enum):
    """How a module/function reference is judged."""

    KERAS = "keras"
    DANGEROUS = "dangerous"
    CUSTOM = "custom"


KERAS_PACKAGES: Final = frozenset({"keras", "tf_keras", "keras_hub", "keras_nlp", "keras_cv"})
_KERAS_PREFIXES: Final = ("tensorflow.keras", "tensorflow.python.keras", "tf.keras")
_TENSORFLOW: Final = frozenset({"tensorflow", "tf"})

DANGEROUS_MODULES: Final = frozenset(
    {
        "os",
        "posix",
        "nt",
        "subprocess",
        "_posixsubprocess",
        "pty",
        "shutil",
        "sys",
        "builtins",
        "__builtin__",
        "runpy",
        "importlib",
        "imp",
        "pkgutil",
        "zipimport",
        "code",
        "codeop",
        "timeit",
        "profile",
        "cProfile",
        "trace",
        "pdb",
        "bdb",
        "doctest",
        "pydoc",
        "webbrowser",
        "pip",
        "marshal",
        "pickle",
        "_pickle",
        "dill",
        "cloudpickle",
        "shelve",
        "joblib",
        "ctypes",
        "_ctypes",
        "cffi",
        "multiprocessing",
        "concurrent",
        "asyncio",
        "signal",
        "socket",
        "_socket",
        "ssl",
        "http",
        "urllib",
        "urllib3",
        "requests",
        "httpx",
        "ftplib",
        "smtplib",
        "telnetlib",
        "xmlrpc",
        "types",
        "operator",
        "functools",
        "inspect",
        "io",
        "_io",
        "pathlib",
        "tempfile",
        "glob",
        "fileinput",
        "zipfile",
        "tarfile",
        "gc",
        "threading",
        "_thread",
    }
)
"""Modules a model config has no reason to name; every function in them is dangerous."""

EXEC_NAMES: Final = frozenset(
    {
        "eval",
        "exec",
        "execfile",
        "compile",
        "__import__",
        "getattr",
        "setattr",
        "globals",
        "locals",
        "vars",
        "open",
        "breakpoint",
        "system",
        "popen",
        "Popen",
        "spawnl",
        "spawnv",
        "execv",
        "execve",
        "import_module",
        "run_path",
        "run_module",
    }
)
"""Function names that run code or commands wherever they come from."""

FRAMEWORK_GADGET_PREFIXES: Final = (
    "get_file",
    "load_model",
    "load_weights",
    "save_model",
    "save_weights",
    "enable_unsafe_deserialization",
    "set_global_attribute",
    "deserialize",
    "model_from_",
    "func_load",
    "extract_archive",
    "load_img",
    "save_img",
    "register_keras_serializable",
    "py_func",
    "eager_py_func",
    "numpy_function",
    "py_function",
    "load_op_library",
    "load_library",
    "load_file_system_library",
    "read_file",
    "write_file",
    "gfile",
    "GFile",
    "FastGFile",
)
"""Functions inside Keras and TensorFlow that published safe_mode bypasses call."""

_SAFE_DUNDERS: Final = frozenset({"__init__", "__main__"})


def _is_keras_module(module: str) -> bool:
    root = module.split(".", 1)[0]
    if root in KERAS_PACKAGES:
        return True
    return any(module == p or module.startswith(p + ".") for p in _KERAS_PREFIXES)


def _has_dunder(parts: list[str]) -> bool:
    return any(
        len(p) > 4 and p.startswith("__") and p.endswith("__") and p not in _SAFE_DUNDERS
        for p in parts
    )


def _split(text: str) -> list[str]:
    return [p for p in text.replace(">", ".").replace(":", ".").split(".") if p]


def judge(module: str, name: str) -> RefVerdict:
    """Judge a reference to ``name`` (possibly dotted) in ``module``."""
    mod_parts, name_parts = _split(module), _split(name)
    parts = mod_parts + name_parts
    if not parts:
        return RefVerdict.CUSTOM
    if parts[0] in DANGEROUS_MODULES or _has_dunder(parts):
        return RefVerdict.DANGEROUS
    if any(p in EXEC_NAMES for p in name_parts):
        return RefVerdict.DANGEROUS
    framework = _is_keras_module(module) or parts[0] in _TENSORFLOW
    if framework and any(p.startswith(FRAMEWORK_GADGET_PREFIXES) for p in parts[1:]):
        return RefVerdict.DANGEROUS
    return RefVerdict.KERAS if _is_keras_module(module) else RefVerdict.CUSTOM


def judge_string(value: str) -> RefVerdict:
    """Judge a function given as a string (an activation, loss or initializer name).

    Plain identifiers (``"relu"``) are looked up in Keras's own registry and are
    Keras; a dotted or ``package>name`` string names code outside it.
    """
    text = value.strip()
    if not text:
        return RefVerdict.KERAS
    parts = _split(text)
    if not parts:
        return RefVerdict.KERAS
    if len(parts) == 1:
        bad = parts[0] in EXEC_NAMES or parts[0] in DANGEROUS_MODULES or _has_dunder(parts)
        return RefVerdict.DANGEROUS if bad else RefVerdict.KERAS
    return judge(".".join(parts[:-1]), parts[-1])
