#!/usr/bin/env bash
# Fhirbolt console benchmark: first paint of every console page in headless Chromium against the 300 ms target.
# Loads a Synthea set offline into a data dir once (kept and reused), starts a server on it (development mode),
# opens each page once untimed and then three times, and prints per page the server time, the first byte and the
# first paint (Performance API), medians and the worst. Needs Debian's chromium and chromium-driver.
#
#   bench/console.sh                          100 Synthea patients, seed 7 (generated once into bench/target/)
#   bench/console.sh --data DIR               a Synthea output dir you have (DIR or DIR/fhir holds the bundles)
#   bench/console.sh --data-dir DIR           where the loaded data is kept (default bench/target/console-<set>)
#   bench/console.sh --runs 5 --note "text"   more measured visits a page; a remark kept with the report
#   bench/console.sh --help                   every option of the console benchmark
#
# Report: bench/results/console-latest.md and a time-stamped copy. See docs/benchmarks.md.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
cd "$root"
. bin/java-home.sh
. bin/server-java-opts.sh

patients=100
seed=7
data=""
data_dir=""
args=()
help=false
while [ $# -gt 0 ]; do
  case "$1" in
    --patients) patients=$2; shift 2 ;;
    --seed) seed=$2; shift 2 ;;
    --data) data=$2; shift 2 ;;
    --data-dir) data_dir=$2; shift 2 ;;
    -h|--help) help=true; args+=("$1"); shift ;;
    *) args+=("$1"); shift ;;
  esac
done

. bench/jars.sh
server_jar=$fhirbolt_server_jar
bench_jar=$fhirbolt_bench_jar
$help || fhirbolt_build_server_jar
fhirbolt_build_bench_jar
if $help; then
  cat <<'USAGE'
bench/console.sh [--patients N] [--seed S] [--data DIR] [--data-dir DIR] [options below]
      --patients, --seed     the Synthea set (default 100 patients, seed 7; generated once into bench/target/)
      --data DIR             a Synthea output dir instead
      --data-dir DIR         where it is loaded (once; a file .console-bench-loaded marks it done)

USAGE
  exec "$JAVA_HOME/bin/java" -cp "$bench_jar" dev.fhirbolt.bench.console.ConsoleBench --help
fi

if [ -z "$data" ]; then
  data=bench/target/synthea-$patients-s$seed
  if [ ! -d "$data/fhir" ]; then
    echo "generating $patients Synthea patients with seed $seed into $data (once)..." >&2
    scripts/synthea.sh "$data" "$patients" "$seed" >&2
  fi
fi
[ -z "$data_dir" ] && data_dir=bench/target/console-$(basename "$data")
if [ ! -f "$data_dir/.console-bench-loaded" ]; then
  echo "loading $data into $data_dir (once, offline)..." >&2
  rm -rf "$data_dir"
  mkdir -p "$data_dir"
  fhirbolt_prime_load_class_archive "$server_jar"
  # shellcheck disable=SC2086 # the options are words
  "$JAVA_HOME/bin/java" $FHIRBOLT_LOAD_JAVA_OPTS -jar "$server_jar" load --data-dir "$data_dir/data" --no-progress "$data" >&2
  echo "$data" > "$data_dir/.console-bench-loaded"
fi

fhirbolt_prime_class_archive "$server_jar"
exec "$JAVA_HOME/bin/java" -Xmx256m -XX:+UseSerialGC -cp "$bench_jar" dev.fhirbolt.bench.console.ConsoleBench \
  --data-dir "$data_dir/data" --synthea "$data" --server-jar "$server_jar" --java "$JAVA_HOME/bin/java" \
  --server-jvm-args "$FHIRBOLT_JAVA_OPTS" "${args[@]}"
