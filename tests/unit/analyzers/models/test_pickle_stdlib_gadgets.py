"""Private standard-library helpers that run commands or write files (2025 picklescan
bypass class): the policy ranks a whole class critical, not just the known names."""

from __future__ import annotations

import pickle
import re
from pathlib import Path

import pytest
from pickle_builders import payload

from aiwarden.analyzers.interface import Artifact, Limits
from aiwarden.analyzers.models.serialization import PickleSerializationAnalyzer
from aiwarden.core.formats import FileFormat
from aiwarden.core.severity import Severity


def severities(tmp_path: Path, data: bytes) -> dict[str, Severity]:
    path = tmp_path / "model.pkl"
    path.write_bytes(data)
    artifact = Artifact(path, "model.pkl", FileFormat.PICKLE, len(data))
    findings = PickleSerializationAnalyzer().analyze(artifact, Limits())
    return {f.rule_id: f.severity for f in findings}


@pytest.mark.parametrize(
    ("module", "name"),
    [
        ("_osx_support", "_read_output"),  # runs a shell command and returns its output
        ("_aix_support", "_read_cmd_output"),
        ("uuid", "_get_command_stdout"),
        ("_pyrepl.pager", "pipe_pager"),  # Python 3.13 module: not in this interpreter
        ("_some_future_private_module", "helper"),  # the class, not a list of names
        ("logging", "FileHandler"),  # creates or truncates a file on construction
        ("logging.handlers", "SysLogHandler"),  # opens a network socket
    ],
)
def test_private_stdlib_and_file_handler_gadgets_are_critical(
    tmp_path: Path, module: str, name: str
) -> None:
    found = severities(tmp_path, payload(module, name, "id > /tmp/pwned"))
    assert found.get("AIW-MOD002") is Severity.CRITICAL


@pytest.mark.parametrize("protocol", range(6))
def test_allowlisted_private_stdlib_helpers_stay_benign(tmp_path: Path, protocol: int) -> None:
    # re._compile (compiled patterns) and _codecs.encode (protocol-2 bytes) are what
    # pickle itself writes for ordinary objects.
    data = pickle.dumps([re.compile("a+"), b"\x00bytes", bytearray(b"x")], protocol=protocol)
    found = severities(tmp_path, data)
    assert set(found) == {"AIW-MOD001"}
    assert found["AIW-MOD001"] is Severity.INFO
