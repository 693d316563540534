# Sourced by ./fhirbolt and the benchmarks, so that what is measured is what users run: sets FHIRBOLT_JAVA_OPTS,
# the server's JVM options, unless the caller has set it. Needs $root (the project directory).
#
# -Xms64m: G1 would otherwise start with 1/64 of the machine's memory as heap and let start-up garbage fill it
# before collecting; a small initial heap keeps an idle server about 70 MB smaller and grows under load as needed.
# -XX:+AutoCreateSharedArchive keeps a class-data archive next to the jar. The first start after a build writes it
# when the server stops; every later start maps HAPI's thousands of model classes from it instead of loading and
# verifying them, which takes about a third off the start-up CPU. An archive older than the jar is deleted before the
# server starts (fhirbolt_drop_stale_class_archive): the JVM refuses it but would not write a new one over it.
# Writing the archive logs a line for every class it skips; -Xlog:cds=off keeps that out of the server's output.
# -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=60: G1 starts marking the old generation when the heap is
# 60% full. Its adaptive threshold sat far lower under a bulk load, whose transactions keep a whole Bundle alive for
# seconds and whose large request bodies are humongous objects: it marked over and over (2–5 s of a 100-patient load's
# CPU); fixed at 60% the load takes about 8% less server CPU and ends with a smaller heap (docs/benchmarks.md).
fhirbolt_class_archive="$root/app/target/fhirbolt.jsa"
: "${FHIRBOLT_JAVA_OPTS:=-Xms64m -Xmx1g -XX:+UseG1GC -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=60 -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$fhirbolt_class_archive -Xlog:cds=off -Xlog:cds+dynamic=off}"
export FHIRBOLT_JAVA_OPTS
# `fhirbolt load` is a batch job: throughput counts, pauses do not. The parallel collector needs less CPU for a
# Synthea load than G1 (no G1 write barriers on the loading threads, cheaper collections); see docs/benchmarks.md,
# "Ingest". -Xmn2g: two thirds of the heap for the young generation instead of one third, so that the collector copies
# the Bundles being loaded less often. Its own class-data archive (the server's is written for other options),
# written when the first load after a build ends, like the server's.
fhirbolt_load_class_archive="$root/app/target/fhirbolt-load.jsa"
# `fhirbolt load --server` only reads files, sends them and reads the answers: the C2 compiler's work never pays back
# in such a short job, so it runs with C1 only (-XX:TieredStopAtLevel=1), and keeps a class-data archive of its own
# (it loads none of the server's classes). A Synthea load of 10 patients took about 40% less loader CPU than with
# FHIRBOLT_LOAD_JAVA_OPTS (docs/distributed.md, "Bytes and CPU per resource"). A FHIRBOLT_LOAD_JAVA_OPTS set by the
# caller applies to it too, unless FHIRBOLT_LOAD_SERVER_JAVA_OPTS is set.
fhirbolt_load_server_class_archive="$root/app/target/fhirbolt-load-server.jsa"
if [ -n "${FHIRBOLT_LOAD_JAVA_OPTS:-}" ]; then : "${FHIRBOLT_LOAD_SERVER_JAVA_OPTS:=$FHIRBOLT_LOAD_JAVA_OPTS}"; fi
: "${FHIRBOLT_LOAD_SERVER_JAVA_OPTS:=-Xmx3g -Xmn2g -XX:+UseParallelGC -XX:TieredStopAtLevel=1 -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$fhirbolt_load_server_class_archive -Xlog:cds=off -Xlog:cds+dynamic=off}"
export FHIRBOLT_LOAD_SERVER_JAVA_OPTS
: "${FHIRBOLT_LOAD_JAVA_OPTS:=-Xmx3g -Xmn2g -XX:+UseParallelGC -XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=$fhirbolt_load_class_archive -Xlog:cds=off -Xlog:cds+dynamic=off}"
export FHIRBOLT_LOAD_JAVA_OPTS

# Deletes the class-data archives older than jar $1, so that the next server to stop (or load to end) writes a fresh one.
fhirbolt_drop_stale_class_archive() {
  local archive
  for archive in "$fhirbolt_class_archive" "$fhirbolt_load_class_archive" "$fhirbolt_load_server_class_archive"; do
    if [ -f "$archive" ] && [ "$1" -nt "$archive" ]; then
      rm -f "$archive"
    fi
  done
}

# Makes sure the loader's class-data archive of jar $1 exists (bench/ingest.sh calls it, so that its offline load
# measures what every load after the first one costs): loads the test sample of four Synthea files into a scratch
# data dir, which writes the archive when the JVM exits.
fhirbolt_prime_load_class_archive() {
  local jar=$1 scratch
  case "$FHIRBOLT_LOAD_JAVA_OPTS" in *"-XX:SharedArchiveFile=$fhirbolt_load_class_archive"*) ;; *) return 0 ;; esac
  [ -f "$fhirbolt_load_class_archive" ] && [ "$fhirbolt_load_class_archive" -nt "$jar" ] && return 0
  rm -f "$fhirbolt_load_class_archive"
  echo "writing the loader's class-data archive (once per build)..." >&2
  scratch=$(mktemp -d "$root/app/target/prime-load.XXXXXX")
  # shellcheck disable=SC2086 # the options are words
  "$JAVA_HOME/bin/java" $FHIRBOLT_LOAD_JAVA_OPTS -jar "$jar" load --no-progress --data-dir "$scratch/data" \
      "$root/app/src/test/resources/synthea" >"$scratch/load.log" 2>&1 || cat "$scratch/load.log" >&2
  rm -rf "$scratch"
}

# Makes sure the class-data archive of `fhirbolt load --server` for jar $1 exists (bench/cluster.sh calls it before it
# measures the loader's CPU): sends an empty batch Bundle to the server at $2, which stores nothing, and the archive is
# written when that loader ends.
fhirbolt_prime_load_server_class_archive() {
  local jar=$1 url=$2 scratch
  case "$FHIRBOLT_LOAD_SERVER_JAVA_OPTS" in *"-XX:SharedArchiveFile=$fhirbolt_load_server_class_archive"*) ;; *) return 0 ;; esac
  [ -f "$fhirbolt_load_server_class_archive" ] && [ "$fhirbolt_load_server_class_archive" -nt "$jar" ] && return 0
  rm -f "$fhirbolt_load_server_class_archive"
  scratch=$(mktemp -d "$root/app/target/prime-load-server.XXXXXX")
  echo '{"resourceType":"Bundle","type":"batch"}' > "$scratch/empty.json"
  # shellcheck disable=SC2086 # the options are words
  "$JAVA_HOME/bin/java" $FHIRBOLT_LOAD_SERVER_JAVA_OPTS -jar "$jar" load --no-progress --server "$url" \
      "$scratch/empty.json" >"$scratch/load.log" 2>&1 || cat "$scratch/load.log" >&2
  rm -rf "$scratch"
}

# Makes sure the class-data archive of jar $1 exists (benchmarks call it, so that their first start-up measures
# what every start after the first one costs): when it is missing or older than the jar, starts the server once on
# a scratch data dir, asks it for its CapabilityStatement, and stops it, which writes the archive.
fhirbolt_prime_class_archive() {
  local jar=$1 scratch log pid port
  case "$FHIRBOLT_JAVA_OPTS" in *"-XX:SharedArchiveFile=$fhirbolt_class_archive"*) ;; *) return 0 ;; esac
  [ -f "$fhirbolt_class_archive" ] && [ "$fhirbolt_class_archive" -nt "$jar" ] && return 0
  rm -f "$fhirbolt_class_archive"
  echo "writing the server's class-data archive (once per build)..." >&2
  scratch=$(mktemp -d "$root/app/target/prime.XXXXXX")
  log="$scratch/server.log"
  # shellcheck disable=SC2086 # the options are words
  "$JAVA_HOME/bin/java" $FHIRBOLT_JAVA_OPTS -jar "$jar" serve --host 127.0.0.1 --port 0 --security off \
      --data-dir "$scratch/data" >"$log" 2>&1 &
  pid=$!
  for _ in $(seq 1 600); do
    port=$(sed -n 's/.*listening on http:\/\/[^:]*:\([0-9]*\).*/\1/p' "$log" | head -1)
    [ -n "$port" ] && break
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if [ -n "$port" ]; then
    curl -sf -o /dev/null "http://127.0.0.1:$port/metadata" || true
  fi
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  rm -rf "$scratch"
}
