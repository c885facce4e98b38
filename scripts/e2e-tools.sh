#!/usr/bin/env bash
# Builds (or reuses) the pinned control-plane binaries the end-to-end tier (test/e2e, `npm run test:e2e`) runs,
# and prints their paths:
#
#   ETCD=<path>                     etcd from go.etcd.io/etcd/server/v3   (wrapper module test/e2e/tools/etcd)
#   KUBE_APISERVER=<path>           kube-apiserver from k8s.io/kubernetes (wrapper module test/e2e/tools/kubernetes)
#   KUBE_CONTROLLER_MANAGER=<path>  kube-controller-manager, same wrapper  (the tier runs only its garbage collector,
#                                   which Crossplane relies on to delete composed resources with their composite)
#   KUBECTL=<path>                  kubectl, same wrapper                  (so client and server versions match)
#   ARGOCD=<path>                   Argo CD's `argocd` command from github.com/argoproj/argo-cd/v3 (wrapper module
#                                   test/e2e/tools/argocd); run as argocd-application-controller / argocd-repo-server
#                                   (ARGOCD_BINARY_NAME picks the component)
#
# Crossplane core is not built here: scripts/tools.sh builds it (wrapper test/e2e/tools/crossplane) and the e2e
# tier finds it in the same cache.
#
# Binaries are cached by version under $DRPLANE_TOOLS_DIR (default ${XDG_CACHE_HOME:-$HOME/.cache}/drplane-tools),
# outside the repository, so a second run costs nothing. The variables above, when set, name binaries to use instead
# (they are checked, never built).
#
# Why wrapper modules: k8s.io/kubernetes maps its staging modules to ./staging paths and etcd's server module maps
# its siblings to ../ paths; replace directives only count in the main module, and the Go proxy refuses the version
# lists `go install pkg@version` needs. Each wrapper's go.mod/go.sum pins every dependency (regenerate the
# kubernetes one with test/e2e/tools/kubernetes/update.sh).
#
# Usage: bash scripts/e2e-tools.sh          (eval "$(bash scripts/e2e-tools.sh)" sets the five variables in a shell.)
# Needs: go >= 1.26 and the Go module proxy. Cold (empty Go module and build caches, 2 cores): ~20 min in all —
# etcd ~1 min, kube-apiserver ~4 min, kube-controller-manager ~1 min, kubectl ~20 s, argocd ~15 min (~5 min when the
# Go build cache already holds its Kubernetes libraries). Warm (binaries cached): < 1 s.
set -euo pipefail

KUBERNETES_VERSION=v1.35.4
ETCD_VERSION=v3.6.16
# The newest Argo CD the Go module proxy serves as tagged and with every module upstream pins: from v3.3 on argo-cd's
# go.mod replaces gitops-engine with a folder that module downloads do not carry, and the proxy's v3.2.12 is not the
# tagged source (it does not compile). See test/e2e/README.md, "Argo CD".
ARGOCD_VERSION=v3.2.11

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TOOLS_DIR=${DRPLANE_TOOLS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/drplane-tools}
KUBERNETES_WRAPPER=$ROOT/test/e2e/tools/kubernetes
ETCD_WRAPPER=$ROOT/test/e2e/tools/etcd
ARGOCD_WRAPPER=$ROOT/test/e2e/tools/argocd

log() { printf 'e2e-tools: %s\n' "$*" >&2; }
die() {
  printf 'e2e-tools: error: %s\n' "$*" >&2
  exit 1
}

# Checks that an existing binary runs on this machine and reports the pinned version.
# Args: <binary> <expected version text> <args that print the version...>
runs_version() {
  local bin=$1 want=$2 out
  shift 2
  out=$("$bin" "$@" 2>&1) || return 1
  [[ $out == *"$want"* ]]
}
check_apiserver() { runs_version "$1" "Kubernetes $KUBERNETES_VERSION" --version; }
check_controller_manager() { runs_version "$1" "Kubernetes $KUBERNETES_VERSION" --version; }
check_kubectl() { runs_version "$1" "Client Version: $KUBERNETES_VERSION" version --client; }
check_etcd() { runs_version "$1" "etcd Version: ${ETCD_VERSION#v}" --version; }
check_argocd() { runs_version "$1" "argocd: $ARGOCD_VERSION+" version --client --short; }

need_go() {
  command -v go >/dev/null 2>&1 || die "go is not on PATH; install Go >= 1.26 (https://go.dev/dl/) or set KUBE_APISERVER, KUBECTL and ETCD"
}

# The version stamp `make` would set (hack/lib/version.sh): without it the binaries call themselves v0.0.0-master.
kubernetes_ldflags() {
  local v=$KUBERNETES_VERSION minor flags="-s -w" pkg
  minor=${v#v1.}
  minor=${minor%%.*}
  for pkg in k8s.io/client-go/pkg/version k8s.io/component-base/version; do
    flags+=" -X $pkg.gitVersion=$v -X $pkg.gitMajor=1 -X $pkg.gitMinor=$minor -X $pkg.gitTreeState=clean"
    flags+=" -X $pkg.buildDate=1970-01-01T00:00:00Z"
  done
  printf '%s' "$flags"
}

# The version stamp Argo CD's Makefile sets (common.version and friends): without it the binary calls itself 99.99.99.
argocd_ldflags() {
  local pkg=github.com/argoproj/argo-cd/v3/common
  printf '%s' "-s -w -X $pkg.version=${ARGOCD_VERSION#v} -X $pkg.buildDate=1970-01-01T00:00:00Z -X $pkg.gitTreeState=clean"
}

# go build into a temporary file next to the target, then move it in place: an interrupted or failed build
# never leaves a half-written binary in the cache. Times the build on stderr.
# Args: <target> <wrapper dir> <package> <ldflags>
go_build() {
  local target=$1 dir=$2 pkg=$3 ldflags=$4 tmp start
  need_go
  tmp=$(mktemp "$target.XXXXXX.partial")
  start=$SECONDS
  # GOFLAGS=-mod=readonly: the committed go.mod/go.sum are the pin; a build never rewrites them.
  if ! (cd "$dir" && GOWORK=off GOFLAGS=-mod=readonly CGO_ENABLED=0 go build -trimpath -buildvcs=false -ldflags "$ldflags" -o "$tmp" "$pkg") >&2; then
    rm -f "$tmp"
    return 1
  fi
  chmod +x "$tmp"
  mv -f "$tmp" "$target"
  log "built $(basename "$target") in $((SECONDS - start)) s"
}

build_apiserver() {
  log "building kube-apiserver $KUBERNETES_VERSION into $1 (cold: ~4 min on 2 cores)"
  go_build "$1" "$KUBERNETES_WRAPPER" k8s.io/kubernetes/cmd/kube-apiserver "$(kubernetes_ldflags)" ||
    die "building kube-apiserver $KUBERNETES_VERSION through test/e2e/tools/kubernetes failed (see the go output above)"
}

build_controller_manager() {
  log "building kube-controller-manager $KUBERNETES_VERSION into $1 (cold after kube-apiserver: ~1 min)"
  go_build "$1" "$KUBERNETES_WRAPPER" k8s.io/kubernetes/cmd/kube-controller-manager "$(kubernetes_ldflags)" ||
    die "building kube-controller-manager $KUBERNETES_VERSION through test/e2e/tools/kubernetes failed (see the go output above)"
}

build_kubectl() {
  log "building kubectl $KUBERNETES_VERSION into $1 (cold after kube-apiserver: ~20 s)"
  go_build "$1" "$KUBERNETES_WRAPPER" k8s.io/kubernetes/cmd/kubectl "$(kubernetes_ldflags)" ||
    die "building kubectl $KUBERNETES_VERSION through test/e2e/tools/kubernetes failed (see the go output above)"
}

build_etcd() {
  log "building etcd $ETCD_VERSION into $1 (cold: ~1 min)"
  go_build "$1" "$ETCD_WRAPPER" . "-s -w" ||
    die "building etcd $ETCD_VERSION through test/e2e/tools/etcd failed (see the go output above)"
}

build_argocd() {
  log "building argocd $ARGOCD_VERSION into $1 (cold: ~15 min on 2 cores)"
  go_build "$1" "$ARGOCD_WRAPPER" github.com/argoproj/argo-cd/v3/cmd "$(argocd_ldflags)" ||
    die "building argocd $ARGOCD_VERSION through test/e2e/tools/argocd failed (see the go output above)"
}

# Resolves one binary: an override from the environment, else the cached build, else a fresh build.
# Args: <env var name> <cache file name> <check function> <build function>
resolve() {
  local var=$1 name=$2 check=$3 build=$4 override path
  override=${!var:-}
  if [[ -n $override ]]; then
    [[ -x $override ]] || die "$var=$override is not an executable file"
    "$check" "$override" || die "$var=$override does not run here or is not the pinned version ($name)"
    printf '%s=%s\n' "$var" "$override"
    return
  fi
  path=$TOOLS_DIR/$name
  if [[ -x $path ]] && "$check" "$path"; then
    log "reusing $path"
  else
    rm -f "$path"
    "$build" "$path"
    "$check" "$path" || die "the freshly built $path does not run or does not report version $name"
  fi
  printf '%s=%s\n' "$var" "$path"
}

mkdir -p "$TOOLS_DIR" || die "cannot create the tools directory $TOOLS_DIR (set DRPLANE_TOOLS_DIR)"
# etcd first: it is quick, and a broken Go setup shows up before the long kubernetes build.
resolve ETCD "etcd-$ETCD_VERSION" check_etcd build_etcd
resolve KUBE_APISERVER "kube-apiserver-$KUBERNETES_VERSION" check_apiserver build_apiserver
resolve KUBE_CONTROLLER_MANAGER "kube-controller-manager-$KUBERNETES_VERSION" check_controller_manager build_controller_manager
resolve KUBECTL "kubectl-$KUBERNETES_VERSION" check_kubectl build_kubectl
resolve ARGOCD "argocd-$ARGOCD_VERSION" check_argocd build_argocd
