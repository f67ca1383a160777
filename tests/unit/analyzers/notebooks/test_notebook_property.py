"""Property test: any JSON put where a notebook's parts go never crashes the analyzer."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from nb_builders import code, notebook, scan

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=10), inner, max_size=4)
    ),
    max_leaves=20,
)
SLOTS = st.sampled_from(
    ["cell", "source", "outputs", "output", "metadata", "cells", "root", "data"]
)


def place(slot: str, value: Any) -> Any:
    nb = notebook([code("x = 1\n", outputs=[{"output_type": "stream", "text": ["a\n"]}])])
    cell = nb["cells"][0]
    if slot == "root":
        return value
    if slot == "cells":
        nb["cells"] = value
    elif slot == "cell":
        nb["cells"].append(value)
    elif slot == "output":
        cell["outputs"].append(value)
    elif slot == "data":
        cell["outputs"].append({"output_type": "display_data", "data": value})
    else:
        cell[slot] = value
    return nb


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(slot=SLOTS, value=JSON)
def test_arbitrary_json_in_any_slot_never_crashes(slot: str, value: Any) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        findings = scan(Path(tmp), place(slot, value))
    for finding in findings:
        assert finding.message
        assert finding.location.line is None or finding.location.line >= 1


@settings(max_examples=100, deadline=None)
@given(text=st.text(max_size=300))
def test_arbitrary_text_never_crashes(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        findings = scan(Path(tmp), text)
    try:
        json.loads(text)
    except ValueError:
        assert [f.rule_id for f in findings] == ["AIW-NB007"]
