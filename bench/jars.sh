# Sourced by the benchmark scripts (bench/run.sh, bench/console.sh, bench/ingest.sh), from the project directory: builds
# the server jar and the load generator's jar when they are missing or older than the sources they are built from.
#
#   fhirbolt_build_server_jar   app/target/fhirbolt.jar, from every module but bench (the server's jar holds them all)
#   fhirbolt_build_bench_jar    bench/target/fhirbolt-bench.jar
fhirbolt_server_jar=app/target/fhirbolt.jar
fhirbolt_bench_jar=bench/target/fhirbolt-bench.jar

# True when jar $1 is missing or older than the root pom or the main sources or pom of any of the modules $2...
fhirbolt_jar_stale() {
  local jar=$1; shift
  [ ! -f "$jar" ] && return 0
  [ pom.xml -nt "$jar" ] && return 0
  [ -n "$(find "$@" \( -path '*/src/main/*' -o -name pom.xml \) -newer "$jar" -print -quit 2>/dev/null)" ]
}

fhirbolt_build_server_jar() {
  local modules=() pom
  for pom in */pom.xml; do
    [ "${pom%/pom.xml}" = bench ] || modules+=("${pom%/pom.xml}")
  done
  if fhirbolt_jar_stale "$fhirbolt_server_jar" "${modules[@]}"; then
    echo "building the server jar..." >&2
    ./mvnw -q -B -ntp -pl app -am package -DskipTests >&2
  fi
}

fhirbolt_build_bench_jar() {
  if fhirbolt_jar_stale "$fhirbolt_bench_jar" bench; then
    echo "building the bench jar..." >&2
    ./mvnw -q -B -ntp -pl bench -am package -DskipTests >&2
  fi
}
