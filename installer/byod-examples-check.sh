#!/usr/bin/env bash
# Runs the README's "Bring your own data" recipes exactly as written against the packaged launcher: the block
# after the "byod-examples" marker, with `retrain-console` on PATH, in a throwaway folder and data folder.
# Every command must succeed (set -e); then both devices must have a model in service.
# Usage: installer/byod-examples-check.sh [app-image dir] (default target/installer/retrain-console)
set -euo pipefail
cd "$(dirname "$0")/.."
image="$(cd "${1:-target/installer/retrain-console}" && pwd)"
readme="$(pwd)/README.md"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "byod-examples-check: $*" >&2; exit 1; }

awk '/<!-- byod-examples/ {m=1; next} m && /^```bash/ {b=1; next} b && /^```/ {exit} b {print}' "$readme" \
  > "$tmp/block.sh"
[ -s "$tmp/block.sh" ] || fail "no byod-examples block found in README.md"

export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" PATH="$image/bin:$PATH"
start=$(date +%s)
if ! (cd "$tmp" && timeout 600 bash -euo pipefail block.sh > out.txt 2> err.txt); then
  echo "--- output"; tail -30 "$tmp/out.txt"; echo "--- errors"; grep -v '^\[' "$tmp/err.txt" | tail -20
  fail "a README bring-your-own-data command failed"
fi
for device in plant1 inv01; do
  (cd "$tmp" && retrain-console model current --device "$device" > /dev/null 2>&1) \
    || fail "no model in service for $device after the recipe"
done
echo "README bring-your-own-data recipes: $(grep -c '^retrain-console' "$tmp/block.sh") commands ran against the packaged launcher in $(( $(date +%s) - start )) s"
