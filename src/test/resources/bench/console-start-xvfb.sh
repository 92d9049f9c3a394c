#!/usr/bin/env bash
# Real-window cold start of the packaged console under Xvfb: from launching `java -jar` to (a) the window
# being mapped (xwininfo sees "Retrain Console": the splash, then the main window in the same stage) and
# (b) the console's own "console ready in N ms" INFO line (main window's first frame, from JVM start).
# usage: console-start-xvfb.sh DATA_ROOT RUNS   (DATA_ROOT prepared with: java -jar target/retrain-console.jar
#        demo --data-dir DATA_ROOT/data --models-dir DATA_ROOT/models)
set -u
root=$1; runs=${2:-3}
jar=$(cd "$(dirname "$0")/../../../.." && pwd)/target/retrain-console.jar
for i in $(seq 1 "$runs"); do
  prefs=$(mktemp -d); log=$(mktemp)
  xvfb-run -a -s "-screen 0 1400x900x24" bash -c '
    t0=$(date +%s%3N)
    RETRAIN_DATA_DIR='"$root"'/data RETRAIN_MODELS_DIR='"$root"'/models \
      java -Djava.util.prefs.userRoot='"$prefs"' -jar '"$jar"' 2>'"$log"' &
    pid=$!; win=""
    for _ in $(seq 1 1200); do
      if [ -z "$win" ] && xwininfo -root -tree 2>/dev/null | grep -q "\"Retrain Console\""; then
        win=$(( $(date +%s%3N) - t0 ))
      fi
      if grep -q "console ready in" '"$log"'; then break; fi
      sleep 0.05
    done
    ready=$(grep -o "console ready in [0-9]* ms" '"$log"' | grep -o "[0-9]*")
    echo "run '"$i"': window mapped ${win:-?} ms after launch; main window first frame ${ready:-?} ms after JVM start"
    kill $pid; wait $pid 2>/dev/null'
  rm -rf "$prefs" "$log"
done
echo "load average: $(cut -d" " -f1-3 /proc/loadavg)"
