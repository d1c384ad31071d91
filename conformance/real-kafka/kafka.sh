#!/usr/bin/env bash
# A real Apache Kafka broker (KRaft: one combined broker+controller) and Kafka's own command-line
# tools, from Maven Central jars, without Docker. Needs bash, Java 17+, Maven 3, Node (free ports).
#
#   kafka.sh fetch               download the jars once into .kafka/ (git-ignored); print the lib dir
#   kafka.sh start  [--dir DIR]  format KRaft storage in a fresh temp dir, start the broker on free
#                                127.0.0.1 ports, wait until it accepts connections; print host:port
#   kafka.sh stop   [--dir DIR]  stop it (SIGTERM; SIGKILL after 30 s) and delete its data
#   kafka.sh restart [--dir DIR] stop it the same way but keep its data, and start it again on the
#                                same ports (a rolling restart); print host:port
#   kafka.sh status [--dir DIR]  print what runs and exit 0, or exit 3 when nothing runs
#   kafka.sh tool NAME ARGS...   run a tool named in tools.properties, e.g.
#                                kafka.sh tool kafka-topics --bootstrap-server HOST:PORT --list
#   kafka.sh env                 KEY=value lines for other launchers (test/support/kafka-tools.ts)
#   kafka.sh start-cluster N [--dir DIR]
#                                N KRaft nodes (node ids 0..N-1), each broker and controller, with a
#                                static N-voter quorum, on free 127.0.0.1 ports; waits until every
#                                broker accepts connections; prints the bootstrap list (host:port,...)
#   kafka.sh stop-cluster [--dir DIR]     stop every node of the cluster and delete its data
#   kafka.sh stop-node K [--dir DIR]      stop node K of the cluster (SIGTERM), keeping its data
#   kafka.sh start-node K [--dir DIR]     start node K again on its ports; waits until it accepts
#   kafka.sh cluster-status [--dir DIR]   one line per node: id host:port pid|down
#
# A cluster's DIR holds: bootstrap (all brokers, comma-separated), size, data-dir, format.log, and
# node-K/ per node (server.properties, pid, broker.log, port, controller-port).
#
# DIR (default: $KAFKA_STATE_DIR, else .kafka/run) receives: bootstrap (host:port), pid, node-id,
# data-dir, server.properties, broker.log (kept after stop), format.log.
# Environment:
#   JAVA                 java to use (default $JAVA_HOME/bin/java, else java on PATH)
#   KAFKA_START_TIMEOUT  seconds to wait for the broker to accept connections (default 90)
#   KAFKA_WATCH_PID      stop the broker as soon as this process is gone: tests pass their own pid so
#                        that a test run that is killed leaves no broker behind
#   KAFKA_MVN_ARGS       extra Maven arguments for fetch (e.g. -Dmaven.repo.local=/tmp/m2)
#   KAFKA_OVERRIDES      broker settings appended to server.properties, one key=value per line, e.g.
#                        KAFKA_OVERRIDES='auto.create.topics.enable=false' (a later key wins in Java)
set -euo pipefail

HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
CACHE="$HERE/.kafka"
KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$HERE/pom.xml")
# The lib dir is keyed by the pom's content, so editing the pom fetches afresh.
LIBS="$CACHE/lib-$KAFKA_VERSION-$(sha256sum "$HERE/pom.xml" | cut -c1-12)"
if [ -n "${JAVA:-}" ]; then :; elif [ -n "${JAVA_HOME:-}" ]; then JAVA="$JAVA_HOME/bin/java"; else JAVA=java; fi

# kafka-server-start.sh's defaults, made smaller: a 512 MB heap is plenty for tests.
BROKER_JVM_OPTS="-Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"
# The tools are short-lived: C1 only and the serial collector start faster than Kafka's G1 default.
TOOL_JVM_OPTS="-Xmx256m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true"
NODE_ID=0 # the emulator's default node id, so that both targets describe topics alike
START_TIMEOUT=${KAFKA_START_TIMEOUT:-90}

log() { printf 'kafka.sh: %s\n' "$*" >&2; }
die() {
  log "$*"
  exit 1
}

fetch() {
  [ -f "$LIBS/.complete" ] && return 0
  command -v mvn >/dev/null || die "Maven (mvn) is needed once to fetch the Kafka jars"
  mkdir -p "$CACHE"
  # Test files run in parallel and may all ask for the jars at once: one fetches, the rest wait.
  exec 9>"$CACHE/fetch.lock"
  flock -w 900 9 || die "another fetch has held $CACHE/fetch.lock for 15 minutes"
  if [ ! -f "$LIBS/.complete" ]; then
    local tmp="$LIBS.partial.$$" t0=$SECONDS
    rm -rf "$tmp"
    log "fetching Apache Kafka $KAFKA_VERSION jars from Maven Central into $LIBS (once)"
    # shellcheck disable=SC2086 # KAFKA_MVN_ARGS is a list of words
    if ! timeout 900 mvn -q -B -Dstyle.color=never -f "$HERE/pom.xml" ${KAFKA_MVN_ARGS:-} dependency:copy-dependencies \
      -DincludeScope=runtime -DoutputDirectory="$tmp" >&2; then
      rm -rf "$tmp"
      die "mvn dependency:copy-dependencies failed"
    fi
    touch "$tmp/.complete"
    rm -rf "$LIBS"
    mv "$tmp" "$LIBS"
    log "fetched $(find "$LIBS" -name '*.jar' | wc -l) jars, $(du -sm "$LIBS" | cut -f1) MB, in $((SECONDS - t0)) s"
  fi
  exec 9>&-
}

tool_class() {
  local name=${1%.sh}
  sed -n "s/^$name=//p" "$HERE/tools.properties"
}

# Class-data sharing (JDK 13+ dynamic archive): the first tool run writes the classes it loaded to
# $LIBS/tools.jsa, and later runs map them instead of loading them from the jars, which makes each
# launch ~40% faster (measured: 1.6-3.2 s -> 0.9-1.9 s for kafka-topics --describe on a loaded
# 2-core machine). KAFKA_TOOL_CDS=0 turns it off. A stale or foreign archive only prints a warning
# (on stderr, see below) and the JVM goes on without it.
TOOL_CDS_ARCHIVE="$LIBS/tools.jsa"
[ "${KAFKA_TOOL_CDS:-1}" = 1 ] || TOOL_CDS_ARCHIVE=
# The JVM's own warnings (CDS among them) go to stdout by default; tests parse stdout.
# CDS reports every class it cannot archive (slf4j 1.7 is Java 5 bytecode) as a warning: errors only.
TOOL_JVM_OPTS="$TOOL_JVM_OPTS -Xlog:disable -Xlog:all=warning:stderr -Xlog:cds*=error:stderr"

run_tool() {
  [ $# -ge 1 ] || die "usage: kafka.sh tool NAME ARGS..."
  local class partial rc=0
  class=$(tool_class "$1")
  [ -n "$class" ] || die "unknown tool '$1' (known: $(sed -n 's/=.*//p' "$HERE/tools.properties" | grep -v '^#' | tr '\n' ' '))"
  shift
  fetch
  local log4j="-Dlog4j2.configurationFile=$HERE/log4j2-tools.properties"
  if [ -z "$TOOL_CDS_ARCHIVE" ] || [ -f "$TOOL_CDS_ARCHIVE" ]; then
    # shellcheck disable=SC2086
    exec "$JAVA" $TOOL_JVM_OPTS ${TOOL_CDS_ARCHIVE:+-XX:SharedArchiveFile=$TOOL_CDS_ARCHIVE} "$log4j" \
      -cp "$LIBS/*" "$class" "$@"
  fi
  partial="$TOOL_CDS_ARCHIVE.partial.$$"
  # shellcheck disable=SC2086
  "$JAVA" $TOOL_JVM_OPTS -XX:ArchiveClassesAtExit="$partial" "$log4j" -cp "$LIBS/*" "$class" "$@" || rc=$?
  if [ "$rc" -eq 0 ] && [ -s "$partial" ]; then mv -f "$partial" "$TOOL_CDS_ARCHIVE"; else rm -f "$partial"; fi
  return "$rc"
}

free_ports() { # prints two distinct free TCP ports on 127.0.0.1
  node -e '
    const net = require("node:net");
    const servers = [net.createServer(), net.createServer()];
    let bound = 0;
    for (const s of servers) s.listen(0, "127.0.0.1", () => {
      if (++bound < 2) return;
      console.log(servers.map((x) => x.address().port).join(" "));
      for (const x of servers) x.close();
    });'
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# The pid file may outlive its process and the pid be reused: only act on our own broker.
is_our_broker() {
  [ -n "$1" ] && ps -ww -o args= -p "$1" 2>/dev/null | grep -qF -- "kafka.Kafka $DIR/server.properties"
}

remove_data_dir() {
  local data
  data=$(cat "$DIR/data-dir" 2>/dev/null || true)
  case "$data" in */kafkalab-kafka.*) rm -rf "$data" ;; esac
  rm -f "$DIR/data-dir"
}

write_server_properties() { # PLAINTEXT_PORT CONTROLLER_PORT DATA_DIR
  cat >"$DIR/server.properties" <<EOF
# Written by conformance/real-kafka/kafka.sh: one KRaft node that is both broker and controller.
process.roles=broker,controller
node.id=$NODE_ID
# Dynamic quorum (KIP-853), as Kafka 4's quick start: formatted with --standalone.
controller.quorum.bootstrap.servers=127.0.0.1:$2
listeners=PLAINTEXT://127.0.0.1:$1,CONTROLLER://127.0.0.1:$2
advertised.listeners=PLAINTEXT://127.0.0.1:$1,CONTROLLER://127.0.0.1:$2
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$3
num.partitions=1
auto.create.topics.enable=true
# A single node cannot hold three replicas of the internal topics.
offsets.topic.replication.factor=1
offsets.topic.num.partitions=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# Tests should not wait 3 s for the first rebalance (the emulator's default is 0 as well).
group.initial.rebalance.delay.ms=0
# Smaller than the defaults, for a test machine: the cleaner's dedupe buffer is allocated on the
# heap at start (128 MB by default).
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
log.cleaner.dedupe.buffer.size=33554432
EOF
  if [ -n "${KAFKA_OVERRIDES:-}" ]; then
    printf '# KAFKA_OVERRIDES\n%s\n' "$KAFKA_OVERRIDES" >>"$DIR/server.properties"
  fi
}

# Returns 0 when up, 2 when a port was taken in the meantime (worth another try), 1 otherwise.
start_once() {
  local ports plain ctrl data cid t0=$SECONDS
  ports=$(free_ports) || die "could not pick free ports (is node on PATH?)"
  read -r plain ctrl <<<"$ports"
  data=$(mktemp -d "${TMPDIR:-/tmp}/kafkalab-kafka.XXXXXX")
  echo "$data" >"$DIR/data-dir"
  write_server_properties "$plain" "$ctrl" "$data"
  # A cluster id is 16 random bytes in unpadded base64url; no JVM needed to make one.
  # --cluster-id=ID, not -t ID: a random id starts with '-' once in 64 draws, and the argument
  # parser would take it for an option.
  cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  # shellcheck disable=SC2086
  if ! "$JAVA" $TOOL_JVM_OPTS -Dlog4j2.configurationFile="$HERE/log4j2-tools.properties" -cp "$LIBS/*" \
    kafka.tools.StorageTool format --standalone --cluster-id="$cid" -c "$DIR/server.properties" >"$DIR/format.log" 2>&1; then
    cat "$DIR/format.log" >&2
    remove_data_dir
    return 1
  fi
  : >"$DIR/broker.log"
  launch_broker "$plain" "$ctrl" "$t0"
}

# Starts the JVM on $DIR/server.properties (its log appended to broker.log), waits until the
# PLAINTEXT_PORT accepts connections, writes bootstrap/node-id/pid and starts the watcher.
# Returns as start_once does.
launch_broker() { # PLAINTEXT_PORT CONTROLLER_PORT T0
  local plain=$1 ctrl=$2 t0=$3 pid deadline
  # setsid: the broker must not die with the terminal or npm process that started it.
  # shellcheck disable=SC2086
  (cd "$DIR" && exec setsid "$JAVA" $BROKER_JVM_OPTS -Dlog4j2.configurationFile="$HERE/log4j2-broker.properties" \
    -cp "$LIBS/*" kafka.Kafka "$DIR/server.properties" >>"$DIR/broker.log" 2>&1 </dev/null) &
  pid=$!
  echo "$pid" >"$DIR/pid"
  # Kafka opens the PLAINTEXT listener only once the broker has caught up with the metadata log and
  # is unfenced (the controller listener opens seconds earlier), so a connection is a readiness test.
  deadline=$((SECONDS + START_TIMEOUT))
  until port_open "$plain"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      rm -f "$DIR/pid"
      remove_data_dir
      if grep -q 'Address already in use' "$DIR/broker.log"; then return 2; fi
      log "the broker exited during start; the end of $DIR/broker.log:"
      tail -n 40 "$DIR/broker.log" >&2
      return 1
    fi
    if ((SECONDS >= deadline)); then
      log "the broker did not accept connections within $START_TIMEOUT s; stopping it (log: $DIR/broker.log)"
      stop_broker
      return 1
    fi
    sleep 0.2
  done
  echo "127.0.0.1:$plain" >"$DIR/bootstrap"
  echo "$NODE_ID" >"$DIR/node-id"
  if [ -n "${KAFKA_WATCH_PID:-}" ]; then
    # A detached watcher: when the watched process (or the broker) is gone, stop this broker.
    setsid bash -c 'while kill -0 "$1" 2>/dev/null && kill -0 "$2" 2>/dev/null; do sleep 1; done
      exec "$3" stop --dir "$4" --if-pid "$2"' watcher "$KAFKA_WATCH_PID" "$pid" "$HERE/kafka.sh" "$DIR" \
      >/dev/null 2>&1 </dev/null &
    echo $! >"$DIR/watcher.pid"
  fi
  log "broker ready on 127.0.0.1:$plain (controller 127.0.0.1:$ctrl, node $NODE_ID, pid $pid) in $((SECONDS - t0)) s; log: $DIR/broker.log"
  echo "127.0.0.1:$plain"
}

# A rolling restart of the broker in $DIR: controlled shutdown (SIGTERM), then the same
# server.properties and data dir again, so the same ports, topics, logs and committed offsets.
restart() {
  local pid plain ctrl watcher i
  pid=$(cat "$DIR/pid" 2>/dev/null || true)
  if ! is_our_broker "$pid" || [ ! -f "$DIR/bootstrap" ]; then die "no broker of ours runs in $DIR"; fi
  plain=$(sed 's/.*://' "$DIR/bootstrap")
  ctrl=$(sed -n 's/^controller.quorum.bootstrap.servers=.*://p' "$DIR/server.properties")
  # The watcher would take the broker's exit for the end of the test run and delete its data.
  watcher=$(cat "$DIR/watcher.pid" 2>/dev/null || true)
  if [ -n "$watcher" ] && [ "$watcher" != "$$" ]; then kill "$watcher" 2>/dev/null || true; fi
  rm -f "$DIR/watcher.pid" "$DIR/bootstrap"
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "broker pid $pid still up after 30 s; SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  log "broker pid $pid stopped; starting it again on 127.0.0.1:$plain"
  launch_broker "$plain" "$ctrl" "$SECONDS"
}

start() {
  if is_our_broker "$(cat "$DIR/pid" 2>/dev/null || true)"; then
    if [ -f "$DIR/bootstrap" ]; then
      log "already running (pid $(cat "$DIR/pid"))"
      cat "$DIR/bootstrap"
      return 0
    fi
    log "stopping a broker whose start was interrupted (pid $(cat "$DIR/pid"))"
    stop_broker
  fi
  fetch
  mkdir -p "$DIR"
  remove_data_dir # left by a broker that was killed without kafka.sh stop
  rm -f "$DIR/pid" "$DIR/bootstrap" "$DIR/watcher.pid"
  local attempt rc
  for attempt in 1 2 3; do
    rc=0
    start_once || rc=$?
    [ "$rc" -eq 2 ] || return "$rc"
    log "a port was taken before the broker bound it (attempt $attempt); trying other ports"
  done
  return 1
}

stop_broker() {
  local pid i
  pid=$(cat "$DIR/pid" 2>/dev/null || true)
  if is_our_broker "$pid"; then
    # SIGTERM runs Kafka's shutdown hook (controlled shutdown, logs flushed).
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "broker pid $pid still up after 30 s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$DIR/pid" "$DIR/bootstrap" "$DIR/node-id"
  remove_data_dir
}

stop() {
  [ -d "$DIR" ] || return 0
  if [ -n "$IF_PID" ] && [ "$(cat "$DIR/pid" 2>/dev/null || true)" != "$IF_PID" ]; then return 0; fi
  local watcher
  watcher=$(cat "$DIR/watcher.pid" 2>/dev/null || true)
  if [ -n "$watcher" ] && [ "$watcher" != "$$" ]; then kill "$watcher" 2>/dev/null || true; fi
  rm -f "$DIR/watcher.pid"
  stop_broker
}

status() {
  local pid
  pid=$(cat "$DIR/pid" 2>/dev/null || true)
  if is_our_broker "$pid" && [ -f "$DIR/bootstrap" ]; then
    echo "running: $(cat "$DIR/bootstrap") (Apache Kafka $KAFKA_VERSION, node $(cat "$DIR/node-id"), pid $pid, log $DIR/broker.log)"
    return 0
  fi
  echo "not running"
  return 3
}

print_env() {
  echo "KAFKA_VERSION=$KAFKA_VERSION"
  echo "KAFKA_LIBS=$LIBS"
  echo "KAFKA_JAVA=$JAVA"
  echo "KAFKA_TOOL_JVM_OPTS=$TOOL_JVM_OPTS"
  echo "KAFKA_TOOL_LOG4J=$HERE/log4j2-tools.properties"
  echo "KAFKA_TOOL_CDS_ARCHIVE=$TOOL_CDS_ARCHIVE"
  echo "KAFKA_TOOLS=$HERE/tools.properties"
}

# ---- A cluster of N KRaft nodes ---------------------------------------------------------------
# Every node is broker and controller (combined roles), the quorum static (controller.quorum.voters),
# so the storage is formatted without --standalone. Node K's files are in $DIR/node-K.

# Smaller than a single broker's heap: three of them share the machine.
CLUSTER_JVM_OPTS="-Xms128m -Xmx384m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -XX:+ExplicitGCInvokesConcurrent -Djava.awt.headless=true"

free_port_list() { # N: prints N distinct free TCP ports on 127.0.0.1, space-separated
  node -e '
    const net = require("node:net");
    const n = Number(process.argv[1]);
    const servers = Array.from({ length: n }, () => net.createServer());
    let bound = 0;
    for (const s of servers) s.listen(0, "127.0.0.1", () => {
      if (++bound < n) return;
      console.log(servers.map((x) => x.address().port).join(" "));
      for (const x of servers) x.close();
    });' "$1"
}

is_our_node() { # PID NODE_DIR
  [ -n "$1" ] && ps -ww -o args= -p "$1" 2>/dev/null | grep -qF -- "kafka.Kafka $2/server.properties"
}

write_node_properties() { # NODE_DIR NODE_ID PLAINTEXT_PORT CONTROLLER_PORT DATA_DIR VOTERS SIZE
  local rf=$7
  [ "$rf" -gt 3 ] && rf=3
  local min_isr=$((rf > 1 ? 2 : 1))
  cat >"$1/server.properties" <<EOF
# Written by conformance/real-kafka/kafka.sh start-cluster: node $2 of $7, broker and controller.
process.roles=broker,controller
node.id=$2
# A static quorum of every node: formatted without --standalone.
controller.quorum.voters=$6
listeners=PLAINTEXT://127.0.0.1:$3,CONTROLLER://127.0.0.1:$4
advertised.listeners=PLAINTEXT://127.0.0.1:$3,CONTROLLER://127.0.0.1:$4
inter.broker.listener.name=PLAINTEXT
controller.listener.names=CONTROLLER
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$5/node-$2
num.partitions=1
auto.create.topics.enable=true
# Kafka's defaults (3 replicas, min ISR 2) where the cluster has three nodes or more. The internal
# topics keep few partitions: fifty of them, three replicas each, would slow every start.
offsets.topic.replication.factor=$rf
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=$rf
transaction.state.log.num.partitions=3
transaction.state.log.min.isr=$min_isr
share.coordinator.state.topic.replication.factor=$rf
share.coordinator.state.topic.min.isr=$min_isr
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
num.replica.fetchers=1
log.cleaner.dedupe.buffer.size=16777216
EOF
  if [ -n "${KAFKA_OVERRIDES:-}" ]; then
    printf '# KAFKA_OVERRIDES\n%s\n' "$KAFKA_OVERRIDES" >>"$1/server.properties"
  fi
}

# Starts node K's JVM (its log appended to node-K/broker.log) without waiting.
launch_node() { # K
  local nd="$DIR/node-$1"
  # shellcheck disable=SC2086
  (cd "$nd" && exec setsid "$JAVA" $CLUSTER_JVM_OPTS -Dlog4j2.configurationFile="$HERE/log4j2-broker.properties" \
    -cp "$LIBS/*" kafka.Kafka "$nd/server.properties" >>"$nd/broker.log" 2>&1 </dev/null) &
  echo $! >"$nd/pid"
}

# Waits until every listed node's PLAINTEXT port accepts connections (Kafka opens it once the
# broker is caught up and unfenced). Returns 0, 2 when a node exited because a port was taken,
# 1 otherwise (a node died or the deadline passed).
wait_nodes() { # K...
  local deadline=$((SECONDS + START_TIMEOUT)) k nd pending
  while :; do
    pending=0
    for k in "$@"; do
      nd="$DIR/node-$k"
      port_open "$(cat "$nd/port")" && continue
      pending=1
      if ! kill -0 "$(cat "$nd/pid" 2>/dev/null || echo 0)" 2>/dev/null; then
        if grep -q 'Address already in use' "$nd/broker.log"; then return 2; fi
        log "node $k exited during start; the end of $nd/broker.log:"
        tail -n 40 "$nd/broker.log" >&2
        return 1
      fi
    done
    [ "$pending" = 0 ] && return 0
    if ((SECONDS >= deadline)); then
      log "not every node accepted connections within $START_TIMEOUT s (logs: $DIR/node-*/broker.log)"
      return 1
    fi
    sleep 0.2
  done
}

stop_node_process() { # K
  local nd="$DIR/node-$1" pid i
  pid=$(cat "$nd/pid" 2>/dev/null || true)
  if is_our_node "$pid" "$nd"; then
    # SIGTERM: controlled shutdown, the controller moves this node's leaderships away first.
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 150; i++)); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.2
    done
    if kill -0 "$pid" 2>/dev/null; then
      log "node $1 (pid $pid) still up after 30 s; SIGKILL"
      kill -KILL "$pid" 2>/dev/null || true
    fi
  fi
  rm -f "$nd/pid"
}

cluster_nodes() { # the node ids of the cluster in $DIR
  local n
  n=$(cat "$DIR/size" 2>/dev/null || echo 0)
  if [ "$n" -gt 0 ]; then seq 0 $((n - 1)); fi
}

stop_cluster() {
  [ -d "$DIR" ] || return 0
  local watcher k pids=()
  watcher=$(cat "$DIR/watcher.pid" 2>/dev/null || true)
  if [ -n "$watcher" ] && [ "$watcher" != "$$" ]; then kill "$watcher" 2>/dev/null || true; fi
  rm -f "$DIR/watcher.pid" "$DIR/bootstrap"
  # In parallel: each node waits out its own controlled shutdown.
  for k in $(cluster_nodes); do
    stop_node_process "$k" &
    pids+=($!)
  done
  if [ ${#pids[@]} -gt 0 ]; then wait "${pids[@]}" || true; fi
  rm -f "$DIR/size"
  remove_data_dir
}

# Returns as start_once does.
start_cluster_once() { # N
  local n=$1 cid data voters k t0=$SECONDS list= failed=0 rc=0
  local -a ports fpids=()
  read -r -a ports <<<"$(free_port_list $((2 * n)))" || die "could not pick free ports (is node on PATH?)"
  [ "${#ports[@]}" -eq $((2 * n)) ] || die "could not pick free ports (is node on PATH?)"
  data=$(mktemp -d "${TMPDIR:-/tmp}/kafkalab-kafka.XXXXXX")
  echo "$data" >"$DIR/data-dir"
  voters=
  for ((k = 0; k < n; k++)); do voters="$voters${voters:+,}$k@127.0.0.1:${ports[n + k]}"; done
  cid=$(head -c 16 /dev/urandom | base64 | tr '+/' '-_' | tr -d '=\n')
  for ((k = 0; k < n; k++)); do
    local nd="$DIR/node-$k"
    rm -rf "$nd"
    mkdir -p "$nd"
    echo "${ports[k]}" >"$nd/port"
    echo "${ports[n + k]}" >"$nd/controller-port"
    write_node_properties "$nd" "$k" "${ports[k]}" "${ports[n + k]}" "$data" "$voters" "$n"
    : >"$nd/broker.log"
    # The formats run side by side: one JVM each.
    # shellcheck disable=SC2086
    "$JAVA" $TOOL_JVM_OPTS -Dlog4j2.configurationFile="$HERE/log4j2-tools.properties" -cp "$LIBS/*" \
      kafka.tools.StorageTool format --cluster-id="$cid" -c "$nd/server.properties" >"$nd/format.log" 2>&1 &
    fpids+=($!)
  done
  for k in "${!fpids[@]}"; do wait "${fpids[k]}" || failed=1; done
  cat "$DIR"/node-*/format.log >"$DIR/format.log"
  if [ "$failed" = 1 ]; then
    cat "$DIR/format.log" >&2
    remove_data_dir
    return 1
  fi
  echo "$n" >"$DIR/size"
  for ((k = 0; k < n; k++)); do launch_node "$k"; done
  # shellcheck disable=SC2046
  wait_nodes $(seq 0 $((n - 1))) || rc=$?
  if [ "$rc" -ne 0 ]; then
    for ((k = 0; k < n; k++)); do stop_node_process "$k"; done
    remove_data_dir
    rm -f "$DIR/size"
    return "$rc"
  fi
  for ((k = 0; k < n; k++)); do list="$list${list:+,}127.0.0.1:${ports[k]}"; done
  echo "$list" >"$DIR/bootstrap"
  if [ -n "${KAFKA_WATCH_PID:-}" ]; then
    # A detached watcher: when the watched process is gone, stop the whole cluster.
    setsid bash -c 'while kill -0 "$1" 2>/dev/null; do sleep 1; done
      exec "$2" stop-cluster --dir "$3"' watcher "$KAFKA_WATCH_PID" "$HERE/kafka.sh" "$DIR" \
      >/dev/null 2>&1 </dev/null &
    echo $! >"$DIR/watcher.pid"
  fi
  log "cluster of $n nodes ready on $list (controllers: $voters) in $((SECONDS - t0)) s; logs: $DIR/node-*/broker.log"
  echo "$list"
}

start_cluster() {
  local n=${ARG:-3} attempt rc
  case "$n" in '' | *[!0-9]*) die "start-cluster N: N must be a number of nodes (not '$n')" ;; esac
  { [ "$n" -ge 1 ] && [ "$n" -le 9 ]; } || die "start-cluster N: N must be 1..9 (not $n)"
  if [ -f "$DIR/bootstrap" ] && [ -f "$DIR/size" ]; then
    log "a cluster already runs in $DIR; stop-cluster first"
    cat "$DIR/bootstrap"
    return 0
  fi
  fetch
  mkdir -p "$DIR"
  stop_cluster # whatever a killed run left
  for attempt in 1 2 3; do
    rc=0
    start_cluster_once "$n" || rc=$?
    [ "$rc" -eq 2 ] || return "$rc"
    log "a port was taken before a node bound it (attempt $attempt); trying other ports"
  done
  return 1
}

node_arg() {
  case "${ARG:-}" in '' | *[!0-9]*) die "$cmd K: K must be a node id (not '${ARG:-}')" ;; esac
  [ -d "$DIR/node-$ARG" ] && [ -f "$DIR/size" ] || die "no node $ARG of a running cluster in $DIR"
}

stop_node() {
  node_arg
  stop_node_process "$ARG"
  log "node $ARG stopped (its data kept)"
}

start_node() {
  node_arg
  local nd="$DIR/node-$ARG" t0=$SECONDS
  if is_our_node "$(cat "$nd/pid" 2>/dev/null || true)" "$nd"; then
    log "node $ARG already runs"
    return 0
  fi
  launch_node "$ARG"
  wait_nodes "$ARG" || {
    stop_node_process "$ARG"
    return 1
  }
  log "node $ARG ready on 127.0.0.1:$(cat "$nd/port") in $((SECONDS - t0)) s"
}

cluster_status() {
  local k nd pid
  if [ ! -f "$DIR/size" ]; then
    echo "not running"
    return 3
  fi
  for k in $(cluster_nodes); do
    nd="$DIR/node-$k"
    pid=$(cat "$nd/pid" 2>/dev/null || true)
    if is_our_node "$pid" "$nd"; then echo "$k 127.0.0.1:$(cat "$nd/port") $pid"; else echo "$k 127.0.0.1:$(cat "$nd/port") down"; fi
  done
}

cmd=${1:-}
[ $# -gt 0 ] && shift
DIR=${KAFKA_STATE_DIR:-$CACHE/run}
IF_PID=
ARG=
case "$cmd" in start-cluster | stop-node | start-node)
  if [ $# -gt 0 ] && [ "${1#--}" = "$1" ]; then
    ARG=$1
    shift
  fi
  ;;
esac
if [ "$cmd" != tool ]; then
  while [ $# -gt 0 ]; do
    case "$1" in
    --dir)
      DIR=$2
      shift 2
      ;;
    --if-pid)
      IF_PID=$2
      shift 2
      ;;
    *) die "unknown option $1" ;;
    esac
  done
fi
mkdir -p "$(dirname "$DIR")"
DIR=$(cd "$(dirname "$DIR")" && pwd)/$(basename "$DIR")

case "$cmd" in
fetch) fetch && echo "$LIBS" ;;
start) start ;;
stop) stop ;;
restart) restart ;;
status) status ;;
tool) run_tool "$@" ;;
env) fetch && print_env ;;
start-cluster) start_cluster ;;
stop-cluster) stop_cluster ;;
stop-node) stop_node ;;
start-node) start_node ;;
cluster-status) cluster_status ;;
*) die "usage: kafka.sh fetch | start [--dir DIR] | stop [--dir DIR] | restart [--dir DIR] | status [--dir DIR] | tool NAME ARGS... | env | start-cluster N | stop-cluster | stop-node K | start-node K | cluster-status [--dir DIR]" ;;
esac
