#!/usr/bin/env bash
# Sets up and runs the whole test suite (lint, unit, integration, browser) on a fresh machine.
set -euo pipefail
cd "$(dirname "$0")/.."
EXTRAS="[test]" source scripts/setup_env.sh
# The browser tests drive Debian's Chromium (never a browser download); the privacy test uses strace.
if ! command -v chromium >/dev/null 2>&1 || ! command -v strace >/dev/null 2>&1; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium strace >/dev/null
  else
    echo "chromium is missing: install Debian's 'chromium' package (browser tests will be skipped)" >&2
  fi
fi
.venv/bin/python -m ruff check .
.venv/bin/lint-imports
exec .venv/bin/python -m pytest -q "$@"
