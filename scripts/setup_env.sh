#!/usr/bin/env bash
# Creates .venv and installs the project on a machine that has only Python 3.11 and pip.
# Usage: source from run.sh / test.sh with EXTRAS="" or EXTRAS="[test]".
set -euo pipefail
PYTHON=${PYTHON:-python3}
if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
# torch first and pinned: the CPU build of 2.13.0 (an unpinned torch would pull a multi-GB CUDA build).
.venv/bin/python -m pip install -q --disable-pip-version-check torch==2.13.0
.venv/bin/python -m pip install -q --disable-pip-version-check -e ".${EXTRAS:-}"
# Nothing may leave the machine: no model hub, no telemetry.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
export ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
