# bin/cluster plug-in for Fhirbolt nodes (the contract is in kafka.sh's header). Node I serves on 127.0.0.I at port
# base+80, keeps its data in $FHIRBOLT_CLUSTER_DIR/fhirbolt-I/data and takes every FHIRBOLT_* setting of the caller's
# environment, plus those that point it at this cluster's brokers and Cassandra nodes.
fhirbolt_port() { echo $((FHIRBOLT_CLUSTER_PORT_BASE + 80)); }

fhirbolt_prepare() {
  local jar="$root/app/target/fhirbolt.jar"
  if [ ! -f "$jar" ] || [ -n "$(find "$root" -path '*/src/main/*' -newer "$jar" -print -quit 2>/dev/null)" ]; then
    echo "bin/cluster: building Fhirbolt..." >&2
    (cd "$root" && . bin/java-home.sh && ./mvnw -B -q -ntp -Dmaven.test.skip=true package) >&2 || return 1
  fi
}

fhirbolt_start() { # I
  local i=$1 dir="$FHIRBOLT_CLUSTER_DIR/fhirbolt-$1" settings
  # the first node creates the log's topic and the Cassandra schema; the others start once it serves, so that two
  # nodes never create them at the same moment
  if [ "$i" -gt 1 ] && cluster_alive fhirbolt 1; then
    fhirbolt_wait_ready 1 || return 1
  fi
  mkdir -p "$dir/data"
  settings=$(cmd_env)
  (
    . "$root/bin/java-home.sh"
    # shellcheck disable=SC2046 # KEY=value words from the other plug-ins
    export $settings
    export FHIRBOLT_HOST="127.0.0.$i" FHIRBOLT_PORT="$(fhirbolt_port)" FHIRBOLT_DATA_DIR="$dir/data" \
      FHIRBOLT_NODE_ID="node-$i" FHIRBOLT_BASE_URL="${FHIRBOLT_BASE_URL:-}"
    # the server's collector settings (bin/server-java-opts.sh says why G1 marks at a fixed 60%), with a smaller heap
    # since several nodes share the host; no class-data archive: nodes started together would write one file at once
    # shellcheck disable=SC2086 # the options are words
    exec "$JAVA_HOME/bin/java" ${FHIRBOLT_NODE_JAVA_OPTS:--Xms64m -Xmx768m -XX:+UseG1GC -XX:-G1UseAdaptiveIHOP -XX:InitiatingHeapOccupancyPercent=60} \
      -jar "$root/app/target/fhirbolt.jar" serve > "$dir/log" 2>&1
  ) &
  echo $! > "$(cluster_pid_file fhirbolt "$i")"
}

fhirbolt_wait_ready() { # I
  local i=$1 deadline=$((SECONDS + ${FHIRBOLT_NODE_START_SECONDS:-300}))
  until curl -fs -o /dev/null "http://127.0.0.$i:$(fhirbolt_port)/health"; do
    if ! cluster_alive fhirbolt "$i" || [ $SECONDS -ge $deadline ]; then
      echo "bin/cluster: fhirbolt node $i did not start; the end of its log:" >&2
      tail -n 20 "$FHIRBOLT_CLUSTER_DIR/fhirbolt-$i/log" >&2
      return 1
    fi
    sleep 0.5
  done
}

fhirbolt_ready() { # [I]: node I, or every node of the cluster
  local n i
  if [ $# -gt 0 ]; then
    fhirbolt_wait_ready "$1"
    return
  fi
  n=$(count_of fhirbolt)
  for ((i = 1; i <= n; i++)); do
    fhirbolt_wait_ready "$i" || return 1
  done
}

fhirbolt_stop() { cluster_signal_and_wait fhirbolt "$1" TERM 60; }
fhirbolt_kill() { cluster_signal_and_wait fhirbolt "$1" KILL 10; }
fhirbolt_address() { echo "127.0.0.$1:$(fhirbolt_port)"; }
fhirbolt_env() { :; }
