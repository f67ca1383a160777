"""AIW-NB005: user names, project ids, tokens and kernel details in metadata."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from nb_builders import code, notebook, scan

REPORTED: dict[str, dict[str, Any]] = {
    "linux home path": {"vscode": {"interpreter": {"path": "/home/alice/.venv/bin/python"}}},
    "mac home path": {"kernelspec": {"argv": ["/Users/bob.smith/miniconda3/bin/python"]}},
    "windows home path": {"interpreter": {"path": "C:\\Users\\carol\\AppData\\python.exe"}},
    "gcp project": {"environment": {"gcp_project": "acme-ml-prod-42"}},
    "colab project": {"colab": {"project_id": "fraud-detection-381207"}},
    "sagemaker arn": {"instance": "arn:aws:sagemaker:us-east-1:123456789012:notebook-instance/x"},
    "azure subscription": {"ws": "/subscriptions/0f3b1c2d-4e5f-6a7b-8c9d-0e1f2a3b4c5d/rg/x"},
    "jupyter token url": {"server": "http://localhost:8888/?token=3f9a8b7c6d5e4f3a2b1c"},
    "connection file": {"connection_file": "/run/jupyter/kernel-1a2b3c4d-5e6f.json"},
    "kernel key": {"kernel": {"key": "a1b2c3d4-e5f6-4711", "signature_scheme": "hmac-sha256"}},
    "password widget": {
        "widgets": {
            "application/vnd.jupyter.widget-state+json": {
                "state": {"m1": {"state": {"_model_name": "PasswordModel", "value": "hunter22"}}}
            }
        }
    },
    "secret-named key": {"deploy": {"db_password": "Tr0ub4dor&3"}},
}


@pytest.mark.parametrize("metadata", REPORTED.values(), ids=REPORTED.keys())
def test_sensitive_metadata(tmp_path: Path, metadata: dict[str, Any]) -> None:
    findings = [
        f for f in scan(tmp_path, notebook([code("x = 1\n")], metadata)) if f.rule_id == "AIW-NB005"
    ]
    assert len(findings) == 1
    assert findings[0].severity.value == "low"
    assert findings[0].message.startswith("Notebook metadata: ")
    for hidden in ("alice", "bob.smith", "carol", "3f9a8b7c6d5e", "hunter22", "Tr0ub4dor"):
        assert hidden not in findings[0].message


FINE: dict[str, dict[str, Any]] = {
    "default kernelspec": {"kernelspec": {"name": "python3", "display_name": "Python 3"}},
    "generic user": {"vscode": {"interpreter": {"path": "/home/jovyan/.venv/bin/python"}}},
    "ci runner": {"path": "/home/runner/work/repo"},
    "language info": {"language_info": {"name": "python", "version": "3.11.4"}},
    "empty token": {"token": ""},
    "placeholder password": {"password": "<your password>"},
}


@pytest.mark.parametrize("metadata", FINE.values(), ids=FINE.keys())
def test_ordinary_metadata(tmp_path: Path, metadata: dict[str, Any]) -> None:
    assert scan(tmp_path, notebook([code("x = 1\n")], metadata)) == []


def test_cell_metadata_is_checked(tmp_path: Path) -> None:
    cell = code("x = 1\n", metadata={"execution": {"cwd": "/home/dave/projects/x"}})
    (finding,) = [f for f in scan(tmp_path, notebook([cell])) if f.rule_id == "AIW-NB005"]
    assert finding.message.startswith("Cell 1 metadata: ")
