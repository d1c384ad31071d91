#!/usr/bin/env bash
# Builds and runs the codec oracle (KafkaOracle.java against Apache Kafka's kafka-clients jar).
#
#   oracle.sh build        fetch both pins' jars (Maven), extract their message JSON, compile once;
#                          prints one line per pin: "<version> <classpath> <spec dir>"
#   oracle.sh run <pin>    start the oracle on that pin's classpath (JSON lines on stdin/stdout)
#
# Idempotent: a second build does no network and no compile (about 0.1 s). Everything lands in
# target/ (git-ignored): these are Apache Kafka's files, never committed.
#
# Pins: 3.9.1 still carries the protocol versions that Kafka 4.0 removed (KIP-896); 4.1.1 is the
# project's 4.x pin (also the real broker's). Jackson is not declared by kafka-clients' POM (Kafka
# compiles against it "compileOnly"), so pom.xml adds jackson-databind 2.16.2, the version 3.9 ships.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
T="$HERE/target"
PINS="3.9.1 4.1.1"

need() {
  command -v "$1" >/dev/null 2>&1 || { echo "oracle: '$1' not found; install Java 17 (JDK) and Maven 3.8+" >&2; exit 127; }
}

fetch() { # <pin>
  local pin=$1 lib="$T/kafka-$1/lib" spec="$T/kafka-$1/spec"
  if [ ! -f "$lib/kafka-clients-$pin.jar" ]; then
    need mvn
    rm -rf "$lib"
    (cd "$HERE" && mvn -q -B -Dstyle.color=never dependency:copy-dependencies -Dkafka.version="$pin" -DoutputDirectory="$lib" >&2)
  fi
  if [ ! -f "$spec/.done" ]; then
    rm -rf "$spec" && mkdir -p "$spec"
    (cd "$spec" && jar xf "$lib/kafka-clients-$pin.jar" common/message)
    touch "$spec/.done"
  fi
}

compile() {
  local classes="$T/classes" src="$HERE/src/KafkaOracle.java"
  if [ ! -f "$classes/KafkaOracle.class" ] || [ "$src" -nt "$classes/KafkaOracle.class" ]; then
    need javac
    rm -rf "$classes" && mkdir -p "$classes"
    # Compiled against the oldest pin; it only uses API present in every pin.
    javac -nowarn -d "$classes" -cp "$T/kafka-3.9.1/lib/*" "$src" >&2
  fi
}

case "${1:-}" in
  build)
    need java
    # Test files run in parallel workers and may all build at once on a fresh machine.
    mkdir -p "$T" && exec 9>"$T/.build.lock" && flock 9
    for pin in $PINS; do fetch "$pin"; done
    compile
    for pin in $PINS; do echo "$pin $T/classes:$T/kafka-$pin/lib/* $T/kafka-$pin/spec/common/message"; done
    ;;
  run)
    pin=${2:?usage: oracle.sh run <pin>}
    [ -f "$T/classes/KafkaOracle.class" ] && [ -f "$T/kafka-$pin/lib/kafka-clients-$pin.jar" ] || "$0" build >/dev/null
    exec java -Xmx512m -XX:+UseSerialGC -Xss4m -cp "$T/classes:$T/kafka-$pin/lib/*" KafkaOracle
    ;;
  *)
    echo "usage: $0 build | run <pin>" >&2
    exit 2
    ;;
esac
