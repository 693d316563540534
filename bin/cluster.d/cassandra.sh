# bin/cluster plug-in for cassandra nodes. Sourced by bin/cluster; defines:
#   cassandra_prepare      resolve what the nodes need (jars from Maven Central via ../mvnw, a JDK) once; quiet when done
#   cassandra_start I      start node I (listening on 127.0.0.I) in the background: data and log in
#                     $FHIRBOLT_CLUSTER_DIR/cassandra-I/, pid in $(cluster_pid_file cassandra I); $(count_of cassandra) is the node count
#   cassandra_ready        wait (bounded) until every started node serves; non-zero when one does not
#   cassandra_stop I       stop node I gracefully (cluster_signal_and_wait cassandra I TERM 60)
#   cassandra_kill I       kill -9 node I (cluster_signal_and_wait cassandra I KILL 10)
#   cassandra_address I    host:port clients use for node I
#   cassandra_env          print the FHIRBOLT_* settings (KEY=value lines) that point a Fhirbolt node at these nodes
#
# A node is Apache Cassandra 5.0.9 from Maven Central (cluster/cassandra/pom.xml, jars copied once into
# $FHIRBOLT_CACHE_DIR/cassandra-5.0.9, default ~/.cache/fhirbolt) on a Java 17 (Cassandra 5.0 does not start on Java 24+:
# it installs a Security Manager). Set FHIRBOLT_CASSANDRA_JAVA_HOME to choose the JDK. Ports, from the base:
# CQL base+42 and storage base+70 on 127.0.0.I, JMX base+60+I on 127.0.0.1. Heap 512 MB per node
# (FHIRBOLT_CASSANDRA_HEAP to change). The first node is the seed; nodes start one after another.
cassandra_version=5.0.9
cassandra_cql_port() { echo $((FHIRBOLT_CLUSTER_PORT_BASE + 42)); }
cassandra_storage_port() { echo $((FHIRBOLT_CLUSTER_PORT_BASE + 70)); }
cassandra_jmx_port() { echo $((FHIRBOLT_CLUSTER_PORT_BASE + 60 + $1)); }
cassandra_lib() { echo "${FHIRBOLT_CACHE_DIR:-$HOME/.cache/fhirbolt}/cassandra-$cassandra_version/lib"; }
cassandra_dir() { echo "$FHIRBOLT_CLUSTER_DIR/cassandra-$1"; }

cassandra_address() { echo "127.0.0.$1:$(cassandra_cql_port)"; }

cassandra_env() {
  local i n points=""
  n=$(count_of cassandra)
  for ((i = 1; i <= n; i++)); do points="$points${points:+,}$(cassandra_address "$i")"; done
  echo "FHIRBOLT_CASSANDRA_CONTACT_POINTS=$points"
  echo "FHIRBOLT_CASSANDRA_LOCAL_DC=datacenter1"
}

# A Java 17 (or 11, which Cassandra 5.0 also supports) for the nodes: FHIRBOLT_CASSANDRA_JAVA_HOME, JAVA_HOME,
# the java on PATH, then /usr/lib/jvm/*.
cassandra_find_java() {
  local candidates=() home version
  [ -n "${FHIRBOLT_CASSANDRA_JAVA_HOME:-}" ] && candidates+=("$FHIRBOLT_CASSANDRA_JAVA_HOME")
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  if command -v java >/dev/null 2>&1; then
    candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  fi
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for version in 17 11; do
    for home in "${candidates[@]}"; do
      [ -x "$home/bin/java" ] || continue
      if [ "$("$home/bin/java" -XshowSettings:properties -version 2>&1 |
        sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1)" = "$version" ]; then
        echo "$home/bin/java"
        return 0
      fi
    done
  done
  return 1
}

cassandra_prepare() {
  if [ -z "${cassandra_java:-}" ]; then
    if ! cassandra_java=$(cassandra_find_java); then
      echo "bin/cluster: Cassandra $cassandra_version nodes need a Java 17 (or 11), and none was found." >&2
      echo "  Looked at FHIRBOLT_CASSANDRA_JAVA_HOME, JAVA_HOME, the java on PATH and /usr/lib/jvm." >&2
      echo "  Install one (e.g. 'apt-get install openjdk-17-jre-headless') or point FHIRBOLT_CASSANDRA_JAVA_HOME at it." >&2
      return 1
    fi
  fi
  local lib; lib=$(cassandra_lib)
  [ -f "$lib/.complete" ] && return 0
  echo "bin/cluster: fetching Cassandra $cassandra_version jars from Maven Central into $lib (once)" >&2
  local tmp="$lib.tmp.$$"
  rm -rf "$tmp"
  mkdir -p "$(dirname "$lib")"
  if ! JAVA_HOME="$(dirname "$(dirname "$cassandra_java")")" "$root/mvnw" -B -ntp -q \
      -f "$root/cluster/cassandra/pom.xml" dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >&2; then
    rm -rf "$tmp"
    echo "bin/cluster: could not resolve org.apache.cassandra:cassandra-all:$cassandra_version" >&2
    return 1
  fi
  touch "$tmp/.complete"
  rm -rf "$lib"
  mv "$tmp" "$lib" 2>/dev/null || rm -rf "$tmp" # another process may have finished first
  [ -f "$lib/.complete" ]
}

cassandra_write_config() { # I
  local dir; dir=$(cassandra_dir "$1")
  mkdir -p "$dir/data" "$dir/triggers" "$dir/commitlog" "$dir/saved_caches" "$dir/hints" "$dir/cdc_raw"
  cat > "$dir/cassandra.yaml" <<EOF
# Written by bin/cluster for node $1 of a development cluster.
cluster_name: fhirbolt
num_tokens: 4
allocate_tokens_for_local_replication_factor: 3
partitioner: org.apache.cassandra.dht.Murmur3Partitioner
endpoint_snitch: SimpleSnitch
seed_provider:
  - class_name: org.apache.cassandra.locator.SimpleSeedProvider
    parameters:
      - seeds: "127.0.0.1:$(cassandra_storage_port)"
listen_address: 127.0.0.$1
rpc_address: 127.0.0.$1
storage_port: $(cassandra_storage_port)
native_transport_port: $(cassandra_cql_port)
start_native_transport: true
data_file_directories: [$dir/data]
commitlog_directory: $dir/commitlog
saved_caches_directory: $dir/saved_caches
hints_directory: $dir/hints
cdc_raw_directory: $dir/cdc_raw
commitlog_sync: periodic
commitlog_sync_period: 10000ms
commitlog_segment_size: 32MiB
commitlog_total_space: 256MiB
authenticator: AllowAllAuthenticator
authorizer: AllowAllAuthorizer
hinted_handoff_enabled: true
max_hint_window: 3h
memtable_heap_space: 64MiB
memtable_offheap_space: 64MiB
key_cache_size: 8MiB
row_cache_size: 0MiB
counter_cache_size: 0MiB
file_cache_size: 32MiB
networking_cache_size: 16MiB
index_summary_capacity: 8MiB
concurrent_reads: 8
concurrent_writes: 16
concurrent_counter_writes: 4
concurrent_compactors: 1
compaction_throughput: 64MiB/s
native_transport_max_threads: 32
auto_snapshot: false
# A shared 2-core machine stalls for seconds at times: server-side timeouts above the defaults (2 s writes).
write_request_timeout: 5000ms
read_request_timeout: 5000ms
counter_write_request_timeout: 5000ms
range_request_timeout: 10000ms
request_timeout: 10000ms
paxos_variant: v2
storage_compatibility_mode: NONE
EOF
  cat > "$dir/logback.xml" <<EOF
<configuration>
  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
    <file>$dir/system.log</file>
    <encoder><pattern>%-5level [%thread] %date{ISO8601} %F:%L - %msg%n</pattern></encoder>
  </appender>
  <logger name="org.apache.cassandra" level="INFO"/>
  <root level="WARN"><appender-ref ref="FILE"/></root>
</configuration>
EOF
}

cassandra_java_flags() { # I
  local dir lib; dir=$(cassandra_dir "$1"); lib=$(cassandra_lib)
  local heap=${FHIRBOLT_CASSANDRA_HEAP:-512m}
  printf '%s\n' \
    -Xms"$heap" -Xmx"$heap" -Xss256k -XX:MaxDirectMemorySize=256m -XX:+UseSerialGC -XX:ActiveProcessorCount=2 \
    -XX:+ExitOnOutOfMemoryError -XX:+HeapDumpOnOutOfMemoryError -XX:HeapDumpPath="$dir" -Djava.net.preferIPv4Stack=true \
    -javaagent:"$(ls "$lib"/jamm-*.jar | head -1)" \
    -Djdk.attach.allowAttachSelf=true \
    --add-exports=java.base/jdk.internal.misc=ALL-UNNAMED \
    --add-exports=java.management.rmi/com.sun.jmx.remote.internal.rmi=ALL-UNNAMED \
    --add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED \
    --add-exports=java.rmi/sun.rmi.server=ALL-UNNAMED \
    --add-exports=java.sql/java.sql=ALL-UNNAMED \
    --add-exports=java.base/java.lang.ref=ALL-UNNAMED \
    --add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED \
    --add-opens=java.base/java.lang.module=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.loader=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.ref=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.reflect=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.math=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.module=ALL-UNNAMED \
    --add-opens=java.base/jdk.internal.util.jar=ALL-UNNAMED \
    --add-opens=jdk.management/com.sun.management.internal=ALL-UNNAMED \
    --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
    --add-opens=java.base/java.io=ALL-UNNAMED \
    --add-opens=java.base/java.lang.reflect=ALL-UNNAMED \
    --add-opens=java.base/java.lang=ALL-UNNAMED \
    --add-opens=java.base/java.util=ALL-UNNAMED \
    --add-opens=java.base/java.nio=ALL-UNNAMED \
    --add-opens=java.base/java.util.concurrent=ALL-UNNAMED \
    --add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED \
    --add-opens=java.base/java.net=ALL-UNNAMED \
    -Dio.netty.tryReflectionSetAccessible=true \
    -Dcassandra.config=file://"$dir/cassandra.yaml" \
    -Dlogback.configurationFile="$dir/logback.xml" \
    -Dcassandra.logdir="$dir" -Dcassandra.storagedir="$dir" -Dcassandra.triggers_dir="$dir/triggers" \
    -Dcassandra.jmx.local.port="$(cassandra_jmx_port "$1")" \
    -Dcassandra.ring_delay_ms=3000 -Dcassandra.skip_wait_for_gossip_to_settle=0 \
    -Dcassandra.consistent.rangemovement=false -Dcassandra.superuser_setup_delay_ms=0 \
    -Dcassandra-foreground=yes
}

cassandra_start() { # I
  local i=$1 dir pid started
  dir=$(cassandra_dir "$i")
  cassandra_write_config "$i"
  local flags=()
  mapfile -t flags < <(cassandra_java_flags "$i")
  started=$SECONDS
  echo "--- start $(date -u +%FT%TZ)" >> "$dir/log"
  nohup "$cassandra_java" "${flags[@]}" -cp "$(cassandra_lib)/*" org.apache.cassandra.service.CassandraDaemon \
    >> "$dir/log" 2>&1 < /dev/null &
  pid=$!
  echo "$pid" > "$(cluster_pid_file cassandra "$i")"
  # One node at a time: the next one joins a ring whose members are up. Bounded, and gives up at once if the JVM died.
  local deadline=$((SECONDS + ${FHIRBOLT_CASSANDRA_START_SECONDS:-240}))
  while ! (exec 3<>"/dev/tcp/127.0.0.$i/$(cassandra_cql_port)") 2>/dev/null; do
    if ! kill -0 "$pid" 2>/dev/null; then
      echo "bin/cluster: cassandra node $i exited during start; see $dir/log and $dir/system.log" >&2
      rm -f "$(cluster_pid_file cassandra "$i")"
      return 1
    fi
    if [ $SECONDS -ge $deadline ]; then
      echo "bin/cluster: cassandra node $i did not open its CQL port in time; see $dir/system.log" >&2
      return 1
    fi
    sleep 0.5
  done
  echo "bin/cluster: cassandra node $i up at $(cassandra_address "$i") in $((SECONDS - started)) s" >&2
}

cassandra_ready() {
  local i n
  n=$(count_of cassandra)
  for ((i = 1; i <= n; i++)); do
    cluster_alive cassandra "$i" || return 1
    cluster_wait_port "127.0.0.$i" "$(cassandra_cql_port)" 60 || return 1
  done
}

cassandra_stop() { cluster_signal_and_wait cassandra "$1" TERM 60; }
cassandra_kill() { cluster_signal_and_wait cassandra "$1" KILL 10; }
