#!/usr/bin/env bash
# Sets up the code-rule benchmark (benchmarks/run_code.py):
#   benchmarks/.venv-code-peers       Bandit and Ruff, pinned, to compare against.
#   benchmarks/.cache/code-tree-venv  a scratch virtualenv whose site-packages hold
#                                     transformers + langchain (+ core, community):
#                                     the large tree for the throughput timings.
# The tree venv installs pure-Python wheels with --no-deps: no torch, no numpy,
# nothing is ever imported or run from it; it is only read by the scanners.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
peers="${here}/.venv-code-peers"
tree="${here}/.cache/code-tree-venv"
python="${PYTHON:-python3}"

mkdir -p "${here}/.cache"

# Pinned so that results are reproducible; bump deliberately.
if [[ ! -x "${peers}/bin/python" ]]; then
  "${python}" -m venv "${peers}"
fi
"${peers}/bin/pip" install --quiet \
  "bandit==${BANDIT_VERSION:-1.9.4}" \
  "ruff==${RUFF_VERSION:-0.17.6}"

if [[ ! -x "${tree}/bin/python" ]]; then
  "${python}" -m venv "${tree}"
fi
"${tree}/bin/pip" install --quiet --no-deps --only-binary=:all: \
  "transformers==${TRANSFORMERS_VERSION:-5.24.0}" \
  "langchain==${LANGCHAIN_VERSION:-1.5.2}" \
  "langchain-core==${LANGCHAIN_CORE_VERSION:-1.8.4}" \
  "langchain-community==${LANGCHAIN_COMMUNITY_VERSION:-0.4.2}"

{
  "${peers}/bin/pip" list --format=freeze 2>/dev/null | grep -iE '^(bandit|ruff)=='
  "${tree}/bin/pip" list --format=freeze 2>/dev/null \
    | grep -iE '^(transformers|langchain|langchain-core|langchain-community)=='
} | tee "${here}/.cache/code-peer-versions.txt"
