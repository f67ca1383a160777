"""``AIW-ENG`` rules: the engine's own findings about files it could not fully scan.

These are how aiwarden fails closed. Each one marks its file as failed and the scan
as incomplete, whatever the severity filters say.
"""

from __future__ import annotations

from aiwarden.core.rule import Rule, RuleId
from aiwarden.core.severity import Severity

_GUIDELINES = ("SD-3.d", "DV-1.a")
_SCAN_HELP = (
    "\n\nA file that aiwarden could not fully analyse may hide exactly what a scanner "
    "should have found, so the scan is reported as **incomplete** (exit code 2) and "
    "never as clean."
)

ANALYZER_ERROR = Rule(
    id=RuleId("AIW-ENG001"),
    title="Analyzer failed on this file",
    severity=Severity.HIGH,
    summary="An analyzer raised an error while reading the file, so it was not fully scanned.",
    help="An analyzer stopped with an unexpected error on this file." + _SCAN_HELP,
    remediation=(
        "Inspect the file by hand before trusting it. If it is a legitimate file, "
        "report the error (run with -v for the traceback) to the aiwarden maintainers."
    ),
    guidelines=_GUIDELINES,
    cwe=(755,),
    tags=("engine",),
)

TIMEOUT = Rule(
    id=RuleId("AIW-ENG002"),
    title="Per-file time budget exceeded",
    severity=Severity.HIGH,
    summary="Analysis of the file did not finish within the per-file time budget.",
    help=(
        "The analysis of this file ran past the per-file time budget (`--timeout`) and "
        "was stopped. Hostile files are sometimes built to exhaust scanners." + _SCAN_HELP
    ),
    remediation=(
        "Inspect the file by hand, or raise the budget with --timeout if the file is "
        "legitimately large."
    ),
    guidelines=_GUIDELINES,
    cwe=(400,),
    tags=("engine",),
)

LIMIT_REACHED = Rule(
    id=RuleId("AIW-ENG003"),
    title="Resource limit reached",
    severity=Severity.HIGH,
    summary="A resource limit (size, members, nesting, decompressed bytes) stopped the analysis.",
    help=(
        "The analyzer stopped because the file exceeded one of aiwarden's explicit "
        "resource limits, for example an archive with too many members or a compressed "
        "stream that expands past the decompression bound (a zip bomb)." + _SCAN_HELP
    ),
    remediation="Inspect the file by hand; do not load it until you know why it is so large.",
    guidelines=_GUIDELINES,
    cwe=(400, 409),
    tags=("engine",),
)

UNREADABLE = Rule(
    id=RuleId("AIW-ENG004"),
    title="File could not be read",
    severity=Severity.HIGH,
    summary="The file exists but could not be opened or read.",
    help="The file could not be read (permissions, a broken mount, a special file)." + _SCAN_HELP,
    remediation="Fix the file's permissions, or exclude it explicitly if it is not yours to scan.",
    guidelines=_GUIDELINES,
    cwe=(755,),
    tags=("engine",),
)

WORKER_DIED = Rule(
    id=RuleId("AIW-ENG005"),
    title="Analysis process died",
    severity=Severity.HIGH,
    summary="The process analysing the file exited abnormally (crash or out of memory).",
    help=(
        "The worker process that analysed this file died (for example killed for "
        "memory, or a crash in a native library)." + _SCAN_HELP
    ),
    remediation="Inspect the file by hand; a file that crashes a parser deserves suspicion.",
    guidelines=_GUIDELINES,
    cwe=(755,),
    tags=("engine",),
)

ARCHIVE_UNREADABLE = Rule(
    id=RuleId("AIW-ENG006"),
    title="Archive could not be expanded",
    severity=Severity.HIGH,
    summary="A zip or tar archive, or one of its members, could not be read, so its "
    "contents were not fully scanned.",
    help=(
        "aiwarden scans the members of zip and tar archives one by one. This archive "
        "could not be read completely: it is corrupt, truncated, encrypted or uses an "
        "unsupported compression method. Malformed archives are also a known way to "
        "slip files past scanners that give up silently." + _SCAN_HELP
    ),
    remediation="Inspect the archive by hand, or provide it unencrypted and uncorrupted.",
    guidelines=_GUIDELINES,
    cwe=(755,),
    tags=("engine",),
)

ENGINE_RULES: tuple[Rule, ...] = (
    ANALYZER_ERROR,
    TIMEOUT,
    LIMIT_REACHED,
    UNREADABLE,
    WORKER_DIED,
    ARCHIVE_UNREADABLE,
)
