#!/usr/bin/env bash
# Runs the README's management-API examples exactly as written against the packaged launcher on demo data:
# the block after the "api-examples" marker, with `retrain-console` on PATH and a throwaway data folder.
# Every curl in it must answer 2xx (a wrapper checks the status; the block's text is not changed).
# Usage: installer/api-examples-check.sh [app-image dir] (default target/installer/retrain-console)
set -euo pipefail
cd "$(dirname "$0")/.."
image="$(cd "${1:-target/installer/retrain-console}" && pwd)"
readme="$(pwd)/README.md"
tmp=$(mktemp -d)
fail() { echo "api-examples-check: $*" >&2; exit 1; }
command -v curl >/dev/null || { [ "$(id -u)" = 0 ] && apt-get install -y --no-install-recommends curl >/dev/null; } \
  || fail "curl is needed"
command -v python3 >/dev/null || fail "python3 is needed (the examples parse JSON with it)"

# the fenced bash block that follows the marker line
awk '/<!-- api-examples/ {m=1; next} m && /^```bash/ {b=1; next} b && /^```/ {exit} b {print}' "$readme" \
  > "$tmp/block.sh"
[ -s "$tmp/block.sh" ] || fail "no api-examples block found in README.md"
cat > "$tmp/run.sh" <<'RUN'
set -euo pipefail
trap 'kill $(jobs -p) 2>/dev/null || true' EXIT   # a failed example must not leave the scheduler running
curl() {  # the real curl, failing on anything but 2xx so a broken example cannot pass silently
  local out code
  out=$(command curl -sS -w '\n%{http_code}' "$@") || true
  code=${out##*$'\n'}
  printf '%s\n' "${out%$'\n'*}"
  case $code in 2*) ;; *) echo "HTTP $code from: curl $*" >&2; return 1 ;; esac
}
source "$1"
wait
RUN

export XDG_DATA_HOME="$tmp/data" XDG_CONFIG_HOME="$tmp/config" PATH="$image/bin:$PATH"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && retrain-console demo > demo.log 2>&1) || fail "demo failed: $(tail -3 "$tmp/demo.log")"
start=$(date +%s)
if ! (cd "$tmp" && timeout 300 bash run.sh block.sh > out.txt 2> err.txt); then
  echo "--- output"; tail -20 "$tmp/out.txt"; echo "--- errors"; tail -20 "$tmp/err.txt"
  echo "--- scheduler"; tail -20 "$tmp/scheduler.log" 2>/dev/null || true
  fail "a README API example failed"
fi
echo "README API examples: $(grep -c '^curl\|\$(curl' "$tmp/block.sh") curl lines ran against the packaged scheduler --api in $(( $(date +%s) - start )) s"
