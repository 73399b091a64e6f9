#!/usr/bin/env bash
# make demo: start the local emulator + Azurite, terraform apply examples/demo with the
# freshly built provider, show what was created, then show a plan-time rejection.
# Expects TF_ACC_TERRAFORM_PATH / AZURITE_BIN from tools/install-tools.sh --env (the Makefile does it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work="$root/examples/demo/.demo"
rm -rf "$work" && mkdir -p "$work"
terraform="${TF_ACC_TERRAFORM_PATH:?run through make demo}"

echo "==> building the emulator"
go build -o "$root/bin/azvmapps-emulator" ./internal/emulator/cmd/azvmapps-emulator

echo "==> starting the emulator and Azurite"
"$root/bin/azvmapps-emulator" --state-dir "$work/emulator" --env-file "$work/env.sh" >"$work/emulator.log" 2>&1 &
emu=$!
trap 'kill "$emu" 2>/dev/null; wait "$emu" 2>/dev/null || true' EXIT
for _ in $(seq 1 240); do
  grep -q '^READY' "$work/emulator.log" 2>/dev/null && break
  kill -0 "$emu" 2>/dev/null || { cat "$work/emulator.log"; echo "emulator exited"; exit 1; }
  sleep 0.5
done
grep -q '^READY' "$work/emulator.log" || { cat "$work/emulator.log"; echo "emulator did not become ready"; exit 1; }
# shellcheck disable=SC1091
source "$work/env.sh"

# Use the provider just built, with no registry and no init.
cat >"$work/terraformrc" <<RC
provider_installation {
  dev_overrides {
    "registry.terraform.io/azvmapps/azvmapps" = "$root/bin"
  }
  direct {}
}
RC
export TF_CLI_CONFIG_FILE="$work/terraformrc" TF_IN_AUTOMATION=1 TF_DATA_DIR="$work/.terraform"
cd "$root/examples/demo"

echo "==> terraform apply (gallery, application, version replicated to two regions, deployed to a VM)"
"$terraform" apply -auto-approve -input=false -state="$work/terraform.tfstate"

echo "==> what Terraform now manages"
"$terraform" state list -state="$work/terraform.tfstate"

echo "==> a second plan is empty"
"$terraform" plan -detailed-exitcode -input=false -state="$work/terraform.tfstate" >/dev/null && echo "no changes"

echo "==> what Azure would reject an hour into an apply fails at plan (4 replicas, a block blob):"
if "$terraform" plan -no-color -input=false -state="$work/terraform.tfstate" -var regional_replica_count=4 -var package_url="$TF_VAR_block_blob_url" >"$work/bad-plan.log" 2>&1; then
  echo "unexpected: the bad plan passed"; exit 1
fi
sed -n '/^Error/,$p' "$work/bad-plan.log"
echo "==> emulator requests served: $(curl -sk "$AZVMAPPS_EMULATOR_URL/requests" | jq 'length' 2>/dev/null || echo '?')"
echo "demo done; state in $work"
