# bin/cluster plug-in for kafka nodes. Sourced by bin/cluster; defines:
#   kafka_prepare      resolve what the nodes need (jars from Maven Central via ../mvnw, a JDK) once; quiet when done
#   kafka_start I      start node I (listening on 127.0.0.I) in the background: data and log in
#                     $FHIRBOLT_CLUSTER_DIR/kafka-I/, pid in $(cluster_pid_file kafka I); $(count_of kafka) is the node count
#   kafka_ready        wait (bounded) until every started node serves; non-zero when one does not
#   kafka_stop I       stop node I gracefully (cluster_signal_and_wait kafka I TERM 60)
#   kafka_kill I       kill -9 node I (cluster_signal_and_wait kafka I KILL 10)
#   kafka_address I    host:port clients use for node I
#   kafka_env          print the FHIRBOLT_* settings (KEY=value lines) that point a Fhirbolt node at these nodes
#
# Kafka nodes are Apache Kafka 4.1.1 in KRaft mode (no ZooKeeper), each both broker and controller; the controller
# quorum is all N nodes. Node I listens for clients on 127.0.0.I:(base+92) and for the quorum on 127.0.0.I:(base+93).
# With 3 or more nodes topics default to replication factor 3 and min.insync.replicas 2 (one node may be lost);
# with fewer, to N and 1. The jars come from Maven Central through cluster/kafka/pom.xml into
# cluster/kafka/target/lib-VERSION (once); the JVM is a Java 17 to 25 (17 preferred), found as bin/java-home.sh does.
# Settings: FHIRBOLT_KAFKA_HEAP (default 384m), FHIRBOLT_KAFKA_JVM_OPTS (more JVM options, e.g.
# -XX:TieredStopAtLevel=1: about 30% less CPU to start, slower steady state), FHIRBOLT_KAFKA_JAVA_HOME (a JDK to use
# instead of searching), FHIRBOLT_KAFKA_READY_SECONDS (how long `up` waits, default 120).

kafka_version=4.1.1
kafka_lib="$root/cluster/kafka/target/lib-$kafka_version"

kafka_client_port() { echo $((FHIRBOLT_CLUSTER_PORT_BASE + 92)); }
kafka_controller_port() { echo $((FHIRBOLT_CLUSTER_PORT_BASE + 93)); }
kafka_address() { echo "127.0.0.$1:$(kafka_client_port)"; }
kafka_dir() { echo "$FHIRBOLT_CLUSTER_DIR/kafka-$1"; }

kafka_env() {
  local n i servers=()
  n=$(count_of kafka)
  for ((i = 1; i <= n; i++)); do servers+=("$(kafka_address "$i")"); done
  (IFS=,; echo "FHIRBOLT_KAFKA_BOOTSTRAP=${servers[*]}")
}

# A java binary of feature version 17 to 25: FHIRBOLT_KAFKA_JAVA_HOME's when set, else Java 17 first (the version
# Kafka 4.1 is tested most on).
kafka_find_java() {
  local candidates=() home version best="" best_only
  [ -n "${FHIRBOLT_KAFKA_JAVA_HOME:-}" ] && best_only="$FHIRBOLT_KAFKA_JAVA_HOME/bin/java" && {
    version=$(kafka_java_version "$best_only")
    [ -n "$version" ] && [ "$version" -ge 17 ] && [ "$version" -le 25 ] && echo "$best_only"
    return
  }
  [ -n "${JAVA_HOME:-}" ] && candidates+=("$JAVA_HOME")
  command -v java >/dev/null 2>&1 && candidates+=("$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")")
  for home in /usr/lib/jvm/* /Library/Java/JavaVirtualMachines/*/Contents/Home "$HOME"/.sdkman/candidates/java/*; do
    [ -d "$home" ] && candidates+=("$home")
  done
  for home in "${candidates[@]}"; do
    [ -x "$home/bin/java" ] || continue
    version=$(kafka_java_version "$home/bin/java")
    [ -n "$version" ] && [ "$version" -ge 17 ] && [ "$version" -le 25 ] || continue
    [ "$version" -eq 17 ] && { echo "$home/bin/java"; return 0; }
    [ -n "$best" ] || best="$home/bin/java"
  done
  [ -n "$best" ] && echo "$best"
}

kafka_java_version() { # the feature version of java binary $1, or nothing
  [ -x "$1" ] || return 0
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -1
}

kafka_prepare() {
  kafka_java=$(kafka_find_java) || true
  if [ -z "$kafka_java" ] && [ -n "${FHIRBOLT_KAFKA_JAVA_HOME:-}" ]; then
    echo "bin/cluster: FHIRBOLT_KAFKA_JAVA_HOME=$FHIRBOLT_KAFKA_JAVA_HOME has no bin/java of version 17 to 25," \
      "which Kafka $kafka_version needs" >&2
    return 1
  fi
  if [ -z "$kafka_java" ]; then
    echo "bin/cluster: Kafka $kafka_version needs a Java 17 to 25 and none was found (looked at" \
      "FHIRBOLT_KAFKA_JAVA_HOME, JAVA_HOME, the java on PATH and /usr/lib/jvm). Install one, e.g." \
      "'apt-get install openjdk-17-jre-headless', or set FHIRBOLT_KAFKA_JAVA_HOME." >&2
    return 1
  fi
  if [ ! -f "$kafka_lib/.complete" ]; then
    echo "bin/cluster: fetching Kafka $kafka_version jars from Maven Central (once) into $kafka_lib" >&2
    local log="$root/cluster/kafka/target/resolve.log"
    mkdir -p "$root/cluster/kafka/target"
    rm -rf "$kafka_lib"
    if ! (cd "$root" && JAVA_HOME="$(kafka_build_jdk)" ./mvnw -B -ntp -q -f cluster/kafka/pom.xml \
        dependency:copy-dependencies -DincludeScope=runtime -DoutputDirectory="$kafka_lib") > "$log" 2>&1; then
      echo "bin/cluster: resolving the Kafka jars failed; see $log" >&2
      return 1
    fi
    touch "$kafka_lib/.complete"
  fi
  kafka_format_template || return 1
  # One cluster id for all nodes, made once per cluster directory.
  local id_file="$FHIRBOLT_CLUSTER_DIR/kafka-cluster-id"
  if [ ! -s "$id_file" ]; then
    mkdir -p "$FHIRBOLT_CLUSTER_DIR"
    kafka_uuid > "$id_file"
  fi
}

# A Kafka Uuid as Kafka prints it: 16 random bytes in URL-safe base64 without padding, never starting with '-'.
kafka_uuid() {
  local id="-"
  while [[ "$id" == -* ]]; do id=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '='); done
  echo "$id"
}

# Formatting a node's data directory (kafka.tools.StorageTool format) writes two files: bootstrap.checkpoint, the
# same for every node of this Kafka version and quorum style (its metadata version and features), and
# meta.properties (cluster id, node id, directory id). The tool runs once per Kafka version into a template; a new
# node gets a copy of the checkpoint and its own meta.properties, which saves a JVM start per node.
kafka_template="$root/cluster/kafka/target/format-$kafka_version"
kafka_format_template() {
  [ -f "$kafka_template/bootstrap.checkpoint" ] && return 0
  local work="$kafka_template.tmp"
  rm -rf "$work" && mkdir -p "$work"
  printf '%s\n' "process.roles=broker,controller" "node.id=1" "controller.quorum.voters=1@127.0.0.1:9093" \
    "controller.listener.names=CONTROLLER" "listeners=PLAINTEXT://127.0.0.1:9092,CONTROLLER://127.0.0.1:9093" \
    "log.dirs=$work/data" > "$work/server.properties"
  if ! "$kafka_java" -Xmx128m -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp "$kafka_lib/*" \
      -Dorg.slf4j.simpleLogger.defaultLogLevel=warn kafka.tools.StorageTool format -t "$(kafka_uuid)" \
      -c "$work/server.properties" > "$work/format.log" 2>&1; then
    echo "bin/cluster: formatting a Kafka data directory failed; see $work/format.log" >&2
    return 1
  fi
  mkdir -p "$kafka_template"
  cp "$work/data/bootstrap.checkpoint" "$kafka_template/"
  rm -rf "$work"
}

kafka_format_node() { # I: a new node's data directory, as StorageTool format would write it
  local data
  data="$(kafka_dir "$1")/data"
  mkdir -p "$data"
  cp "$kafka_template/bootstrap.checkpoint" "$data/"
  printf 'version=1\ncluster.id=%s\nnode.id=%s\ndirectory.id=%s\n' \
    "$(cat "$FHIRBOLT_CLUSTER_DIR/kafka-cluster-id")" "$1" "$(kafka_uuid)" > "$data/meta.properties"
}

# ./mvnw needs a JDK; the one bin/java-home.sh finds, else the Kafka java's home.
kafka_build_jdk() {
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then echo "$JAVA_HOME"; return; fi
  (. "$root/bin/java-home.sh" >/dev/null 2>&1 && echo "$JAVA_HOME") || dirname "$(dirname "$kafka_java")"
}

kafka_write_config() { # I
  local i=$1 n dir voters="" j rf min_isr
  n=$(count_of kafka)
  dir=$(kafka_dir "$i")
  for ((j = 1; j <= n; j++)); do voters+="${voters:+,}$j@127.0.0.$j:$(kafka_controller_port)"; done
  if [ "$n" -ge 3 ]; then rf=3; min_isr=2; else rf=$n; min_isr=1; fi
  cat > "$dir/server.properties" <<EOF
# Written by bin/cluster.d/kafka.sh for node $i of $n.
process.roles=broker,controller
node.id=$i
controller.quorum.voters=$voters
listeners=PLAINTEXT://127.0.0.$i:$(kafka_client_port),CONTROLLER://127.0.0.$i:$(kafka_controller_port)
advertised.listeners=PLAINTEXT://127.0.0.$i:$(kafka_client_port)
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
default.replication.factor=$rf
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$rf
transaction.state.log.replication.factor=$rf
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr
unclean.leader.election.enable=false
# A node killed with -9 is fenced (and leaves the ISR, so acks=all appends go on) after the session timeout.
broker.session.timeout.ms=6000
broker.heartbeat.interval.ms=1500
replica.lag.time.max.ms=10000
auto.create.topics.enable=false
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
background.threads=2
log.retention.hours=-1
log.retention.bytes=-1
EOF
}

kafka_start() {
  local i=$1 n dir
  n=$(count_of kafka)
  [ "$i" -le "$n" ] || { echo "bin/cluster: this cluster has $n kafka nodes; node $i is not one of them" >&2; return 1; }
  dir=$(kafka_dir "$i")
  mkdir -p "$dir"
  kafka_write_config "$i"
  [ -f "$dir/data/meta.properties" ] || kafka_format_node "$i"
  [ -f "$dir/log" ] && mv "$dir/log" "$dir/log.previous"
  date +%s > "$dir/started-at"
  # setsid: the broker outlives this script and does not get its terminal's signals.
  # shellcheck disable=SC2086
  setsid "$kafka_java" -Xms64m -Xmx"${FHIRBOLT_KAFKA_HEAP:-384m}" -XX:MaxGCPauseMillis=20 ${FHIRBOLT_KAFKA_JVM_OPTS:-} \
    -XX:+ExitOnOutOfMemoryError -Djava.awt.headless=true \
    -Dorg.slf4j.simpleLogger.defaultLogLevel=info -Dorg.slf4j.simpleLogger.showDateTime=true \
    -Dorg.slf4j.simpleLogger.log.org.apache.kafka.clients=warn \
    -cp "$kafka_lib/*" kafka.Kafka "$dir/server.properties" > "$dir/log" 2>&1 < /dev/null &
  echo $! > "$(cluster_pid_file kafka "$i")"
}

# A node serves once it has logged "Kafka Server started": its broker has joined the quorum and is unfenced.
kafka_ready() {
  local n i deadline=$((SECONDS + ${FHIRBOLT_KAFKA_READY_SECONDS:-120}))
  n=$(count_of kafka)
  for ((i = 1; i <= n; i++)); do
    cluster_alive kafka "$i" || continue
    until grep -q "Kafka Server started" "$(kafka_dir "$i")/log" 2>/dev/null; do
      cluster_alive kafka "$i" || { echo "bin/cluster: kafka node $i exited; see $(kafka_dir "$i")/log" >&2; return 1; }
      [ $SECONDS -lt $deadline ] || { echo "bin/cluster: kafka node $i not ready in time" >&2; return 1; }
      sleep 0.3
    done
  done
}

kafka_stop() { cluster_signal_and_wait kafka "$1" TERM 60; }
kafka_kill() { cluster_signal_and_wait kafka "$1" KILL 10; }
