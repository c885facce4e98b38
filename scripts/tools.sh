#!/usr/bin/env bash
# Builds (or reuses) the pinned Crossplane binaries the tests run, and prints their paths:
#
#   CROSSPLANE_CLI=<path>    crossplane CLI (github.com/crossplane/cli/v2)   — render, resource validate, xrd convert
#   CROSSPLANE_CORE=<path>   Crossplane core (github.com/crossplane/crossplane/v2) — `render --crossplane-binary`, e2e
#   GOPHER_LUA=<path>        test/bootstrap/gopher-lua: Argo CD health scripts under gopher-lua (version in its go.mod)
#
# Binaries are cached by version under $DRPLANE_TOOLS_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/drplane-tools),
# outside the repository, so a second run costs nothing. CROSSPLANE_CLI / CROSSPLANE_CORE, when set, name binaries
# to use instead (they are checked, never built).
#
# Why not `go install`: the Go proxy serves the crossplane modules at exact versions but refuses their version
# lists, which `go install pkg@version` needs. So the CLI is built from its downloaded module directory, and
# Crossplane core (whose go.mod replaces apis/v2 with a local path) through the wrapper module
# test/e2e/tools/crossplane, whose go.sum pins every dependency.
#
# Usage: bash scripts/tools.sh            eval "$(bash scripts/tools.sh)" exports the three variables.
# Needs: go >= 1.26 and the Go module proxy. Cold build: ~3.5 min (CLI) + ~1 min (core) + ~10 s (gopher-lua runner).
set -euo pipefail

CLI_VERSION=v2.5.0
CORE_VERSION=v2.3.4
CLI_MODULE=github.com/crossplane/cli/v2
CORE_PACKAGE=github.com/crossplane/crossplane/v2/cmd/crossplane
# Both projects stamp their version here (see their nix/build.nix).
VERSION_VAR=github.com/crossplane/crossplane-runtime/v2/pkg/version.version

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR=${DRPLANE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drplane-tools}

log() { printf 'tools: %s\n' "$*" >&2; }
die() {
  printf 'tools: error: %s\n' "$*" >&2
  exit 1
}

# Checks that an existing binary runs on this machine.
runs() { "$1" --help >/dev/null 2>&1; }

need_go() {
  command -v go >/dev/null 2>&1 || die "go is not on PATH; install Go >= 1.26 (https://go.dev/dl/) or set CROSSPLANE_CLI and CROSSPLANE_CORE"
}

# go build into a temporary file next to the target, then move it in place: an interrupted or failed build
# never leaves a half-written binary in the cache.
# Args: <target> <dir to build in> <package> <version>
go_build() {
  local target=$1 dir=$2 pkg=$3 version=$4 tmp
  tmp=$(mktemp "$target.XXXXXX.partial")
  if ! (cd "$dir" && CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "-s -w -X=$VERSION_VAR=$version" -o "$tmp" "$pkg") >&2; then
    rm -f "$tmp"
    return 1
  fi
  chmod +x "$tmp"
  mv -f "$tmp" "$target"
}

build_cli() {
  local target=$1 dir json
  need_go
  log "building crossplane CLI $CLI_VERSION into $target (cold: ~3.5 min)"
  # Outside any module or workspace, so nothing in the checkout changes what gets downloaded.
  json=$(cd "$TOOLS_DIR" && GOWORK=off go mod download -json "$CLI_MODULE@$CLI_VERSION") || {
    printf '%s\n' "$json" >&2
    die "go mod download $CLI_MODULE@$CLI_VERSION failed (is the Go module proxy reachable? GOPROXY=$(go env GOPROXY))"
  }
  dir=$(printf '%s\n' "$json" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",\{0,1\}$/\1/p')
  [[ -n $dir && -d $dir ]] || die "go mod download $CLI_MODULE@$CLI_VERSION reported no module directory"
  go_build "$target" "$dir" ./cmd/crossplane "$CLI_VERSION" ||
    die "building the crossplane CLI $CLI_VERSION failed (see the go output above)"
}

build_core() {
  local target=$1
  need_go
  log "building Crossplane core $CORE_VERSION into $target (cold: ~1 min)"
  go_build "$target" "$ROOT/test/e2e/tools/crossplane" "$CORE_PACKAGE" "$CORE_VERSION" ||
    die "building Crossplane core $CORE_VERSION through test/e2e/tools/crossplane failed (see the go output above)"
}

# The gopher-lua runner is named by a hash of its sources (main.go, go.mod, go.sum), so any change rebuilds it;
# test/support/tools.ts computes the same name.
GOPHER_LUA_DIR=$ROOT/test/bootstrap/gopher-lua
gopher_lua_name() {
  local sum
  sum=$(cat "$GOPHER_LUA_DIR/main.go" "$GOPHER_LUA_DIR/go.mod" "$GOPHER_LUA_DIR/go.sum" | sha256sum)
  printf 'gopher-lua-health-%s' "${sum:0:12}"
}

build_gopher_lua() {
  local target=$1
  need_go
  log "building the gopher-lua health runner (test/bootstrap/gopher-lua) into $target"
  GOWORK=off go_build "$target" "$GOPHER_LUA_DIR" . none ||
    die "building test/bootstrap/gopher-lua failed (see the go output above)"
}

# Resolves one binary: an override from the environment, else the cached build, else a fresh build.
# Args: <env var name> <cache file name> <build function>
resolve() {
  local var=$1 name=$2 build=$3 override path
  override=${!var:-}
  if [[ -n $override ]]; then
    [[ -x $override ]] || die "$var=$override is not an executable file"
    runs "$override" || die "$var=$override does not run on this machine"
    printf '%s=%s\n' "$var" "$override"
    return
  fi
  path=$TOOLS_DIR/$name
  if [[ -x $path ]] && runs "$path"; then
    log "reusing $path"
  else
    rm -f "$path"
    "$build" "$path"
    runs "$path" || die "the freshly built $path does not run"
  fi
  printf '%s=%s\n' "$var" "$path"
}

mkdir -p "$TOOLS_DIR" || die "cannot create the tools directory $TOOLS_DIR (set DRPLANE_TOOLS_DIR)"
resolve CROSSPLANE_CLI "crossplane-cli-$CLI_VERSION" build_cli
resolve CROSSPLANE_CORE "crossplane-core-$CORE_VERSION" build_core
resolve GOPHER_LUA "$(gopher_lua_name)" build_gopher_lua
