#!/usr/bin/env bash
# Installs what `npm test` needs besides npm packages, idempotently:
#   - Debian packages, when missing: lua5.1 (Argo CD health scripts), chromium (portal browser tests), python3-venv
#     (installed with apt-get as root, or through sudo -n; otherwise it says what to install and goes on);
#   - moto's server (pinned in test/requirements.txt) in a .venv at the repository root;
#   - the pinned crossplane CLI and Crossplane core binaries (scripts/tools.sh, cached outside the repo).
# A tier whose program is still missing is named by `npm test` at the start and the end of the run (skipped off CI,
# failed on CI): nothing skips in silence.
# Usage: npm ci && bash scripts/test-setup.sh && npm test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

log() { printf 'test-setup: %s\n' "$*"; }

# Debian packages the tests need, as "check:package": check is a command on PATH or an absolute path.
APT_NEEDS=(
  lua5.1:lua5.1                # test/bootstrap/lua.test.ts: Argo CD health scripts under Lua 5.1
  /usr/bin/chromium:chromium   # test/portal/browser.test.ts: playwright-core drives Debian's Chromium
)

present() { if [[ $1 == /* ]]; then [[ -x $1 ]]; else command -v "$1" >/dev/null 2>&1; fi; }

as_root() {
  if [[ $(id -u) == 0 ]]; then
    "$@"
  elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
    sudo -n "$@"
  else
    return 1
  fi
}

system_packages() {
  local need=() entry
  for entry in "${APT_NEEDS[@]}"; do
    present "${entry%%:*}" || need+=("${entry#*:}")
  done
  python3 -c 'import ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
  ((${#need[@]} == 0)) && return
  if ! command -v apt-get >/dev/null 2>&1; then
    log "WARNING: missing ${need[*]} and no apt-get here: install them, or the tests that need them are skipped"
    return
  fi
  log "installing with apt-get: ${need[*]}"
  if ! { as_root apt-get update -q && DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -q --no-install-recommends "${need[@]}"; }; then
    log "WARNING: could not install ${need[*]} (needs root or passwordless sudo): run"
    log "  sudo apt-get install -y --no-install-recommends ${need[*]}"
    log "the tests that need them are skipped (failed on CI), and npm test names them"
  fi
}

system_packages

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv 2>/dev/null || {
    echo "test-setup: python3 -m venv failed; on Debian install python3-venv (apt-get install -y python3-venv)" >&2
    exit 1
  }
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r test/requirements.txt
log "moto $(.venv/bin/python -c 'import moto; print(moto.__version__)') in .venv"

bash scripts/tools.sh
