#!/usr/bin/env bash
# make examples-check: every example is formatted (terraform fmt) and valid against the provider
# just built (terraform validate in each directory that holds .tf files).
# validate runs with a dev_overrides CLI config and no `terraform init`: Terraform 1.5.7 loads an
# overridden provider straight from bin/. The resource and data-source examples have no
# required_providers block (the registry shows them as snippets), so Terraform reads them as
# hashicorp/azvmapps; the CLI config overrides that address too. Directories that call modules
# need them installed first: `terraform get` does only that (init would also ask the registry
# about the overridden provider); the modules are local, so nothing is downloaded.
# Expects TF_ACC_TERRAFORM_PATH from tools/install-tools.sh --env (the Makefile does it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
terraform="${TF_ACC_TERRAFORM_PATH:?run through make examples-check}"
[ -x "$root/bin/terraform-provider-azvmapps" ] || { echo "build the provider first (make build)"; exit 1; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/azvmapps/azvmapps"  = "$root/bin"
    "registry.terraform.io/hashicorp/azvmapps" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 CHECKPOINT_DISABLE=1

echo "==> terraform fmt -check -recursive examples"
if ! "$terraform" fmt -check -recursive -diff "$root/examples"; then
  echo "examples are not formatted: run terraform fmt -recursive examples"
  exit 1
fi

failed=()
while IFS= read -r dir; do
  rel=${dir#"$root"/}
  data="$work/data/${rel//\//_}"
  mkdir -p "$data"
  export TF_DATA_DIR="$data"
  if grep -qE '^\s*module\s+"' "$dir"/*.tf; then
    if ! (cd "$dir" && "$terraform" get -no-color >"$data/get.log" 2>&1); then
      cat "$data/get.log"; failed+=("$rel (get)"); continue
    fi
  fi
  if (cd "$dir" && "$terraform" validate -no-color >"$data/validate.log" 2>&1); then
    echo "ok    $rel"
  else
    echo "FAIL  $rel"; sed -n '/^Error/,$p' "$data/validate.log"; failed+=("$rel")
  fi
done < <(find "$root/examples" -name '*.tf' -not -path '*/.terraform/*' -not -path '*/.demo/*' -printf '%h\n' | sort -u)

if [ ${#failed[@]} -gt 0 ]; then
  echo "invalid examples: ${failed[*]}"
  exit 1
fi
echo "all examples are formatted and valid"
