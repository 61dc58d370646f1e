#!/usr/bin/env bash
# Sets up and starts the app on http://127.0.0.1:7860, ingesting the sample archive on first start.
# Prints four numbered steps in Vietnamese: 1 environment and 2 install (scripts/setup_env.sh; pip's output
# goes to logs/install.log), then the app prints 3 the archive (a progress bar on the first start, while
# the address already shows that progress) and 4 the address to open (its log: logs/app.log).
set -euo pipefail
cd "$(dirname "$0")/.."
SETUP_STEPS=1 EXTRAS="" source scripts/setup_env.sh
exec .venv/bin/python app.py --steps "$@"
