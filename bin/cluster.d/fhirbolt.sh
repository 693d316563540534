# bin/cluster plug-in for Fhirbolt nodes (the contract is in kafka.sh's header).
fhirbolt_prepare() { echo "bin/cluster: fhirbolt nodes are not implemented yet" >&2; return 1; }
fhirbolt_start() { return 1; }
fhirbolt_ready() { return 1; }
fhirbolt_stop() { cluster_signal_and_wait fhirbolt "$1" TERM 60; }
fhirbolt_kill() { cluster_signal_and_wait fhirbolt "$1" KILL 10; }
fhirbolt_address() { echo "127.0.0.$1:$((FHIRBOLT_CLUSTER_PORT_BASE + 80))"; }
fhirbolt_env() { :; }
