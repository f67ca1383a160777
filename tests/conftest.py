"""Shared fixtures: a real, installed-looking analyzer plugin built in a temp dir.

The plugin is registered the way third parties register theirs (an ``aiwarden.checks``
entry point in a ``.dist-info`` on ``sys.path``), so tests exercise the real plugin
mechanism, in-process and in spawned worker processes alike.
"""

from __future__ import annotations

import os
import sys
import textwrap
from collections.abc import Iterator
from pathlib import Path

import pytest

PLUGIN_SOURCE = """
from __future__ import annotations

import os
import time

from aiwarden.analyzers.interface import Analyzer, LimitExceeded
from aiwarden.core import FileFormat, Rule, RuleId, Severity, make_finding

MARKER = Rule(
    id=RuleId("AIW-TST001"),
    title="Marker file found",
    severity=Severity.HIGH,
    summary="A file contains the test marker.",
    help="Test rule.",
    remediation="Remove the marker.",
    guidelines=("SD-3.d",),
    cwe=(502,),
    owasp_llm=("LLM03:2025",),
    atlas=("AML.T0011.000",),
)


class MisbehavingAnalyzer(Analyzer):
    name = "test-misbehaving"
    rules = (MARKER,)
    formats = frozenset(FileFormat)

    def analyze(self, artifact, limits):
        data = artifact.read_bytes(limits.max_read_bytes)
        if b"CRASH-ME" in data:
            raise RuntimeError("boom from the fake analyzer")
        if b"HANG-ME" in data:
            time.sleep(3600)
        if b"DIE-ME" in data:
            os._exit(13)
        if b"BOMB-ME" in data:
            raise LimitExceeded("max_decompressed_bytes", 10, "fake bomb")
        for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), 1):
            if "MARKER" in line:
                yield make_finding(
                    MARKER, artifact.location(number), "marker found",
                    evidence=line.strip(), fingerprint_key=line.strip(),
                )
"""


@pytest.fixture
def fake_plugin(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    """Install a misbehaving analyzer plugin for the duration of one test."""
    site = tmp_path_factory.mktemp("site")
    (site / "aiw_fake_plugin.py").write_text(PLUGIN_SOURCE)
    dist = site / "aiw_fake_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: aiw-fake-plugin\nVersion: 1.0\n")
    (dist / "entry_points.txt").write_text(
        textwrap.dedent(
            """\
            [aiwarden.checks]
            test-misbehaving = aiw_fake_plugin:MisbehavingAnalyzer
            """
        )
    )
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", os.pathsep.join([str(site), *sys.path]))
    yield site
    sys.modules.pop("aiw_fake_plugin", None)


@pytest.fixture
def repo_root() -> Path:
    """The repository root (for the bundled example project)."""
    return Path(__file__).resolve().parents[1]
