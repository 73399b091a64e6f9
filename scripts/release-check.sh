#!/usr/bin/env bash
# make release-check: `goreleaser check` of .goreleaser.yml, then a snapshot release of one
# platform (linux/amd64; signing, publishing and the go mod tidy hook skipped) from the same
# configuration, and a look at what the registry would download: the zip with the versioned
# binary, the SHA256SUMS file listing the zip and the manifest with matching sums, and that the
# binary is static, built with -trimpath and holds its version. The unit tests in release_test.go
# check the rest of the configuration (every platform, the signature) without building.
# Expects GORELEASER from tools/install-tools.sh --release --env (the Makefile does it).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
goreleaser="${GORELEASER:?run through make release-check}"
cd "$root"

echo "==> goreleaser check"
"$goreleaser" check

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
# The same configuration, narrowed to one platform and building into $work.
sed -e 's/^    goos: .*/    goos: [linux]/' -e 's/^    goarch: .*/    goarch: [amd64]/' .goreleaser.yml >"$work/goreleaser.yml"
echo "dist: $work/dist" >>"$work/goreleaser.yml"
if [ "$(grep -cE '^    goos: \[linux\]$|^    goarch: \[amd64\]$' "$work/goreleaser.yml")" != 2 ]; then
  echo "release-check: could not narrow .goreleaser.yml's builds to linux/amd64 (goos/goarch lines changed?)"
  exit 1
fi

echo "==> goreleaser release --snapshot (linux/amd64)"
"$goreleaser" release --snapshot --clean --skip=sign,publish,before --config "$work/goreleaser.yml" >"$work/release.log" 2>&1 ||
  { cat "$work/release.log"; exit 1; }

dist="$work/dist"
sums=$(ls "$dist"/terraform-provider-azvmapps_*_SHA256SUMS)
version=${sums##*/terraform-provider-azvmapps_}
version=${version%_SHA256SUMS}
zip="terraform-provider-azvmapps_${version}_linux_amd64.zip"
manifest="terraform-provider-azvmapps_${version}_manifest.json"
fail() { echo "release-check: $*"; echo "--- $sums:"; cat "$sums"; exit 1; }
[ -f "$dist/$zip" ] || fail "no $zip in dist/: $(ls "$dist")"
[ "$(wc -l <"$sums")" = 2 ] || fail "want two lines (the zip and the manifest)"
grep -q "  $zip\$" "$sums" || fail "$zip is not listed"
grep -q "  $manifest\$" "$sums" || fail "$manifest is not listed"
# The manifest is uploaded from the repository under its release name, so its sum is the file's.
sum() { sha256sum "$1" | cut -d' ' -f1; }
grep -qx "$(sum "$dist/$zip")  $zip" "$sums" || fail "the sum of $zip does not match"
grep -qx "$(sum terraform-registry-manifest.json)  $manifest" "$sums" || fail "the sum of $manifest is not that of terraform-registry-manifest.json"
binary="terraform-provider-azvmapps_v$version"
holds=$(unzip -Z1 "$dist/$zip" | sort | tr '\n' ' ')
[ "$holds" = "CHANGELOG.md README.md $binary " ] || fail "$zip holds $holds; want CHANGELOG.md, README.md and $binary"
unzip -q "$dist/$zip" "$binary" -d "$work/unzipped"
info=$(go version -m "$work/unzipped/$binary")
for want in "build	-trimpath=true" "build	CGO_ENABLED=0"; do
  grep -qF -- "$want" <<<"$info" || { echo "$info"; fail "$binary was not built with $want"; }
done
# -trimpath leaves the ldflags out of the build info: look for the version main.version holds.
grep -aqF "$version" "$work/unzipped/$binary" || fail "$binary does not hold its version $version (-X main.version)"
echo "ok    $zip ($holds), ${sums##*/} with the zip and $manifest"
