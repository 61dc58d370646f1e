#!/usr/bin/env bash
# Sets up and starts the app on http://127.0.0.1:7860, ingesting the sample archive on first start.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="" source scripts/setup_env.sh
exec .venv/bin/python app.py "$@"
