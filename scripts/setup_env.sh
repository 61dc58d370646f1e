#!/usr/bin/env bash
# Creates .venv and installs the project on a machine that has only Python 3.11 and pip.
# Usage: source from run.sh / test.sh with EXTRAS="" or EXTRAS="[test]"; SETUP_STEPS=1 (run.sh) prints the
# numbered steps 1 and 2 in Vietnamese.
# pip's output goes to logs/install.log (shown, with where it is, only when the install fails). The install
# is skipped when .venv/install-stamp says this pyproject.toml (and the torch pin) is already installed
# with these extras ([test] covers ""), so a warm start costs no pip run.
set -euo pipefail
PYTHON=${PYTHON:-python3}
TORCH_PIN="torch==2.13.0"
INSTALL_LOG=logs/install.log
STAMP=.venv/install-stamp

_setup_step() {  # the steps run.sh shows; silent for test.sh
  if [ -n "${SETUP_STEPS:-}" ]; then echo "[$1/4] $2"; fi
}

_install_failed() {
  echo "Lỗi: $1. Xem nhật ký cài đặt: $INSTALL_LOG (các dòng cuối:)" >&2
  tail -n 15 "$INSTALL_LOG" >&2 || true
  exit 1
}

_pip_install() {  # pip install "$@" into the log; on run.sh's terminal, a count of packages while it works
  local before pid
  before=$(wc -l <"$INSTALL_LOG")
  .venv/bin/python -m pip install --disable-pip-version-check "$@" >>"$INSTALL_LOG" 2>&1 &
  pid=$!
  if [ -n "${SETUP_STEPS:-}" ] && [ -t 1 ]; then
    while kill -0 "$pid" 2>/dev/null; do
      printf '\r      đã xử lý %s gói…' "$(tail -n +"$((before + 1))" "$INSTALL_LOG" | grep -c '^Collecting')"
      sleep 2
    done
    printf '\r\033[K'
  fi
  wait "$pid"
}

if [ ! -x .venv/bin/python ]; then
  command -v "$PYTHON" >/dev/null 2>&1 || { echo "Lỗi: không tìm thấy $PYTHON: cần cài Python 3.11." >&2; exit 1; }
  _setup_step 1 "Môi trường: tạo .venv bằng $("$PYTHON" --version 2>&1)."
  "$PYTHON" -m venv .venv || { echo "Lỗi: không tạo được .venv (trên Debian/Ubuntu: apt-get install python3-venv)." >&2; exit 1; }
else
  _setup_step 1 "Môi trường: dùng .venv có sẵn ($(.venv/bin/python --version 2>&1))."
fi

INSTALL_KEY=$({ cat pyproject.toml; echo "$TORCH_PIN"; } | sha256sum | cut -c1-16)
_installed() {  # this key is stamped with these extras, or with [test] when no extras are asked
  [ -f "$STAMP" ] && { grep -qxF "$INSTALL_KEY ${EXTRAS:-}" "$STAMP" \
    || { [ -z "${EXTRAS:-}" ] && grep -qxF "$INSTALL_KEY [test]" "$STAMP"; }; }
}

if _installed; then
  _setup_step 2 "Thư viện: đã cài đủ, bỏ qua bước cài."
else
  _setup_step 2 "Thư viện: đang cài (lần đầu mất vài phút; chi tiết ghi vào $INSTALL_LOG)…"
  mkdir -p "$(dirname "$INSTALL_LOG")"
  echo "== $(date '+%Y-%m-%d %H:%M:%S') cài ${TORCH_PIN} và dự án${EXTRAS:+ $EXTRAS}" >>"$INSTALL_LOG"
  # torch first and pinned: the CPU build of 2.13.0 (an unpinned torch would pull a multi-GB CUDA build).
  _pip_install "$TORCH_PIN" || _install_failed "cài $TORCH_PIN thất bại"
  _pip_install -e ".${EXTRAS:-}" || _install_failed "cài dự án thất bại"
  # Lines of an older pyproject.toml go: only what this one installed stays stamped.
  { grep -F "$INSTALL_KEY " "$STAMP" 2>/dev/null || true; echo "$INSTALL_KEY ${EXTRAS:-}"; } | sort -u >"$STAMP.new"
  mv "$STAMP.new" "$STAMP"
fi
# Nothing may leave the machine: no model hub, no telemetry.
export HF_HUB_OFFLINE=1 TRANSFORMERS_OFFLINE=1 HF_HUB_DISABLE_TELEMETRY=1
export ANONYMIZED_TELEMETRY=False GRADIO_ANALYTICS_ENABLED=False
