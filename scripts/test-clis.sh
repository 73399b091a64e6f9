#!/usr/bin/env bash
# The smoke subset of the acceptance tests under each CLI besides the main suite's Terraform
# 1.5.7: OpenTofu and a current Terraform, built by `tools/install-tools.sh --clis`, whose --env
# exports AZVMAPPS_TOFU and AZVMAPPS_TERRAFORM_CURRENT. The subset is every resource's and data
# source's basic test (TestAccApplicationVersionDataSource_latest is that data source's), the
# write-only tests (they need a CLI ≥ 1.11), the removed-block migration test and the fleet
# example (modules, driven through the CLI itself). Each CLI's version goes to the log first.
set -euo pipefail
cd "$(dirname "$0")/.."
export CHECKPOINT_DISABLE=1 # no update check from `terraform version`

smoke_run=${SMOKE_RUN:-'_basic$|^TestAccApplicationVersionDataSource_latest$|_writeOnly|_removedBlocks|^TestAccExamples_fleet$'}
clis=("${AZVMAPPS_TOFU:?run through make test-clis (tools/install-tools.sh --clis --env)}"
  "${AZVMAPPS_TERRAFORM_CURRENT:?run through make test-clis (tools/install-tools.sh --clis --env)}")

# OpenTofu writes its warning about a CLI configuration file that does not exist to standard
# output, ahead of `tofu version -json`, which terraform-exec then cannot parse.
if [ -n "${TF_CLI_CONFIG_FILE:-}" ] && [ ! -e "$TF_CLI_CONFIG_FILE" ]; then
  echo "test-clis: TF_CLI_CONFIG_FILE=$TF_CLI_CONFIG_FILE does not exist: unsetting it"
  unset TF_CLI_CONFIG_FILE
fi

for cli in "${clis[@]}"; do
  # plugin-testing serves the provider in-process as <host>/hashicorp/azvmapps; OpenTofu resolves
  # an unqualified provider on its own registry.
  host=registry.terraform.io
  case "$(basename "$cli")" in tofu*) host=registry.opentofu.org ;; esac
  echo "test-clis: $cli version"
  "$cli" version
  start=$SECONDS
  TF_ACC=1 TF_ACC_TERRAFORM_PATH="$cli" TF_ACC_PROVIDER_HOST="$host" \
    go test -count=1 -timeout 30m -v -run "$smoke_run" ./internal/...
  echo "test-clis: the smoke subset under $(basename "$cli") took $((SECONDS - start)) s"
done
