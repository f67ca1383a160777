"""Security regressions for the symbolic pickle VM: every payload is built from raw opcodes.

Each test names the technique (and the advisory or write-up where one exists). Nothing
here unpickles anything.
"""

from __future__ import annotations

import base64
import collections
import datetime
import decimal
import fractions
import pickle
import uuid
import zlib
from pathlib import Path

import pytest
from pickle_builders import (
    EMPTY_TUPLE,
    MARK,
    MEMOIZE,
    REDUCE,
    STACK_GLOBAL,
    STOP,
    TUPLE,
    TUPLE1,
    binbytes,
    binput,
    binunicode,
    call,
    call_with_string,
    frame,
    global_,
    payload,
    proto,
    sbu,
    stack_global,
)

from aiwarden.analyzers.interface import Artifact, LimitExceeded, Limits
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.finding import Finding
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity

ANALYZER = PickleSerializationAnalyzer()


def scan(tmp_path: Path, data: bytes, limits: Limits | None = None) -> list[Finding]:
    path = tmp_path / "model.pkl"
    path.write_bytes(data)
    artifact = Artifact(path, "model.pkl", FileFormat.PICKLE, len(data))
    return list(ANALYZER.analyze(artifact, limits or Limits()))


def keys(findings: list[Finding], rule_id: str) -> set[str]:
    return {f.fingerprint_key for f in findings if f.rule_id == rule_id}


def blocking(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.severity >= Severity.HIGH]


# --- os.system in every protocol -------------------------------------------------------


def _os_system(protocol: int) -> bytes:
    if protocol == 0:
        return b"cos\nsystem\n(S'id'\ntR."
    if protocol == 1:
        return b"cos\nsystem\nq\x00(X\x02\x00\x00\x00idq\x01tR."
    if protocol in (2, 3):
        return proto(protocol) + call_with_string(global_("os", "system"), "id") + STOP
    body = call_with_string(stack_global("os", "system") + MEMOIZE, "id") + STOP
    return proto(protocol) + frame(body)


@pytest.mark.parametrize("protocol", range(6))
def test_os_system_in_every_protocol(tmp_path: Path, protocol: int) -> None:
    """Technique: the textbook ``os.system`` REDUCE, written for protocols 0 to 5."""
    findings = scan(tmp_path, _os_system(protocol))
    critical = [f for f in findings if f.rule_id == "AIW-MOD002"]
    assert [(f.fingerprint_key, f.evidence) for f in critical] == [("os.system", "os.system('id')")]
    assert critical[0].severity is Severity.CRITICAL


# --- import resolution tricks ----------------------------------------------------------


def test_stack_global_from_string_computed_by_str_join(tmp_path: Path) -> None:
    """Technique: the module name is built at load time by ``str.join`` (scanner evasion).

    The VM evaluates the join on constants, so the import resolves to ``os.system``.
    """
    joined = call(
        stack_global("builtins", "str.join"), sbu(""), b"]" + MARK + sbu("o") + sbu("s") + b"e"
    )
    body = joined + sbu("system") + STACK_GLOBAL
    findings = scan(tmp_path, proto(4) + call_with_string(body, "id") + STOP)
    assert "os.system" in keys(findings, "AIW-MOD002")


def test_stack_global_from_an_unknown_computation_is_unresolved(tmp_path: Path) -> None:
    """Technique: operands returned by an opaque call: unresolved, reported HIGH (MOD006)."""
    computed = call(global_("mymod", "name_of"), sbu("x"))
    body = computed + computed + STACK_GLOBAL
    findings = scan(tmp_path, proto(4) + call_with_string(body, "id") + STOP)
    unresolved = [f for f in findings if f.rule_id == "AIW-MOD006"]
    assert len(unresolved) == 1 and unresolved[0].severity is Severity.HIGH


def test_stack_global_with_non_string_operands(tmp_path: Path) -> None:
    """Technique: STACK_GLOBAL over integers (CPython rejects it; scanner fails closed)."""
    data = proto(4) + b"K\x01K\x02" + STACK_GLOBAL + EMPTY_TUPLE + REDUCE + STOP
    assert keys(scan(tmp_path, data), "AIW-MOD006") == {"<?>.<?>"}


def test_inst_opcode(tmp_path: Path) -> None:
    """Technique: INST imports and calls in one opcode (protocol 0)."""
    findings = scan(tmp_path, b"(S'id'\nios\nsystem\n.")
    assert keys(findings, "AIW-MOD002") == {"os.system"}


def test_obj_opcode(tmp_path: Path) -> None:
    """Technique: OBJ calls the class below the mark with the rest as arguments."""
    data = proto(1) + MARK + global_("subprocess", "check_output") + sbu("id") + b"o" + STOP
    findings = scan(tmp_path, data)
    assert keys(findings, "AIW-MOD002") == {"subprocess.check_output"}
    assert {f.evidence for f in findings if f.rule_id == "AIW-MOD002"} == {
        "subprocess.check_output('id')"
    }


def test_newobj_ex_opcode(tmp_path: Path) -> None:
    """Technique: NEWOBJ_EX (protocol 4) with positional and keyword arguments."""
    body = stack_global("subprocess", "Popen") + b"]" + sbu("id") + b"a" + TUPLE1 + b"}"
    data = proto(4) + body + b"\x92" + STOP
    assert keys(scan(tmp_path, data), "AIW-MOD002") == {"subprocess.Popen"}


def test_getattr_import_chain_resolves_the_target(tmp_path: Path) -> None:
    """Technique: ``getattr(__import__('os'), 'system')('id')``: no ``os`` GLOBAL at all."""
    module = call(global_("builtins", "__import__"), sbu("os"))
    getter = call(global_("builtins", "getattr"), module, sbu("system"))
    findings = scan(tmp_path, proto(2) + call_with_string(getter, "id") + STOP)
    found = keys(findings, "AIW-MOD002")
    assert {"builtins.getattr", "builtins.__import__", "os.system"} <= found
    evidence = {f.evidence for f in findings if f.rule_id == "AIW-MOD002"}
    assert "builtins.getattr(<builtins.__import__('os')>, 'system')" in evidence


def test_operator_attrgetter_gadget(tmp_path: Path) -> None:
    """Technique: ``_operator.attrgetter('system')(importlib.import_module('os'))``."""
    getter = call(global_("_operator", "attrgetter"), sbu("system"))
    module = call(global_("importlib", "import_module"), sbu("os"))
    target = getter + MARK + module + TUPLE + REDUCE
    findings = scan(tmp_path, proto(2) + call_with_string(target, "id") + STOP)
    assert {"operator.attrgetter", "importlib.import_module", "os.system"} <= keys(
        findings, "AIW-MOD002"
    )


def test_functools_partial_of_os_system(tmp_path: Path) -> None:
    """Technique: ``functools.partial(os.system, 'id')()`` (picklescan-style wrapper)."""
    partial = call(global_("functools", "partial"), global_("os", "system"), sbu("id"))
    data = proto(2) + partial + EMPTY_TUPLE + REDUCE + STOP
    assert {"functools.partial", "os.system"} <= keys(scan(tmp_path, data), "AIW-MOD002")


def test_functools_partial_of_a_safe_callable_is_not_reported(tmp_path: Path) -> None:
    """Baseline: ``partial(collections.OrderedDict)`` is judged by its callable: safe."""
    partial = call(global_("functools", "partial"), global_("collections", "OrderedDict"))
    data = proto(2) + partial + EMPTY_TUPLE + REDUCE + STOP
    assert blocking(scan(tmp_path, data)) == []


def test_type_with_three_arguments_builds_a_class(tmp_path: Path) -> None:
    """Technique: ``type(name, bases, namespace)`` creates a class with chosen methods."""
    made = call(global_("builtins", "type"), sbu("X"), EMPTY_TUPLE, b"}")
    assert keys(scan(tmp_path, proto(2) + made + STOP), "AIW-MOD002") == {"builtins.type"}


def test_build_on_an_imported_module_is_critical(tmp_path: Path) -> None:
    """Technique: BUILD on a GLOBAL rewrites module attributes (modelscan issue #89)."""
    state = b"N}" + sbu("system") + sbu("x") + b"s" + b"\x86"
    data = proto(2) + global_("numpy", "prod") + state + b"b" + STOP
    assert "build numpy.prod" in keys(scan(tmp_path, data), "AIW-MOD002")


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("runpy", "_run_code"),
        ("pydoc", "pipepager"),
        ("pip", "main"),  # CVE-2025-1716
        ("pip._internal.cli.main", "main"),
        ("ensurepip", "_run_pip"),  # GHSA-xp4f-hrf8-rxw7
        ("idlelib.run", "Executive.runcode"),  # GHSA-m869-42cg-3xwr
        ("idlelib.pyshell", "ModifiedInterpreter.runcode"),  # GHSA-3gf5-cxq9-w223
        ("lib2to3.pgen2.pgen", "ParserGenerator.make_label"),  # GHSA-p9w7-82w4-7q8m
        ("doctest", "debug_script"),  # GHSA-fqq6-7vqf-w3fg
        ("cProfile", "runctx"),  # GHSA-9w88-8rmg-7g2p
        ("torch.utils.bottleneck.__main__", "run_cprofile"),  # GHSA-4r9r-ch6f-vxmx
        ("torch._dynamo.guards", "GuardBuilder.get"),  # GHSA-86cj-95qr-2p4f
        ("torch.fx.experimental.symbolic_shapes", "ShapeEnv.evaluate_guards_expression"),
        ("torch.utils.collect_env", "run"),  # GHSA-f745-w6jp-hpxx
        ("torch.utils._config_module", "load_config"),  # GHSA-vv6j-3g6g-2pvj
        ("torch.jit.unsupported_tensor_ops", "execWrapper"),  # GHSA-vr7h-p6mm-wpmh
        ("torch.utils.data.datapipes.utils.decoder", "basichandlers"),
        ("torch._inductor.codecache", "compile_file"),
        ("transformers.dynamic_module_utils", "get_class_from_dynamic_module"),
        ("asyncio.subprocess", "create_subprocess_shell"),
        ("ctypes", "CDLL"),
        ("numpy.testing._private.utils", "runstring"),
        ("numpy.f2py", "compile"),
        ("numpy", "core._internal.sys.modules"),  # dotted path into sys (modelscan #89)
        ("numpy", "__builtins__"),
        ("dill._dill", "_create_code"),  # dill by-value code
        ("dill._dill", "_create_function"),
        ("cloudpickle.cloudpickle", "_make_function"),
        ("pkgutil", "resolve_name"),  # GHSA-vvpj-8cmc-gx39
        ("logging.config", "listen"),
        ("webbrowser", "open"),
        ("shutil", "rmtree"),
        ("socket", "create_connection"),
        ("types", "CodeType"),
        ("marshal", "loads"),
    ],
)
def test_published_gadgets_are_critical(tmp_path: Path, module: str, name: str) -> None:
    """Technique: published picklescan/modelscan bypass gadgets called with REDUCE."""
    data = payload(module, name)
    assert f"{module}.{name}" in keys(scan(tmp_path, data), "AIW-MOD002")
    stacked = proto(4) + call_with_string(stack_global(module, name), "id") + STOP
    assert f"{module}.{name}" in keys(scan(tmp_path, stacked), "AIW-MOD002")


def test_pydoc_locate_chain_reaches_os_system(tmp_path: Path) -> None:
    """Technique: ``pydoc.locate('os.system')('id')``: the import is a string argument."""
    located = call(global_("pydoc", "locate"), sbu("os.system"))
    findings = scan(tmp_path, proto(2) + call_with_string(located, "id") + STOP)
    assert {"pydoc.locate", "os.system"} <= keys(findings, "AIW-MOD002")


# --- nested pickles --------------------------------------------------------------------


def test_nested_pickle_behind_base64(tmp_path: Path) -> None:
    """Technique: ``pickle.loads(base64.b64decode('...'))`` hides the real payload."""
    inner = base64.b64encode(payload("subprocess", "getoutput")).decode()
    decoded = call(global_("base64", "b64decode"), binunicode(inner))
    data = proto(2) + call(global_("pickle", "loads"), decoded) + STOP
    findings = scan(tmp_path, data)
    found = keys(findings, "AIW-MOD002")
    assert "pickle.loads" in found
    assert "nested pickle.loads/subprocess.getoutput" in found
    nested = next(f for f in findings if f.fingerprint_key.endswith("subprocess.getoutput"))
    assert nested.message.startswith("In a pickle nested in `pickle.loads`")


def test_nested_pickle_behind_zlib(tmp_path: Path) -> None:
    """Technique: ``_pickle.loads(zlib.decompress(b'...'))``."""
    compressed = zlib.compress(payload("os", "popen", p=4))
    decompressed = call(global_("zlib", "decompress"), binbytes(compressed))
    data = proto(3) + call(global_("_pickle", "loads"), decompressed) + STOP
    assert "nested _pickle.loads/os.popen" in keys(scan(tmp_path, data), "AIW-MOD002")


def test_nested_pickle_as_protocol2_codecs_bytes(tmp_path: Path) -> None:
    """Technique: protocol 2 writes bytes as ``_codecs.encode(text, 'latin1')``."""
    text = payload("os", "system").decode("latin-1")
    encoded = call(global_("_codecs", "encode"), binunicode(text), sbu("latin1"))
    data = proto(2) + call(global_("pickle", "loads"), encoded) + STOP
    assert "nested pickle.loads/os.system" in keys(scan(tmp_path, data), "AIW-MOD002")


def test_deep_nesting_hits_the_limit_after_reporting(tmp_path: Path) -> None:
    """Limit: pickles nested deeper than ``max_nesting_depth`` raise LimitExceeded."""
    data = payload()
    for _ in range(4):
        data = proto(3) + call(global_("pickle", "loads"), binbytes(data)) + STOP
    findings: list[Finding] = []
    with pytest.raises(LimitExceeded) as caught:
        path = tmp_path / "deep.pkl"
        path.write_bytes(data)
        artifact = Artifact(path, "deep.pkl", FileFormat.PICKLE, len(data))
        for finding in ANALYZER.analyze(artifact, Limits(max_nesting_depth=2)):
            findings.append(finding)
    assert caught.value.limit == "max_nesting_depth"
    assert "pickle.loads" in keys(findings, "AIW-MOD002")


# --- broken and concatenated streams -------------------------------------------------


def test_nullifai_broken_pickle_after_the_payload(tmp_path: Path) -> None:
    """Technique: nullifAI (ReversingLabs 2025): payload REDUCE, then the stream breaks.

    The real unpickler runs ``os.system`` before it reaches the invalid bytes.
    """
    data = proto(2) + call_with_string(global_("os", "system"), "id") + b"\xff\xfe garbage"
    findings = scan(tmp_path, data)
    assert "os.system" in keys(findings, "AIW-MOD002")
    assert any(f.rule_id == "AIW-MOD004" and f.severity is Severity.HIGH for f in findings)


def test_missing_memo_key_still_reports_later_imports(tmp_path: Path) -> None:
    """Technique: a GET of an unknown memo key desyncs naive emulators; imports still count."""
    data = proto(2) + b"h\x07" + call_with_string(global_("os", "system"), "id") + STOP
    findings = scan(tmp_path, data)
    assert "os.system" in keys(findings, "AIW-MOD002")
    assert "AIW-MOD004" in {f.rule_id for f in findings}


def test_memo_put_of_a_global_then_get(tmp_path: Path) -> None:
    """Technique: the callable is memoised with BINPUT and fetched later with BINGET."""
    data = proto(2) + global_("os", "system") + binput(3) + b"0" + b"h\x03"
    data += sbu("id") + TUPLE1 + REDUCE + STOP
    findings = scan(tmp_path, data)
    assert {f.evidence for f in findings if f.rule_id == "AIW-MOD002"} == {"os.system('id')"}


# --- benign data written by pickle itself ---------------------------------------------


BENIGN_VALUES: list[object] = [
    {"a": [1, 2.5, "x", None, True], "b": (1, 2), "c": {1, 2}, "d": frozenset({3})},
    collections.OrderedDict(a=1, b=[1, 2]),
    collections.defaultdict(list, a=[1]),
    collections.deque([1, 2, 3]),
    collections.Counter("hello"),
    datetime.datetime(2024, 1, 2, 3, 4, 5, tzinfo=datetime.UTC),
    datetime.date(2024, 1, 2),
    datetime.timedelta(days=3),
    decimal.Decimal("1.25"),
    fractions.Fraction(3, 4),
    uuid.UUID(int=7),
    [complex(1, 2), bytearray(b"xy"), range(3), slice(1, 5), b"\x00\x01", type(None)],
    Path("/models/weights.bin"),
]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
@pytest.mark.parametrize("index", range(len(BENIGN_VALUES)))
def test_benign_pickle_dumps_is_info_only(tmp_path: Path, protocol: int, index: int) -> None:
    """Baseline: stdlib value types pickled by ``pickle.dumps`` at every protocol."""
    findings = scan(tmp_path, pickle.dumps(BENIGN_VALUES[index], protocol=protocol))
    assert [f.rule_id for f in findings] == ["AIW-MOD001"]
    assert findings[0].severity is Severity.INFO
