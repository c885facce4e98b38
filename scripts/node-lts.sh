#!/usr/bin/env bash
# Fetches (or reuses) the Node.js binary of the version in .nvmrc and prints its path:
#
#   NODE_LTS=<path>   node binary of .nvmrc's version (CI runs the unit tests under it besides the machine's node)
#
# The binary comes from the npm registry: the `node` package's preinstall script installs node-<os>-<arch> at the
# same version, so this installs that platform package directly (no install script runs; npm 11 blocks them).
# Cached under $DRPLANE_TOOLS_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/drplane-tools)/node-v<version>.
# Usage: bash scripts/node-lts.sh      eval "$(bash scripts/node-lts.sh)" exports NODE_LTS.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR=${DRPLANE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drplane-tools}
VERSION=$(tr -d '[:space:]v' <"$ROOT/.nvmrc")
[[ $VERSION =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || {
  echo "node-lts: .nvmrc must hold an exact version such as 24.21.0 (got '$VERSION')" >&2
  exit 1
}

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) PLATFORM=linux-x64 ;;
  Linux-aarch64 | Linux-arm64) PLATFORM=linux-arm64 ;;
  Darwin-x86_64) PLATFORM=darwin-x64 ;;
  Darwin-arm64) PLATFORM=darwin-arm64 ;;
  *)
    echo "node-lts: no node-<os>-<arch> package for $(uname -s) $(uname -m)" >&2
    exit 1
    ;;
esac

DIR=$TOOLS_DIR/node-v$VERSION
BIN=$DIR/node_modules/node-$PLATFORM/bin/node
if ! [[ -x $BIN && $("$BIN" --version 2>/dev/null) == "v$VERSION" ]]; then
  echo "node-lts: installing node-$PLATFORM@$VERSION from the npm registry into $DIR" >&2
  rm -rf "$DIR.partial"
  mkdir -p "$DIR.partial"
  npm install --prefix "$DIR.partial" --no-save --no-package-lock --ignore-scripts --no-audit --no-fund \
    "node-$PLATFORM@$VERSION" >&2
  rm -rf "$DIR"
  mv "$DIR.partial" "$DIR"
  [[ $("$BIN" --version) == "v$VERSION" ]] || {
    echo "node-lts: $BIN does not report v$VERSION" >&2
    exit 1
  }
fi
echo "NODE_LTS=$BIN"
