#!/bin/bash
# Stand-in for the cassandra image's entrypoint, with the same behaviour: as root, hands the data and log
# directories to user cassandra and re-runs itself as that user (setpriv here, gosu there); for `cassandra`, writes
# CASSANDRA_SEEDS, CASSANDRA_{BROADCAST_ADDRESS,BROADCAST_RPC_ADDRESS,CLUSTER_NAME,ENDPOINT_SNITCH,LISTEN_ADDRESS,
# NUM_TOKENS,RPC_ADDRESS} into cassandra.yaml and CASSANDRA_DC / CASSANDRA_RACK into cassandra-rackdc.properties
# (listen address `auto`, the default: the container's first address; rpc address 0.0.0.0).
set -e
if [ "$#" -eq 0 ] || [ "${1#-}" != "$1" ]; then set -- cassandra -f "$@"; fi
if [ "$1" = cassandra ] && [ "$(id -u)" = 0 ]; then
  find /var/lib/cassandra /var/log/cassandra "$CASSANDRA_CONF" \! -user cassandra -exec chown cassandra '{}' +
  exec setpriv --reuid=cassandra --regid=cassandra --init-groups "$BASH_SOURCE" "$@"
fi
first_address() { hostname -I | awk '{print $1}'; }
set_in() { # file sed-expression: edits in place without replacing the file (it may be bind-mounted)
  local tmp; tmp=$(mktemp); sed -r "$2" "$1" > "$tmp"; cat "$tmp" > "$1"; rm -f "$tmp"
}
if [ "$1" = cassandra ]; then
  : "${CASSANDRA_RPC_ADDRESS=0.0.0.0}"
  : "${CASSANDRA_LISTEN_ADDRESS=auto}"
  [ "$CASSANDRA_LISTEN_ADDRESS" != auto ] || CASSANDRA_LISTEN_ADDRESS=$(first_address)
  : "${CASSANDRA_BROADCAST_ADDRESS=$CASSANDRA_LISTEN_ADDRESS}"
  [ "$CASSANDRA_BROADCAST_ADDRESS" != auto ] || CASSANDRA_BROADCAST_ADDRESS=$(first_address)
  : "${CASSANDRA_BROADCAST_RPC_ADDRESS:=$CASSANDRA_BROADCAST_ADDRESS}"
  [ -z "${CASSANDRA_NAME:+1}" ] || : "${CASSANDRA_SEEDS:=cassandra}"
  : "${CASSANDRA_SEEDS:=$CASSANDRA_BROADCAST_ADDRESS}"
  set_in "$CASSANDRA_CONF/cassandra.yaml" 's/(- seeds:).*/\1 "'"$CASSANDRA_SEEDS"'"/'
  for key in broadcast_address broadcast_rpc_address cluster_name endpoint_snitch listen_address num_tokens rpc_address; do
    var=CASSANDRA_${key^^}
    [ -z "${!var:-}" ] || set_in "$CASSANDRA_CONF/cassandra.yaml" 's/^(# )?('"$key"':).*/\2 '"${!var}"'/'
  done
  for key in dc rack; do
    var=CASSANDRA_${key^^}
    [ -z "${!var:-}" ] || set_in "$CASSANDRA_CONF/cassandra-rackdc.properties" 's/^('"$key"'=).*/\1'"${!var}"'/'
  done
fi
exec "$@"
