"""The attestations template that ``aiwarden attest init`` writes.

One commented entry per behaviour that a person has to confirm (modes ``attestation``
and ``machine + attestation``), grouped by guideline, unsigned: an entry counts only
once someone fills in ``attested_by`` and ``date``.
"""

from __future__ import annotations

import datetime as dt
import json

from aiwarden.assess.attestations import FILE_NAME, FORMAT_VERSION
from aiwarden.assess.behaviours import SPECS, Mode
from aiwarden.core.catalogue import load_catalogue

_HEADER = f"""\
# {FILE_NAME}: what people attest about behaviours no scanner can see.
# Read by `aiwarden assess`. An entry counts only when `attested_by` and `date` are
# filled in and `expires` has not passed; otherwise the behaviour shows as
# "needs attestation". Keep this file under review like code (CODEOWNERS).
#
#   behaviour    guideline behaviour id (see `aiwarden guidelines`)
#   statement    what is true, specific enough for an auditor to check
#   attested_by  "Name <email>" of the person accountable for the statement
#   date         YYYY-MM-DD on which it was last checked
#   expires      YYYY-MM-DD after which it must be checked again
#   evidence     link to the record (training log, minutes, runbook, ticket)
"""


def attestation_template(today: dt.date) -> str:
    """The YAML text of a fresh attestations file; entries expire a year after ``today``."""
    expires = (
        today.replace(year=today.year + 1)
        if not (today.month == 2 and today.day == 29)
        else today + dt.timedelta(days=365)
    ).isoformat()
    lines = [_HEADER, f"version: {FORMAT_VERSION}", "attestations:"]
    for guideline in load_catalogue().guidelines:
        specs = [SPECS[b.id] for b in guideline.behaviours if SPECS[b.id].mode is not Mode.MACHINE]
        if not specs:
            continue
        lines.append(f"  # {guideline.id} {guideline.title}")
        for spec in specs:
            lines += [
                f"  - behaviour: {spec.id}",
                f"    statement: {json.dumps(spec.prompt)}",
                '    attested_by: ""',
                '    date: ""',
                f"    expires: {expires}",
                '    evidence: ""',
            ]
    return "\n".join(lines) + "\n"
