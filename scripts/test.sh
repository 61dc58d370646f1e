#!/usr/bin/env bash
# Sets up and runs the tests on a fresh machine, in one of two lanes:
#   bash scripts/test.sh          everything: lint, unit, integration (real model, Chroma, servers),
#                                 browser, and the tests on ../shared when it is there. What CI runs.
#   bash scripts/test.sh --fast   lint, unit tests and the integration tests on the hash embedder (no
#                                 model, no browser, no ../shared): what you run while working.
# Further arguments go to pytest, e.g. `bash scripts/test.sh --fast -x tests/test_fusion.py`.
# The lanes are pytest marks (pyproject.toml); tests/lane_checks.py holds the fast lane's expression.
set -euo pipefail
cd "$(dirname "$0")/.."
LANE=full
if [ "${1:-}" = "--fast" ]; then
  LANE=fast
  shift
fi
EXTRAS="[test]" source scripts/setup_env.sh
# The browser tests drive Debian's Chromium (never a browser download); the privacy test uses strace.
if [ "$LANE" = full ] && { ! command -v chromium >/dev/null 2>&1 || ! command -v strace >/dev/null 2>&1; }; then
  if [ "$(id -u)" = "0" ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium strace >/dev/null
  else
    echo "chromium is missing: install Debian's 'chromium' package (browser tests will be skipped)" >&2
  fi
fi
.venv/bin/python -m ruff check .
.venv/bin/lint-imports
.venv/bin/mypy
if [ "$LANE" = fast ]; then
  exec .venv/bin/python -m pytest -q -m "$(.venv/bin/python -c 'from tests.lane_checks import FAST_LANE; print(FAST_LANE)')" "$@"
fi
exec .venv/bin/python -m pytest -q "$@"
