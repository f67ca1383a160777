"""Which callables a pickle may import: a small allowlist, a denylist that ranks severity.

The allowlist is what plain weight files need to be rebuilt; everything else is
reported. The denylist only decides whether an import is reported as critical
(``AIW-MOD002``) or high (``AIW-MOD003``). Matching works on the *full dotted path*
(module + name), because since protocol 4 an unpickler resolves dotted names with
``getattr`` chains: ``("torch.serialization", "os.system")`` reaches ``os.system``.
"""

from __future__ import annotations

import enum
from typing import Final


class Verdict(enum.Enum):
    """How an imported callable is judged."""

    SAFE = "safe"
    DANGEROUS = "dangerous"
    UNKNOWN = "unknown"


ALL: Final = frozenset({"*"})
"""Marks a denylisted module whose every attribute (and submodule) is dangerous."""

# Python 2 module names that the unpickler maps to Python 3 ones (``fix_imports``).
_ALIASES: Final[dict[str, str]] = {
    "__builtin__": "builtins",
    "copy_reg": "copyreg",
    "cPickle": "pickle",
    "commands": "subprocess",
    "urllib2": "urllib.request",
    "httplib": "http.client",
}

_BUILTIN_DENY: Final = frozenset(
    {
        # Evaluate or compile code given as a string.
        "eval",
        "exec",
        "execfile",
        "compile",
        # Import any module by name, or reload one.
        "__import__",
        "reload",
        # Reflection: reach any attribute of any object (gadget building blocks).
        "getattr",
        "setattr",
        "delattr",
        "globals",
        "locals",
        "vars",
        # File access, and Python 2's ``file``/``apply``.
        "open",
        "file",
        "apply",
        # Interactive hooks: debugger, stdin, the pager behind ``help`` (spawns a process).
        "breakpoint",
        "input",
        "raw_input",
        "help",
        "exit",
        "quit",
    }
)

DENYLIST: Final[dict[str, frozenset[str]]] = {
    # Process execution, environment and file-system access.
    "os": ALL,
    "posix": ALL,
    "nt": ALL,
    "subprocess": ALL,
    "_posixsubprocess": ALL,
    "popen2": ALL,
    "pty": ALL,
    "shutil": ALL,
    # Interpreter internals: sys.modules tampering, exit, audit hooks.
    "sys": ALL,
    "builtins": _BUILTIN_DENY,
    "io": frozenset({"open", "open_code", "FileIO"}),
    "_io": frozenset({"open", "open_code", "FileIO"}),
    # Run code or import modules by name.
    "runpy": ALL,
    "importlib": ALL,
    "imp": ALL,
    "pkgutil": ALL,  # pkgutil.resolve_name imports any dotted name
    "zipimport": ALL,
    "code": ALL,  # InteractiveInterpreter.runsource / interact
    "codeop": ALL,
    "timeit": ALL,  # timeit.timeit("stmt") executes the statement string
    "profile": ALL,  # profile.run("stmt") executes the statement string
    "cProfile": ALL,
    "trace": ALL,
    "pdb": ALL,  # pdb.run executes a string; also opens a debugger
    "bdb": ALL,
    "doctest": ALL,  # debug_script / run_docstring_examples execute strings
    "pydoc": ALL,  # pipepager/tempfilepager run shell commands
    "webbrowser": ALL,  # opens URLs / runs the configured browser command
    "venv": ALL,
    "ensurepip": ALL,
    "pip": ALL,
    # Nested deserialisation: a second, unscanned payload.
    "pickle": frozenset({"loads", "load", "Unpickler", "_loads", "_load", "_Unpickler"}),
    "_pickle": frozenset({"loads", "load", "Unpickler"}),
    "marshal": ALL,  # loads code objects
    "shelve": ALL,
    "dill": ALL,
    "cloudpickle": ALL,
    "joblib": frozenset({"load"}),
    "yaml": frozenset({"load", "unsafe_load", "full_load", "load_all", "unsafe_load_all"}),
    # Native code and new processes or event-loop subprocesses.
    "ctypes": ALL,
    "_ctypes": ALL,
    "cffi": ALL,
    "multiprocessing": ALL,
    "concurrent": ALL,
    "asyncio": ALL,  # create_subprocess_shell/exec and friends; never needed by weights
    "signal": ALL,
    # Build functions and code objects from bytes.
    "types": frozenset({"FunctionType", "LambdaType", "CodeType", "MethodType"}),
    # Call any method or read any attribute of an object built earlier in the stream.
    "operator": frozenset({"attrgetter", "methodcaller"}),
    # Network: download a second stage or exfiltrate data.
    "socket": ALL,
    "_socket": ALL,
    "ssl": ALL,
    "http": ALL,
    "urllib": ALL,
    "urllib3": ALL,
    "requests": ALL,
    "httpx": ALL,
    "aiohttp": ALL,
    "ftplib": ALL,
    "smtplib": ALL,
    "telnetlib": ALL,
    "xmlrpc": ALL,
    # ML libraries' own code loaders.
    "torch.hub": ALL,  # downloads and runs hubconf.py
    "torch.serialization": frozenset({"load"}),  # nested, possibly weights_only=False load
    "torch": frozenset({"load"}),
    "torch.storage": frozenset({"_load_from_bytes"}),  # torch.load on embedded bytes
    "torch.jit": frozenset({"load"}),
    "numpy": frozenset({"load"}),  # allow_pickle=True loads a nested pickle
    "numpy.testing._private.utils": frozenset({"runstring"}),  # exec() of a string
    "numpy.lib.npyio": frozenset({"load"}),
}

_MAX_PATH_PARTS: Final = 32
"""Longer attribute chains are gadget-like by construction (and bound the search)."""

# Attribute names that only sandbox-escape gadgets walk through.
_DUNDER_GADGETS: Final = frozenset(
    {
        "__globals__",
        "__builtins__",
        "__subclasses__",
        "__class__",
        "__base__",
        "__bases__",
        "__mro__",
        "__dict__",
        "__getattribute__",
        "__code__",
        "__closure__",
        "__reduce__",
        "__reduce_ex__",
        "__loader__",
        "__import__",
    }
)

_TORCH_STORAGES: Final = frozenset(
    f"{kind}Storage"
    for kind in (
        "Float",
        "Double",
        "Half",
        "BFloat16",
        "Long",
        "Int",
        "Short",
        "Char",
        "Byte",
        "Bool",
        "ComplexFloat",
        "ComplexDouble",
        "QInt8",
        "QUInt8",
        "QInt32",
        "QUInt4x2",
        "QUInt2x4",
    )
)

_TORCH_DTYPES: Final = frozenset(
    {
        "float16",
        "float32",
        "float64",
        "bfloat16",
        "half",
        "float",
        "double",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "bool",
        "complex64",
        "complex128",
    }
)

ALLOWLIST: Final[dict[str, frozenset[str]]] = {
    # Tensor and parameter rebuild helpers written by torch.save.
    "torch._utils": frozenset(
        {
            "_rebuild_tensor",
            "_rebuild_tensor_v2",
            "_rebuild_tensor_v3",
            "_rebuild_parameter",
            "_rebuild_parameter_with_state",
            "_rebuild_qtensor",
            "_rebuild_sparse_tensor",
            "_rebuild_device_tensor_from_numpy",
            "_rebuild_meta_tensor_no_storage",
            "_rebuild_wrapper_subclass",
        }
    ),
    # Calls a callable imported elsewhere in the stream (judged on its own).
    "torch._tensor": frozenset({"_rebuild_from_type_v2"}),
    "torch": _TORCH_STORAGES | _TORCH_DTYPES | frozenset({"Size", "device"}),
    "torch.storage": frozenset({"TypedStorage", "UntypedStorage"}),
    "torch.nn.parameter": frozenset({"Parameter"}),
    "collections": frozenset({"OrderedDict", "defaultdict"}),
    # numpy arrays and scalars, old (numpy.core) and new (numpy._core) layouts.
    "numpy.core.multiarray": frozenset({"_reconstruct", "scalar"}),
    "numpy._core.multiarray": frozenset({"_reconstruct", "scalar"}),
    "numpy.core.numeric": frozenset({"_frombuffer"}),
    "numpy._core.numeric": frozenset({"_frombuffer"}),
    "numpy": frozenset({"dtype", "ndarray"}),
    # Protocol 0-2 encoding of bytes objects: _codecs.encode(text, "latin1").
    "_codecs": frozenset({"encode"}),
    # Harmless container and value types.
    "builtins": frozenset(
        {"set", "frozenset", "bytearray", "bytes", "slice", "complex", "range", "object"}
    ),
    # copyreg helpers call ``cls.__new__``/``base.__init__`` on classes that the stream
    # must import separately, so those classes are judged on their own.
    "copyreg": frozenset({"_reconstructor", "__newobj__", "__newobj_ex__"}),
}


def normalise_module(module: str) -> str:
    """Map Python 2 module names to the Python 3 ones the unpickler actually imports."""
    head, _, rest = module.partition(".")
    mapped = _ALIASES.get(module) or _ALIASES.get(head)
    if mapped is None:
        return module
    return mapped if module in _ALIASES else f"{mapped}.{rest}"


def _denied(module: str, name: str) -> bool:
    """True if ``module.name`` is denylisted, directly or through a denied parent module."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        names = DENYLIST.get(".".join(parts[:i]))
        if names is None:
            continue
        if names is ALL or (i == len(parts) and name in names):
            return True
    return False


def _path_is_dangerous(parts: list[str]) -> bool:
    """True if any module/attribute split of the dotted path ``parts`` is denylisted."""
    if len(parts) > _MAX_PATH_PARTS or any(part in _DUNDER_GADGETS for part in parts):
        return True
    for end in range(1, len(parts)):
        for start in range(end):
            if _denied(normalise_module(".".join(parts[start:end])), parts[end]):
                return True
    return False


def classify(module: str | None, name: str | None) -> Verdict:
    """Judge one import; ``None`` stands for an operand that could not be resolved."""
    if module is None or name is None:
        # A known module that is denied as a whole is dangerous whatever the name.
        if module is not None and _denied(normalise_module(module), ""):
            return Verdict.DANGEROUS
        return Verdict.UNKNOWN
    module = normalise_module(module)
    if name in ALLOWLIST.get(module, frozenset()):
        return Verdict.SAFE
    if _path_is_dangerous([*module.split("."), *name.split(".")]):
        return Verdict.DANGEROUS
    return Verdict.UNKNOWN
