#!/usr/bin/env bash
# Installs the external tools the demo and the acceptance tests need into a cache folder that
# survives fresh clones (CI reuses it): the Terraform CLI (built from its Go module) and Azurite
# (npm, pinned by tools/package-lock.json). Prints the export lines for the harness.
#
#   tools/install-tools.sh            install what is missing, print nothing but progress
#   eval "$(tools/install-tools.sh --env)"   also export TF_ACC_TERRAFORM_PATH and AZURITE_BIN
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
cache=${AZVMAPPS_CACHE:-$HOME/.cache/azvmapps}
terraform_version=${TERRAFORM_VERSION:-1.5.7}
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

if [ "${1:-}" = "--env" ]; then
  echo "export TF_ACC_TERRAFORM_PATH='$tf'"
  echo "export PATH='$cache/bin':\"\$PATH\""
  echo "export AZURITE_BIN='$azdir/node_modules/.bin/azurite-blob'"
fi
