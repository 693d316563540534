#!/usr/bin/env bash
# Bulk export throughput and Patient $everything latency on a loaded data directory.
#
#   bench/export.sh --data-dir DIR [--everything N]
#   bench/export.sh --synthea DIR  [--everything N]     # loads a Synthea output first (fhirbolt load, offline)
#
# Starts a server in development mode (security off) on a copy-free, already loaded data directory, then:
#  - kicks off a system-level $export, polls until the manifest is ready and reports resources/s
#    (all resources written, from kick-off to manifest) and the files' total size;
#  - downloads every file once and reports download MB/s;
#  - calls Patient/[id]/$everything (_count=1000, first page) for N patients and reports p50/p90/max latency.
# Prints the server's RSS after each step. Everything runs against localhost; nothing is written but the export.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
. "$root/bin/java-home.sh"
data="" synthea="" everything=20 port=${FHIRBOLT_BENCH_PORT:-8765}
while [ $# -gt 0 ]; do
  case "$1" in
    --data-dir) data=$2; shift 2 ;;
    --synthea) synthea=$2; shift 2 ;;
    --everything) everything=$2; shift 2 ;;
    -h|--help) sed -n '2,12p' "$0"; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
jar="$root/app/target/fhirbolt.jar"
[ -f "$jar" ] || (cd "$root" && ./mvnw -B -q -ntp -pl app -am -DskipTests package)
if [ -n "$synthea" ]; then
  data=${data:-$root/bench/target/export-data}
  [ -d "$data/db" ] || "$JAVA_HOME/bin/java" -Xmx2g -jar "$jar" load --no-progress --data-dir "$data" "$synthea"
fi
[ -n "$data" ] && [ -d "$data/db" ] || { echo "give --data-dir (a loaded data directory) or --synthea DIR" >&2; exit 2; }

"$JAVA_HOME/bin/java" -Xmx1g -jar "$jar" serve --security off --demo-setup false --port "$port" --data-dir "$data" \
  > "$data/../export-bench-server.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null' EXIT
base="http://localhost:$port"
for _ in $(seq 1 600); do curl -sf "$base/health" >/dev/null && break; sleep 0.1; done
rss() { awk '/VmRSS/ {printf "%d MB", $2/1024}' "/proc/$pid/status"; }
now() { date +%s.%N; }

echo "== system \$export"
start=$(now)
status=$(curl -sS -D - -o /dev/null -H 'Prefer: respond-async' -H 'Accept: application/fhir+json' "$base/\$export" \
  | awk 'tolower($1)=="content-location:" {print $2}' | tr -d '\r')
manifest=""
while :; do
  code=$(curl -sS -o /tmp/fhirbolt-export-manifest.$$ -w '%{http_code}' "$status")
  [ "$code" = 200 ] && { manifest=/tmp/fhirbolt-export-manifest.$$; break; }
  [ "$code" = 202 ] || { echo "status answered $code" >&2; cat /tmp/fhirbolt-export-manifest.$$ >&2; exit 1; }
  sleep 0.2
done
end=$(now)
total=$(grep -o '"count" *: *[0-9]*' "$manifest" | awk -F: '{s+=$2} END {print s}')
files=$(grep -o '"url" *: *"[^"]*"' "$manifest" | sed 's/.*: *"\(.*\)"/\1/')
awk -v n="$total" -v s="$start" -v e="$end" 'BEGIN {printf "exported %d resources in %.2f s: %.0f resources/s\n", n, e-s, n/(e-s)}'
echo "server RSS: $(rss)"
dstart=$(now); bytes=0
for f in $files; do b=$(curl -sS -o /dev/null -w '%{size_download}' "$f"); bytes=$((bytes + b)); done
dend=$(now)
awk -v b="$bytes" -v s="$dstart" -v e="$dend" 'BEGIN {printf "downloaded %.1f MB in %.2f s: %.0f MB/s\n", b/1048576, e-s, b/1048576/(e-s)}'
rm -f "$manifest"

echo "== Patient/[id]/\$everything (first page, _count=1000) for $everything patients"
ids=$(curl -sS "$base/Patient?_count=$everything&_elements=id" | grep -o '"fullUrl" *: *"[^"]*"' | sed 's#.*/Patient/\([^"]*\)"#\1#')
times=$(for id in $ids; do curl -sS -o /dev/null -w '%{time_total}\n' "$base/Patient/$id/\$everything?_count=1000"; done | sort -n)
echo "$times" | awk '{a[NR]=$1*1000} END {printf "patients %d: p50 %.1f ms, p90 %.1f ms, max %.1f ms\n", NR, a[int((NR+1)/2)], a[int(NR*0.9+0.5)], a[NR]}'
echo "server RSS: $(rss)"
