#!/usr/bin/env bash
# Installs the external tools the demo and the acceptance tests need into a cache folder that
# survives fresh clones (CI reuses it): the Terraform CLI (built from its Go module) and Azurite
# (npm, pinned by tools/package-lock.json), on request golangci-lint (`make lint`) and the other
# CLIs the smoke subset runs under (`make test-clis`). Prints the export lines for the harness.
#
#   tools/install-tools.sh            install what is missing, print nothing but progress
#   eval "$(tools/install-tools.sh --env)"   also export TF_ACC_TERRAFORM_PATH and AZURITE_BIN
#                                     (and AZVMAPPS_TOFU, AZVMAPPS_TERRAFORM_CURRENT when built)
#   tools/install-tools.sh --lint     also install golangci-lint as $cache/bin/golangci-lint
#   tools/install-tools.sh --release  also install goreleaser as $cache/bin/goreleaser-$version
#                                     (`make release-check`; with --env, export GORELEASER)
#   tools/install-tools.sh --clis     also build OpenTofu ($cache/bin/tofu-<version>) and a
#                                     current Terraform ($cache/bin/terraform-<version>)
#                                     (options combine: --clis --lint --release --env)
set -euo pipefail

env=false
lint=false
release=false
clis=false
for arg in "$@"; do
  case "$arg" in
    --env) env=true ;;
    --lint) lint=true ;;
    --release) release=true ;;
    --clis) clis=true ;;
    *) echo "install-tools: unknown option $arg (want --env, --lint, --release and/or --clis)" >&2; exit 2 ;;
  esac
done

here=$(cd "$(dirname "$0")" && pwd)
cache=${AZVMAPPS_CACHE:-$HOME/.cache/azvmapps}
terraform_version=${TERRAFORM_VERSION:-1.5.7}
golangci_lint_version=${GOLANGCI_LINT_VERSION:-2.15.0}
tofu_version=${TOFU_VERSION:-1.12.6}
terraform_current_version=${TERRAFORM_CURRENT_VERSION:-1.13.3}
mkdir -p "$cache/bin"

log() { echo "install-tools: $*" >&2; }

# module_copy MODULE VERSION DIR: a writable copy of a module's source from the Go module proxy
# in DIR (the module cache is read-only, and the builds below edit or write into their copy).
module_copy() {
  local src
  src=$(cd "$3" && go mod download -json "$1@v$2" | sed -n 's/^\t"Dir": "\(.*\)",$/\1/p')
  [ -n "$src" ] || { log "go mod download $1@v$2 gave no source folder"; exit 1; }
  cp -r "$src" "$3/src"
  chmod -R u+w "$3/src"
}

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

# OpenTofu, built as its release is (version.dev=no: it reports 1.12.6, not 1.12.6-dev).
tofu="$cache/bin/tofu-$tofu_version"
if $clis && [ ! -x "$tofu" ]; then
  log "building OpenTofu v$tofu_version from its Go module (about 5 minutes, once)"
  tmp=$(mktemp -d)
  module_copy github.com/opentofu/opentofu "$tofu_version" "$tmp"
  (cd "$tmp/src" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false nice go build \
    -ldflags "-X github.com/opentofu/opentofu/version.dev=no" -o "$tmp/tofu" ./cmd/tofu)
  mv "$tmp/tofu" "$tofu"
  rm -rf "$tmp"
fi

# A current Terraform. Since v1.10 its go.mod replaces the remote-state backends (azurerm, s3,
# gcs, consul, cos, kubernetes, oss, pg, oci) and internal/legacy with nested modules that the
# module zip leaves out and the proxy does not serve, so `go install` fails. The copy drops them
# from go.mod and their imports from internal/backend/init: this test CLI has the local, remote,
# http and inmem backends and HCP Terraform, which is all the tests use (local state).
tfcur="$cache/bin/terraform-$terraform_current_version"
if $clis && [ ! -x "$tfcur" ]; then
  log "building Terraform v$terraform_current_version from its Go module, without the remote-state backends (about 5 minutes, once)"
  tmp=$(mktemp -d)
  module_copy github.com/hashicorp/terraform "$terraform_current_version" "$tmp"
  edits=()
  for m in remote-state/azure remote-state/consul remote-state/cos remote-state/gcs \
    remote-state/kubernetes remote-state/oss remote-state/pg remote-state/s3 remote-state/oci; do
    edits+=("-dropreplace=github.com/hashicorp/terraform/internal/backend/$m"
      "-droprequire=github.com/hashicorp/terraform/internal/backend/$m")
  done
  edits+=(-dropreplace=github.com/hashicorp/terraform/internal/legacy
    -droprequire=github.com/hashicorp/terraform/internal/legacy)
  init="$tmp/src/internal/backend/init/init.go"
  (cd "$tmp/src" && go mod edit "${edits[@]}")
  sed -i -E '/backend(Azure|Consul|Cos|GCS|Kubernetes|OCI|OSS|Pg|S3)[ .]/d' "$init"
  (cd "$tmp/src" && CGO_ENABLED=0 GOFLAGS=-buildvcs=false nice go build \
    -ldflags "-X github.com/hashicorp/terraform/version.dev=no" -o "$tmp/terraform" .)
  mv "$tmp/terraform" "$tfcur"
  rm -rf "$tmp"
fi

if $env; then
  echo "export TF_ACC_TERRAFORM_PATH='$tf'"
  echo "export PATH='$cache/bin':\"\$PATH\""
  echo "export AZURITE_BIN='$azdir/node_modules/.bin/azurite-blob'"
  if [ -x "$tofu" ]; then echo "export AZVMAPPS_TOFU='$tofu'"; fi
  if [ -x "$tfcur" ]; then echo "export AZVMAPPS_TERRAFORM_CURRENT='$tfcur'"; fi
fi
