#!/usr/bin/env bash
# Installs the external tools the demo and the acceptance tests need into a cache folder that
# survives fresh clones (CI reuses it): the Terraform CLI (built from its Go module) and Azurite
# (npm, pinned by tools/package-lock.json), and on request golangci-lint (`make lint`). Prints the
# export lines for the harness.
#
#   tools/install-tools.sh            install what is missing, print nothing but progress
#   eval "$(tools/install-tools.sh --env)"   also export TF_ACC_TERRAFORM_PATH and AZURITE_BIN
#   tools/install-tools.sh --lint     also install golangci-lint as $cache/bin/golangci-lint
#                                     (options combine: --lint --env)
#   tools/install-tools.sh --release  also install goreleaser as $cache/bin/goreleaser-$version
#                                     (`make release-check`; with --env, export GORELEASER)
set -euo pipefail

env=false
lint=false
release=false
for arg in "$@"; do
  case "$arg" in
    --env) env=true ;;
    --lint) lint=true ;;
    --release) release=true ;;
    *) echo "install-tools: unknown option $arg (want --env and/or --lint)" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
cache=${AZVMAPPS_CACHE:-$HOME/.cache/azvmapps}
terraform_version=${TERRAFORM_VERSION:-1.5.7}
golangci_lint_version=${GOLANGCI_LINT_VERSION:-2.15.0}
mkdir -p "$cache/bin"

log() { echo "install-tools: $*" >&2; }

tf="$cache/bin/terraform-$terraform_version"
if [ ! -x "$tf" ]; then
  log "building Terraform v$terraform_version from its Go module (about 5 minutes, once)"
  tmp=$(mktemp -d)
  GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "github.com/hashicorp/terraform@v$terraform_version"
  mv "$tmp/terraform" "$tf"
  rm -rf "$tmp"
fi

lockhash=$(cat "$here/package.json" "$here/package-lock.json" | sha256sum | cut -c1-16)
azdir="$cache/azurite-$lockhash"
if [ ! -x "$azdir/node_modules/.bin/azurite-blob" ]; then
  log "installing Azurite from tools/package-lock.json (about 1.5 minutes, once)"
  rm -rf "$azdir.tmp" && mkdir -p "$azdir.tmp"
  cp "$here/package.json" "$here/package-lock.json" "$azdir.tmp/"
  (cd "$azdir.tmp" && npm ci --no-audit --no-fund --loglevel=error >&2)
  rm -rf "$azdir" && mv "$azdir.tmp" "$azdir"
fi

# A plain `terraform` on PATH for tfplugindocs and the demo.
ln -sf "$tf" "$cache/bin/terraform"

lintbin="$cache/bin/golangci-lint"
if $lint && [ "$("$lintbin" version --short 2>/dev/null || true)" != "$golangci_lint_version" ]; then
  log "building golangci-lint v$golangci_lint_version from its Go module (about 3 minutes, once)"
  tmp=$(mktemp -d)
  GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "github.com/golangci/golangci-lint/v2/cmd/golangci-lint@v$golangci_lint_version"
  mv "$tmp/golangci-lint" "$lintbin"
  rm -rf "$tmp"
fi

# goreleaser for `make release-check` (v2.15.1: the Go module proxy's later releases need a newer Go).
goreleaser_version=${GORELEASER_VERSION:-2.15.1}
grbin="$cache/bin/goreleaser-$goreleaser_version"
if $release; then
  if [ ! -x "$grbin" ]; then
    log "building goreleaser v$goreleaser_version from its Go module (about 12 minutes on a busy machine, once)"
    tmp=$(mktemp -d)
    GOBIN="$tmp" GOFLAGS=-buildvcs=false go install "github.com/goreleaser/goreleaser/v2@v$goreleaser_version"
    mv "$tmp/goreleaser" "$grbin"
    rm -rf "$tmp"
  fi
  if $env; then echo "export GORELEASER='$grbin'"; fi
fi

if $env; then
  echo "export TF_ACC_TERRAFORM_PATH='$tf'"
  echo "export PATH='$cache/bin':\"\$PATH\""
  echo "export AZURITE_BIN='$azdir/node_modules/.bin/azurite-blob'"
fi
