#!/usr/bin/env bash
# Restart to ready after SIGKILL (issue #6's target: < 30 s for 100k series with a 10-minute
# unflushed tail, growing with the tail, not the series count).
#
# Uses only the project's own commands: `strata kafka`, `strata cassandra`, `strata node` and
# `strata bench ingest`. Steps:
#   1. load one scrape of HOSTS node_exporter-like hosts (~142 series each; 705 hosts = ~100k series),
#      stop the node with SIGTERM (every group flushed, index committed);
#   2. restart with a 1 h flush interval and load ROUNDS more scrapes at 15 s (40 = 10 minutes)
#      that stay unflushed; wait until the shards have applied everything; SIGKILL the node;
#   3. start it again and time until /-/ready answers 200 (every shard replayed to the log end).
# Usage: benchmarks/restart-to-ready.sh [work dir, default /tmp/strata-restart]. Env: HOSTS, ROUNDS.
# Everything it starts is stopped at exit.
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
work=${1:-/tmp/strata-restart}
hosts=${HOSTS:-705}
rounds=${ROUNDS:-40}
kafka_port=29192 cassandra_port=29142 http_port=29190
strata="$root/bin/strata"
"$strata" --help > /dev/null # builds once if needed
rm -rf "$work" && mkdir -p "$work"
pids=()
cleanup() { for p in "${pids[@]}"; do kill -TERM "$p" 2> /dev/null || true; done; wait 2> /dev/null || true; }
trap cleanup EXIT

"$strata" kafka --data "$work/kafka" --port $kafka_port > "$work/kafka.log" 2>&1 & pids+=($!)
"$strata" cassandra --data "$work/cassandra" --port $cassandra_port --storage-port 27100 > "$work/cassandra.log" 2>&1 & pids+=($!)
node_args=(--data.dir="$work/node" --kafka.bootstrap=localhost:$kafka_port --cassandra.contact-points=127.0.0.1:$cassandra_port
  --http.port=$http_port --cassandra.keyspace=restartbench --kafka.topic=restartbench)
url=http://localhost:$http_port
node_pid=
start_node() { "$strata" node "${node_args[@]}" "$@" >> "$work/node.log" 2>&1 & node_pid=$!; pids+=($node_pid); }
wait_ready() { until [ "$(curl -s -o /dev/null -w '%{http_code}' $url/-/ready)" = 200 ]; do sleep 0.2; done; }
wait_applied() { # every shard's consumer at the log end
  until curl -s $url/api/v1/status/shards | grep -o '"lag":[0-9-]*' | awk -F: '{s += ($2 > 0 ? $2 : 0)} END {exit s > 0}'; do sleep 1; done
}

start_node; wait_ready
"$strata" bench ingest --mode http --url $url/api/v1/write --hosts "$hosts" --rounds 1 --duration 900 --report 60
wait_applied
kill -TERM $node_pid; wait $node_pid || true

start_node --flush.interval=1h; wait_ready
"$strata" bench ingest --mode http --url $url/api/v1/write --hosts "$hosts" --rounds "$rounds" --duration 1800 --report 60
wait_applied
kill -KILL $node_pid; wait $node_pid 2> /dev/null || true
echo "SIGKILLed with $rounds unflushed scrapes of $hosts hosts"

t0=$(date +%s.%N)
start_node
wait_ready
t1=$(date +%s.%N)
echo "restart to ready: $(echo "$t1 - $t0" | bc) s (process CPU $(ps -p $node_pid -o time= | tr -d ' '))"
grep -E "opened [0-9]+ shards|replay|recovery" "$work/node.log" | tail -20 | cut -c1-240
