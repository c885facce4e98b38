#!/usr/bin/env bash
# Installs what `npm test` needs besides npm packages, idempotently:
#   - moto's server (pinned in test/requirements.txt) in a .venv at the repository root;
#   - the pinned crossplane CLI and Crossplane core binaries (scripts/tools.sh, cached outside the repo).
# Usage: npm ci && bash scripts/test-setup.sh && npm test
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

if [[ ! -x .venv/bin/python ]]; then
  python3 -m venv .venv 2>/dev/null || {
    echo "test-setup: python3 -m venv failed; on Debian install python3-venv (apt-get install -y python3-venv)" >&2
    exit 1
  }
fi
.venv/bin/python -m pip install --quiet --disable-pip-version-check -r test/requirements.txt
echo "test-setup: moto $(.venv/bin/python -c 'import moto; print(moto.__version__)') in .venv"

bash scripts/tools.sh
