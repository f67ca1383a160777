"""Runs one command and reports its resources: ``_measure.py OUT.json ARGV...``.

A fresh, small process forks the tool so that ``ru_maxrss`` is the tool's own
peak: a child forked straight from the benchmark would inherit the benchmark's
high-water mark at exec time.
"""

import json
import os
import shutil
import sys
import time


def main() -> int:
    out, argv = sys.argv[1], sys.argv[2:]
    exe = shutil.which(argv[0]) or argv[0]
    start = time.perf_counter()
    pid = os.posix_spawn(exe, argv, os.environ)
    _pid, status, usage = os.wait4(pid, 0)
    report = {
        "returncode": os.waitstatus_to_exitcode(status),
        "wall_s": time.perf_counter() - start,
        "cpu_s": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": usage.ru_maxrss / 1024,
    }
    with open(out, "w", encoding="utf-8") as handle:  # noqa: PTH123 - stdlib-only, -S
        json.dump(report, handle)
    return 0


if __name__ == "__main__":
    sys.exit(main())
