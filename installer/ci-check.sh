#!/usr/bin/env bash
# Checks a packaged app-image headless, as CI does after building it:
#   --version, simulate and train --json through the packaged launcher in a temp data folder, the same
#   train through the jar (same result), and the image size against its budget.
# Usage: installer/ci-check.sh [app-image dir] (default target/installer/retrain-console)
set -euo pipefail
cd "$(dirname "$0")/.."
image="${1:-target/installer/retrain-console}"
launcher="$image/bin/retrain-console"
budget_mb=150
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

fail() { echo "ci-check: $*" >&2; exit 1; }
ms() { date +%s%3N; }
mae() { python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["metrics"]["mae"])' "$1"; }

[ -x "$launcher" ] || fail "no launcher at $launcher (build it with: INSTALLER_TYPES=app-image installer/build.sh <version> target)"
size_mb=$(du -sm "$image" | cut -f1)
echo "app-image: ${size_mb} MB (budget ${budget_mb} MB)"
[ "$size_mb" -lt "$budget_mb" ] || fail "app-image is ${size_mb} MB, over the ${budget_mb} MB budget"

t0=$(ms); version=$("$launcher" --version); t1=$(ms)
echo "packaged --version: '$version' in $((t1 - t0)) ms"
[[ "$version" == "Retrain Console "* ]] || fail "unexpected --version output: $version"

sim=(simulate --devices ci01 --days 8 --interval 15m --seed 3 --end 2026-06-20 --json)
train=(train --device ci01 --days 8 --trainer cart --json)
"$launcher" --data-dir "$tmp/pk/data" --models-dir "$tmp/pk/models" "${sim[@]}" > "$tmp/pk-sim.json" 2>> "$tmp/progress.log"
t0=$(ms)
"$launcher" --data-dir "$tmp/pk/data" --models-dir "$tmp/pk/models" "${train[@]}" > "$tmp/pk-train.json" 2>> "$tmp/progress.log"
t1=$(ms)
echo "packaged train: $((t1 - t0)) ms, MAE $(mae "$tmp/pk-train.json")"
grep -q '"status" *: *"completed"' "$tmp/pk-train.json" || fail "packaged train did not complete: $(cat "$tmp/pk-train.json")"
[ -d "$tmp/pk/data" ] || fail "the packaged app did not use --data-dir"

# a queued run is trained by a worker the packaged scheduler starts: its own launcher (jpackage.app-path),
# found without PATH, so no system Java is involved
"$launcher" --data-dir "$tmp/pk/data" --models-dir "$tmp/pk/models" train --device ci01 --days 8 --trainer cart \
  --queue --json > "$tmp/pk-queued.json" 2>> "$tmp/progress.log"
t0=$(ms)
env PATH=/nonexistent "$(cd "$image" && pwd)/bin/retrain-console" --data-dir "$tmp/pk/data" \
  --models-dir "$tmp/pk/models" scheduler --once > "$tmp/pk-scheduler.log" 2>&1 \
  || fail "packaged scheduler --once failed: $(tail -5 "$tmp/pk-scheduler.log")"
t1=$(ms)
"$launcher" --data-dir "$tmp/pk/data" --models-dir "$tmp/pk/models" runs --device ci01 --limit 1 --json \
  > "$tmp/pk-runs.json"
grep -q '"status" *: *"completed"' "$tmp/pk-runs.json" \
  || fail "the queued run did not complete in a packaged worker: $(cat "$tmp/pk-runs.json"; tail -5 "$tmp/pk-scheduler.log")"
echo "packaged scheduler --once ran the queued run in a worker: $((t1 - t0)) ms"

java -jar target/retrain-console.jar --data-dir "$tmp/jar/data" --models-dir "$tmp/jar/models" "${sim[@]}" > /dev/null 2>> "$tmp/progress.log"
java -jar target/retrain-console.jar --data-dir "$tmp/jar/data" --models-dir "$tmp/jar/models" "${train[@]}" > "$tmp/jar-train.json" 2>> "$tmp/progress.log"
[ "$(mae "$tmp/pk-train.json")" = "$(mae "$tmp/jar-train.json")" ] \
  || fail "packaged MAE $(mae "$tmp/pk-train.json") differs from the jar's $(mae "$tmp/jar-train.json")"
echo "jar train: same MAE; packaged launcher OK"
