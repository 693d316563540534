#!/usr/bin/env bash
# Peak memory while loading one very large Synthea transaction (seed 42 has an 85 MB patient, 34,334 resources, among
# 10 patients): once over HTTP into a server started with the options ./fhirbolt uses (-Xmx1g), once offline with
# `fhirbolt load --data-dir` in a JVM given the same 1 GiB heap. Each load starts from an empty data dir; the hospital
# and practitioner bundles go first (the patient bundle refers to them).
#
#   bench/large-bundle.sh                  Synthea 10 patients, seed 42 (generated once into bench/target/)
#   bench/large-bundle.sh --data DIR       a Synthea output dir you have (DIR or DIR/fhir holds the bundles)
#   bench/large-bundle.sh --modes http     only over HTTP (or: offline)
#
# Reports, for each load: whether every resource was stored, the time, the peak RSS of the process that holds the
# data (the server; the loader offline), polled every 200 ms, and the largest Java heap after a collection (GC log).
# Writes bench/results/large-bundle-latest.md and a time-stamped copy; the GC logs and the server log stay beside it.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
. bin/server-java-opts.sh

data=""
modes="http offline"
heap="-Xmx1g"
while [ $# -gt 0 ]; do
  case "$1" in
    --data) data=$2; shift 2 ;;
    --modes) modes=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done

jar=app/target/fhirbolt.jar
if [ ! -f "$jar" ] || [ -n "$(find . -path '*/src/main/*' -newer "$jar" -print -quit 2>/dev/null)" ]; then
  echo "building the server jar..." >&2
  ./mvnw -q -B -ntp -pl app -am package -DskipTests >&2
fi
if [ -z "$data" ]; then
  data=bench/target/synthea-10-s42
  if [ ! -d "$data/fhir" ]; then
    echo "generating 10 Synthea patients with seed 42 into $data (once)..." >&2
    scripts/synthea.sh "$data" 10 42 >&2
  fi
fi
[ -d "$data/fhir" ] && data="$data/fhir"
largest=$(ls -S "$data"/*.json | grep -v -e hospitalInformation -e practitionerInformation | head -1)
files=("$data"/hospitalInformation*.json "$data"/practitionerInformation*.json "$largest")
mb=$(( $(stat -c %s "$largest") / 1024 / 1024 ))
mkdir -p bench/target bench/results
work=$(mktemp -d "$root/bench/target/large-bundle.XXXXXX")
results=bench/results
stamp=$(date -u +%Y%m%dT%H%M%SZ)
report=$results/large-bundle-$stamp.md
trap 'rm -rf "$work"' EXIT

# peak RSS (MB) of process $1 while it lives, polled every 200 ms, written to $2
watch_rss() {
  local pid=$1 out=$2 peak=0 rss
  while rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status" 2>/dev/null); do
    [ -n "$rss" ] && [ "$rss" -gt "$peak" ] && peak=$rss
    echo $(( peak / 1024 )) > "$out"
    sleep 0.2
  done
}
# largest heap after a collection in GC log $1 (MB)
heap_after_gc() {
  sed -n 's/.*->\([0-9]*\)M(.*/\1/p' "$1" | sort -n | tail -1
}

{
  echo "# Large-bundle memory: $(date -u '+%Y-%m-%d %H:%M UTC')"
  echo
  echo "File: $(basename "$largest") ($mb MB), after the hospital and practitioner bundles. Machine: $(nproc) cores,"
  echo "load average at start $(cut -d' ' -f1-3 /proc/loadavg). Heap: $heap in both modes."
  echo
  echo "| mode | result | time | peak RSS | max heap after GC |"
  echo "|---|---|---|---|---|"
} > "$report"

if [[ " $modes " == *" http "* ]]; then
  log=$results/large-bundle-server.log
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
  # shellcheck disable=SC2086 # the options are words
  "$JAVA_HOME/bin/java" $FHIRBOLT_JAVA_OPTS -Xlog:gc:file=$results/large-bundle-http-gc.log -jar "$jar" serve \
      --host 127.0.0.1 --port "$port" --data-dir "$work/http" --security off --demo-setup false >"$log" 2>&1 &
  server=$!
  for _ in $(seq 1 600); do curl -sf "http://127.0.0.1:$port/health" >/dev/null && break; sleep 0.2; done
  watch_rss "$server" "$work/http.rss" &
  started=$(date +%s)
  if ./fhirbolt load --no-progress --server "http://127.0.0.1:$port" "${files[@]}" >"$work/http.out" 2>&1; then
    result="$(grep -o 'loaded [0-9,]* resources' "$work/http.out")"
  else
    result="FAILED: $(tail -3 "$work/http.out" | tr '\n' ' ')"
  fi
  elapsed=$(( $(date +%s) - started ))
  health=$(curl -s -m 5 "http://127.0.0.1:$port/health" || true)
  kill -TERM "$server"; wait "$server" || true
  echo "| HTTP (server RSS) | $result; /health after: $health | ${elapsed} s | $(cat "$work/http.rss") MB | $(heap_after_gc $results/large-bundle-http-gc.log) MB |" >> "$report"
  grep -h "too large\|error" "$work/http.out" >&2 || true
fi

if [[ " $modes " == *" offline "* ]]; then
  started=$(date +%s)
  FHIRBOLT_LOAD_JAVA_OPTS="$heap -XX:+UseParallelGC -Xlog:gc:file=$results/large-bundle-offline-gc.log" \
      ./fhirbolt load --no-progress --data-dir "$work/offline" "${files[@]}" >"$work/offline.out" 2>&1 &
  loader=$!
  sleep 0.5
  # ./fhirbolt execs java, so the pid is the JVM's
  watch_rss "$loader" "$work/offline.rss" &
  if wait "$loader"; then
    result="$(grep -o 'loaded [0-9,]* resources' "$work/offline.out")"
  else
    result="FAILED: $(tail -3 "$work/offline.out" | tr '\n' ' ')"
  fi
  elapsed=$(( $(date +%s) - started ))
  echo "| offline (loader RSS) | $result | ${elapsed} s | $(cat "$work/offline.rss") MB | $(heap_after_gc $results/large-bundle-offline-gc.log) MB |" >> "$report"
fi

cp "$report" "$results/large-bundle-latest.md"
cat "$report"
