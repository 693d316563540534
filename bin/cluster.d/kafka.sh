# bin/cluster plug-in for kafka nodes. Sourced by bin/cluster; defines:
#   kafka_prepare      resolve what the nodes need (jars from Maven Central via ../mvnw, a JDK) once; quiet when done
#   kafka_start I      start node I (listening on 127.0.0.I) in the background: data and log in
#                     $FHIRBOLT_CLUSTER_DIR/kafka-I/, pid in $(cluster_pid_file kafka I); $(count_of kafka) is the node count
#   kafka_ready        wait (bounded) until every started node serves; non-zero when one does not
#   kafka_stop I       stop node I gracefully (cluster_signal_and_wait kafka I TERM 60)
#   kafka_kill I       kill -9 node I (cluster_signal_and_wait kafka I KILL 10)
#   kafka_address I    host:port clients use for node I
#   kafka_env          print the FHIRBOLT_* settings (KEY=value lines) that point a Fhirbolt node at these nodes
kafka_prepare() { echo "bin/cluster: kafka nodes are not implemented yet" >&2; return 1; }
kafka_start() { return 1; }
kafka_ready() { return 1; }
kafka_stop() { cluster_signal_and_wait kafka "$1" TERM 60; }
kafka_kill() { cluster_signal_and_wait kafka "$1" KILL 10; }
kafka_address() { echo "127.0.0.$1:0"; }
kafka_env() { :; }
