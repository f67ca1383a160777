#!/usr/bin/env bash
# Creates benchmarks/.venv-peers with the four peer scanners the benchmark
# compares aiwarden against. modelscan's optional `tensorflow` extra and
# modelaudit's heavy extras (tensorflow, torch, ...) are deliberately NOT
# installed: the benchmark must not pull GPU/TF wheels, and each peer is
# measured as it runs from a plain `pip install NAME`.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
venv="${here}/.venv-peers"
python="${PYTHON:-python3}"

mkdir -p "${here}/.cache"
if [[ ! -x "${venv}/bin/python" ]]; then
  "${python}" -m venv "${venv}"
fi

# Pinned so that results are reproducible; bump deliberately.
"${venv}/bin/pip" install --quiet \
  "modelscan==${MODELSCAN_VERSION:-0.8.8}" \
  "picklescan==${PICKLESCAN_VERSION:-1.0.5}" \
  "fickling==${FICKLING_VERSION:-0.1.12}" \
  "modelaudit==${MODELAUDIT_VERSION:-0.2.54}"

"${venv}/bin/pip" list --format=freeze 2>/dev/null \
  | grep -iE '^(modelscan|picklescan|fickling|modelaudit)==' \
  | tee "${here}/.cache/peer-versions.txt"
