# bin/cluster plug-in for cassandra nodes. Sourced by bin/cluster; defines:
#   cassandra_prepare      resolve what the nodes need (jars from Maven Central via ../mvnw, a JDK) once; quiet when done
#   cassandra_start I      start node I (listening on 127.0.0.I) in the background: data and log in
#                     $FHIRBOLT_CLUSTER_DIR/cassandra-I/, pid in $(cluster_pid_file cassandra I); $(count_of cassandra) is the node count
#   cassandra_ready        wait (bounded) until every started node serves; non-zero when one does not
#   cassandra_stop I       stop node I gracefully (cluster_signal_and_wait cassandra I TERM 60)
#   cassandra_kill I       kill -9 node I (cluster_signal_and_wait cassandra I KILL 10)
#   cassandra_address I    host:port clients use for node I
#   cassandra_env          print the FHIRBOLT_* settings (KEY=value lines) that point a Fhirbolt node at these nodes
cassandra_prepare() { echo "bin/cluster: cassandra nodes are not implemented yet" >&2; return 1; }
cassandra_start() { return 1; }
cassandra_ready() { return 1; }
cassandra_stop() { cluster_signal_and_wait cassandra "$1" TERM 60; }
cassandra_kill() { cluster_signal_and_wait cassandra "$1" KILL 10; }
cassandra_address() { echo "127.0.0.$1:0"; }
cassandra_env() { :; }
