"""Which callables a pickle may import: a small allowlist, a denylist that ranks severity.

The allowlist is what real model files need to be rebuilt (torch, numpy, scikit-learn,
xgboost, lightgbm, scipy.sparse, pandas, stdlib value types); everything else is
reported. The denylist only decides whether an import is reported as critical
(``AIW-MOD002``) or medium (``AIW-MOD003``). Matching works on the *full dotted path*
(module + name), because since protocol 4 an unpickler resolves dotted names with
``getattr`` chains: ``("torch.serialization", "os.system")`` reaches ``os.system``.
"""

from __future__ import annotations

import _compat_pickle
import enum
import re
import sys
from collections.abc import Sequence
from typing import Final

from aiwarden.analyzers.models._pickle_values import Ref, Value, resolve


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
    "_operator": "operator",
    "_functools": "functools",
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
    "tempfile": ALL,
    "fileinput": ALL,
    "tarfile": ALL,
    "zipfile": ALL,
    "glob": ALL,
    "platform": ALL,
    # Interpreter internals: sys.modules tampering, exit, audit hooks, object graphs.
    "sys": ALL,
    "gc": ALL,
    "site": ALL,
    "atexit": ALL,
    "builtins": _BUILTIN_DENY,
    "io": frozenset({"open", "open_code", "FileIO"}),
    "_io": frozenset({"open", "open_code", "FileIO"}),
    "inspect": ALL,
    "typing": ALL,  # get_type_hints / ForwardRef evaluate strings
    "_typing": ALL,
    "annotationlib": ALL,
    "functools": frozenset({"reduce"}),
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
    "pydoc": ALL,  # locate imports by name; pipepager/tempfilepager run shell commands
    "idlelib": ALL,  # run.Executive.runcode, pyshell.ModifiedInterpreter.runcode
    "lib2to3": ALL,  # pgen2.pgen.ParserGenerator.make_label evaluates strings
    "tkinter": ALL,
    "turtle": ALL,
    "webbrowser": ALL,  # opens URLs / runs the configured browser command
    "venv": ALL,
    "ensurepip": ALL,  # ensurepip._run_pip
    "pip": ALL,  # pip.main installs and runs packages (CVE-2025-1716)
    "setuptools": ALL,
    "distutils": ALL,
    "logging": frozenset({"config", "FileHandler", "handlers"}),  # writes/creates files
    "logging.handlers": ALL,  # file, socket, SMTP and HTTP handlers
    "logging.config": ALL,  # listen() exec()s received config; dictConfig builds objects
    # Nested deserialisation: a second, unscanned payload.
    "pickle": ALL,
    "_pickle": ALL,
    "pickletools": ALL,
    "copyreg": frozenset({"add_extension", "dispatch_table", "pickle", "constructor"}),
    "marshal": ALL,  # loads code objects
    "shelve": ALL,
    "dill": ALL,
    "cloudpickle": ALL,
    "joblib": frozenset({"load", "Parallel", "delayed"}),
    "joblib.numpy_pickle": frozenset({"load"}),
    "yaml": frozenset({"load", "unsafe_load", "full_load", "load_all", "unsafe_load_all"}),
    "pandas": frozenset({"read_pickle", "eval", "read_csv", "read_sql"}),
    "pandas.io": ALL,
    # Native code and new processes, threads or event-loop subprocesses.
    "ctypes": ALL,
    "_ctypes": ALL,
    "cffi": ALL,
    "multiprocessing": ALL,
    "concurrent": ALL,
    "threading": ALL,
    "_thread": ALL,
    "asyncio": ALL,  # create_subprocess_shell/exec, loop.subprocess_exec
    "_asyncio": ALL,
    "signal": ALL,
    "resource": ALL,
    "mmap": ALL,
    # Build functions and code objects from bytes.
    "types": frozenset({"FunctionType", "LambdaType", "CodeType", "MethodType", "ModuleType"}),
    # Call any method or read any attribute of an object built earlier in the stream.
    "operator": frozenset({"attrgetter", "methodcaller"}),
    # Network: download a second stage or exfiltrate data.
    "socket": ALL,
    "_socket": ALL,
    "socketserver": ALL,
    "ssl": ALL,
    "http": ALL,
    "urllib": ALL,
    "urllib3": ALL,
    "requests": ALL,
    "httpx": ALL,
    "aiohttp": ALL,
    "ftplib": ALL,
    "smtplib": ALL,
    "poplib": ALL,
    "imaplib": ALL,
    "telnetlib": ALL,
    "xmlrpc": ALL,
    "sqlite3": ALL,
    # ML libraries' own code loaders and code-running helpers.
    "torch.hub": ALL,  # downloads and runs hubconf.py
    "torch.serialization": frozenset({"load", "_load"}),
    "torch": frozenset({"load", "compile", "_dynamo", "_inductor", "fx", "package", "ops"}),
    "torch.storage": frozenset({"_load_from_bytes"}),  # torch.load on embedded bytes
    "torch.jit": ALL,  # load, and unsupported_tensor_ops.execWrapper (exec)
    "torch._dynamo": ALL,  # guards.GuardBuilder.get evaluates strings
    "torch._inductor": ALL,  # codecache compiles and loads code
    "torch.fx": ALL,  # symbolic_shapes.ShapeEnv.evaluate_guards_expression evals
    "torch.package": ALL,  # PackageImporter imports code from the archive
    "torch.utils.bottleneck": ALL,  # run_cprofile / run_autograd_prof exec a script
    "torch.utils._config_module": ALL,  # load_config unpickles / execs
    "torch.utils.collect_env": ALL,  # run() spawns commands
    "torch.utils.cpp_extension": ALL,  # compiles and loads native code
    "torch.utils.data.datapipes": ALL,  # decoder handlers unpickle
    "torch.utils.checkpoint": ALL,
    "torch.distributed": ALL,
    "torch.multiprocessing": ALL,
    "torch.ops": ALL,
    "torch._ops": ALL,
    "torch._C": frozenset({"_jit_pass_inline", "import_ir_module", "_load_for_lite_interpreter"}),
    "transformers.dynamic_module_utils": ALL,  # downloads and runs remote code
    "numpy": frozenset({"load", "loadtxt", "fromfile", "save", "tofile"}),
    "numpy.testing": ALL,  # _private.utils.runstring is exec()
    "numpy.f2py": ALL,  # compiles and imports Fortran/C extensions
    "numpy.distutils": ALL,
    "numpy.ctypeslib": ALL,
    "numpy.lib.npyio": frozenset({"load"}),
    "numpy.lib.format": frozenset({"read_array", "open_memmap"}),
    "keras": frozenset({"models", "saving"}),
    "tensorflow": frozenset({"io", "saved_model", "keras"}),
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

_TORCH_OTHER: Final = frozenset(
    {
        "Size",
        "device",
        "dtype",
        "layout",
        "memory_format",
        "strided",
        "sparse_coo",
        "sparse_csr",
        "contiguous_format",
        "channels_last",
        "channels_last_3d",
        "preserve_format",
        "Tensor",
        "uint16",
        "uint32",
        "uint64",
        "float8_e4m3fn",
        "float8_e5m2",
        "float8_e4m3fnuz",
        "float8_e5m2fnuz",
        "qint8",
        "quint8",
        "qint32",
        "quint4x2",
        "cfloat",
        "cdouble",
        "long",
        "int",
        "short",
        "chalf",
        "complex32",
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
            "_rebuild_sparse_csr",
            "_rebuild_nested_tensor",
            "_rebuild_device_tensor_from_numpy",
            "_rebuild_device_tensor_from_cpu_tensor",
            "_rebuild_meta_tensor_no_storage",
            "_rebuild_wrapper_subclass",
            "_rebuild_xla_tensor",
            "_rebuild_mlc_tensor",
        }
    ),
    # Calls a callable imported elsewhere in the stream (judged on its own).
    "torch._tensor": frozenset({"_rebuild_from_type_v2", "_rebuild_from_type"}),
    "torch": _TORCH_STORAGES | _TORCH_DTYPES | _TORCH_OTHER,
    "torch.storage": frozenset({"TypedStorage", "UntypedStorage", "_TypedStorage"}),
    "torch.serialization": frozenset({"_get_layout", "StorageType"}),
    "torch.nn.parameter": frozenset({"Parameter", "Buffer", "UninitializedParameter"}),
    "torch.torch_version": frozenset({"TorchVersion"}),
    "torch.jit._pickle": frozenset(
        {
            "build_intlist",
            "build_tensorlist",
            "build_doublelist",
            "build_boollist",
            "build_tensor_from_id",
            "restore_type_tag",
        }
    ),
    "collections": frozenset({"OrderedDict", "defaultdict", "deque", "Counter"}),
    # numpy arrays and scalars, old (numpy.core) and new (numpy._core) layouts.
    "numpy.core.multiarray": frozenset({"_reconstruct", "scalar"}),
    "numpy._core.multiarray": frozenset({"_reconstruct", "scalar"}),
    "numpy.core.numeric": frozenset({"_frombuffer"}),
    "numpy._core.numeric": frozenset({"_frombuffer"}),
    "numpy": frozenset({"dtype", "ndarray", "matrix", "memmap", "bool_", "void"}),
    "numpy.matrixlib.defmatrix": frozenset({"matrix"}),
    "numpy.ma.core": frozenset({"_mareconstruct", "MaskedArray"}),
    "numpy.random._pickle": frozenset(
        {"__randomstate_ctor", "__bit_generator_ctor", "__generator_ctor"}
    ),
    "numpy.random": frozenset({"__RandomState_ctor"}),
    "numpy.random.mtrand": frozenset({"RandomState", "__RandomState_ctor"}),
    "numpy.random._mt19937": frozenset({"MT19937"}),
    "numpy.random._pcg64": frozenset({"PCG64", "PCG64DXSM"}),
    "numpy.random._philox": frozenset({"Philox"}),
    "numpy.random._sfc64": frozenset({"SFC64"}),
    "numpy.random._generator": frozenset({"Generator"}),
    "numpy.random.bit_generator": frozenset({"SeedSequence"}),
    # joblib's placeholders for numpy arrays stored beside the pickle.
    "joblib.numpy_pickle": frozenset({"NumpyArrayWrapper", "NDArrayWrapper", "ZNDArrayWrapper"}),
    "joblib.numpy_pickle_compat": frozenset({"NDArrayWrapper", "ZNDArrayWrapper"}),
    # Protocol 0-2 encoding of bytes objects: _codecs.encode(text, "latin1").
    "_codecs": frozenset({"encode"}),
    # Harmless container and value types.
    "builtins": frozenset(
        {
            "set",
            "frozenset",
            "bytearray",
            "bytes",
            "slice",
            "complex",
            "range",
            "object",
            "dict",
            "list",
            "tuple",
            "int",
            "float",
            "str",
            "bool",
            "Ellipsis",
            "NotImplemented",
        }
    ),
    "datetime": frozenset({"datetime", "date", "time", "timedelta", "timezone"}),
    "decimal": frozenset({"Decimal"}),
    "fractions": frozenset({"Fraction"}),
    "uuid": frozenset({"UUID", "SafeUUID"}),
    "ipaddress": frozenset(
        {f"IPv{v}{kind}" for v in (4, 6) for kind in ("Address", "Network", "Interface")}
    ),
    "pathlib": frozenset(
        {"Path", "PosixPath", "WindowsPath", "PurePath", "PurePosixPath", "PureWindowsPath"}
    ),
    "re": frozenset({"_compile"}),
    "array": frozenset({"array", "_array_reconstructor"}),
    "enum": frozenset({"Enum", "IntEnum"}),
    # copyreg helpers call ``cls.__new__``/``base.__init__`` on classes that the stream
    # must import separately, so those classes are judged on their own.
    "copyreg": frozenset({"_reconstructor", "__newobj__", "__newobj_ex__"}),
    "pandas._libs.internals": frozenset({"_unpickle_block"}),
    "pandas.core.internals.blocks": frozenset({"new_block", "_unpickle_block"}),
    "pandas.core.indexes.base": frozenset({"_new_Index"}),
    "pandas.core.indexes.period": frozenset({"_new_PeriodIndex"}),
    "pandas._libs.tslibs.timestamps": frozenset({"_unpickle_timestamp"}),
    "pandas._libs.tslibs.timedeltas": frozenset({"_timedelta_unpickle"}),
    "pandas._libs.tslibs.nattype": frozenset({"__nat_unpickle"}),
    "pandas._libs.arrays": frozenset({"__pyx_unpickle_NDArrayBacked"}),
    "pandas.core.arrays.categorical": frozenset({"Categorical"}),
    "xgboost.core": frozenset({"Booster"}),
    "lightgbm.basic": frozenset({"Booster"}),
}

ARG_JUDGED: Final = frozenset({"functools.partial", "functools.reduce", "builtins.type"})
"""Callables judged by the arguments they are invoked with (:func:`judge_call`)."""

_CAMEL: Final = re.compile(r"^_?[A-Z][A-Za-z0-9]*$")
_SPARSE: Final = re.compile(r"^[a-z]{3}_(matrix|array)$")
_IDENT: Final = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")

# Library class families: (module prefix, excluded module parts) whose CamelCase
# classes are estimators, layers or containers that only store their state.
_CLASS_FAMILIES: Final[tuple[tuple[str, frozenset[str]], ...]] = (
    ("sklearn", frozenset({"_testing", "tests", "externals", "parallel", "_joblib", "fixes"})),
    ("torch.nn.modules", frozenset()),
    ("torch.optim", frozenset()),
    ("xgboost.sklearn", frozenset()),
    ("lightgbm.sklearn", frozenset()),
    ("pandas.core", frozenset({"computation", "io"})),
    ("pandas._libs.tslibs", frozenset()),
    ("pandas._libs.internals", frozenset()),
    ("scipy.stats._distn_infrastructure", frozenset()),
)
_EXTRA_SKLEARN: Final = frozenset({("sklearn.tree._tree", "Tree")})


def normalise_module(module: str) -> str:
    """Map Python 2 module names to the Python 3 ones the unpickler actually imports."""
    if module in _compat_pickle.IMPORT_MAPPING:
        return _compat_pickle.IMPORT_MAPPING[module]
    head, _, rest = module.partition(".")
    mapped = _ALIASES.get(module) or _ALIASES.get(head)
    if mapped is None:
        return module
    return mapped if module in _ALIASES else f"{mapped}.{rest}"


def normalise_global(module: str, name: str) -> tuple[str, str]:
    """``fix_imports``: the (module, name) a protocol 0-2 GLOBAL really imports."""
    mapped = _compat_pickle.NAME_MAPPING.get((module, name))
    if mapped is not None:
        return mapped
    return normalise_module(module), name


def _denied(module: str, name: str) -> bool:
    """True if ``module.name`` is denylisted, directly or through a denied parent module."""
    parts = module.split(".")
    for i in range(len(parts), 0, -1):
        names = DENYLIST.get(".".join(parts[:i]))
        if names is None:
            continue
        if names is ALL or (i == len(parts) and name in names):
            return True
        if i < len(parts) and parts[i] in names:
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


def _in_class_family(module: str, name: str) -> bool:
    """A CamelCase class of a known ML library module (an estimator, a layer, a frame)."""
    if not _CAMEL.match(name) or (module, name) in _EXTRA_SKLEARN:
        return (module, name) in _EXTRA_SKLEARN
    parts = module.split(".")
    if not all(_IDENT.match(part) and not part.startswith("__") for part in parts):
        return False
    for prefix, excluded in _CLASS_FAMILIES:
        if module == prefix or module.startswith(prefix + "."):
            return not excluded.intersection(parts)
    return module.startswith("scipy.sparse") and _SPARSE.match(name) is not None


def _allowed(module: str, name: str) -> bool:
    if name in ALLOWLIST.get(module, frozenset()):
        return True
    if module.startswith("scipy.sparse") and _SPARSE.match(name):
        return True
    if module == "__torch__" or module.startswith("__torch__."):
        # TorchScript class names: resolved by the TorchScript loader, never imported.
        return not any(part in _DUNDER_GADGETS for part in name.split("."))
    return _in_class_family(module, name)


def _private_stdlib(module: str, name: str) -> bool:
    """A private part of the standard library (``_osx_support._read_output``,
    ``uuid._get_command_stdout``, ``_pyrepl.pager``): no ML file needs one that is not
    allowlisted, and they are where new command-running gadgets keep being found."""
    parts = [*module.split("."), *name.split(".")]
    top = parts[0]
    # A private top-level module (``_pyrepl``, ``_osx_support``) is the standard
    # library's even when this interpreter's version does not ship it.
    private_top = top.startswith("_") and not top.startswith("__")
    if not private_top and top not in sys.stdlib_module_names:
        return False
    return any(part.startswith("_") and not part.startswith("__") for part in parts)


def classify(module: str | None, name: str | None) -> Verdict:
    """Judge one import; ``None`` stands for an operand that could not be resolved."""
    if module is None or name is None:
        # A known module that is denied as a whole is dangerous whatever the name.
        if module is not None and _path_is_dangerous([*normalise_module(module).split("."), ""]):
            return Verdict.DANGEROUS
        return Verdict.UNKNOWN
    module = normalise_module(module)
    if f"{module}.{name}" in ARG_JUDGED:
        return Verdict.UNKNOWN
    if _allowed(module, name):
        return Verdict.SAFE
    if _path_is_dangerous([*module.split("."), *name.split(".")]):
        return Verdict.DANGEROUS
    if _private_stdlib(module, name):
        return Verdict.DANGEROUS
    return Verdict.UNKNOWN


def classify_ref(ref: Ref) -> Verdict:
    """Judge a reference: a module reached through ``__import__`` is judged as a whole."""
    if ref.is_module and ref.module is not None:
        parts = normalise_module(ref.module).split(".")
        return Verdict.DANGEROUS if _path_is_dangerous([*parts, ""]) else Verdict.UNKNOWN
    return classify(ref.module, ref.name)


def _callable_verdict(value: Value) -> Verdict:
    target = resolve(value)
    if isinstance(target, Ref):
        return classify_ref(target)
    return Verdict.UNKNOWN


def judge_call(dotted: str, args: Sequence[Value]) -> Verdict | None:
    """The verdict for an invocation of an argument-judged callable (None: not one).

    ``functools.partial(f, ...)`` and ``functools.reduce(f, ...)`` are as safe as ``f``;
    ``type(x)`` with one argument only reads a type (pickle writes ``type(None)``),
    while ``type(name, bases, namespace)`` creates a class with attacker-chosen methods.
    """
    if dotted in ("functools.partial", "functools.reduce"):
        return _callable_verdict(args[0]) if args else Verdict.UNKNOWN
    if dotted == "builtins.type":
        if len(args) == 1:
            return Verdict.SAFE
        return Verdict.DANGEROUS if len(args) == 3 else Verdict.UNKNOWN
    return None
