#!/usr/bin/env bash
# Cairn vs Apache Kafka on this machine, in one run: builds what it needs, starts one broker of
# each on 127.0.0.1 with its own temp data dir and the same heap, runs identical workloads with
# each system's own Java client, alternating the systems, and prints a table per workload plus a
# last line `ratios: name=x ...`. Results go to bench/results/<timestamp>.md (and .json).
#
#   bench/vs-kafka.sh [--quick] [--reps N] [--only w1,w2] [--partitions 1,8] [--update-docs]
#                     [--skip-build] [--keep-data] [--tmp-dir DIR] [--systems kafka,cairn]
#
# --quick is a smoke run (tiny counts, one repetition, ~3-5 min); without it the full benchmark
# takes ~20-30 min and should run on an otherwise quiet machine. See docs/benchmarks.md.
set -euo pipefail

HERE="$(cd "$(dirname "$0")" && pwd)"
REPO="$(cd "$HERE/.." && pwd)"
WORK="$HERE/work"
mkdir -p "$WORK"

skip_build=false
for arg in "$@"; do
  [[ "$arg" == "--skip-build" ]] && skip_build=true
done
args=()
for arg in "$@"; do
  [[ "$arg" != "--skip-build" ]] && args+=("$arg")
done

PID_FILE="$WORK/brokers.$$.pids"
: >"$PID_FILE"

# Whatever happens (failure, Ctrl-C, kill), no broker outlives the run: the harness stops them
# itself; this catches any pid it could not reach.
cleanup() {
  local rc=$?
  if [[ -s "$PID_FILE" ]]; then
    while read -r pid; do
      [[ -n "$pid" ]] || continue
      if kill -0 "$pid" 2>/dev/null; then
        echo "vs-kafka: stopping leftover broker pid $pid" >&2
        kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
        for _ in $(seq 1 150); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
        kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
      fi
    done <"$PID_FILE"
  fi
  rm -f "$PID_FILE"
  exit "$rc"
}
trap cleanup EXIT
trap 'exit 130' INT TERM   # until the harness runs; then signals are forwarded to it

for tool in java javac mvn python3; do
  command -v "$tool" >/dev/null || { echo "vs-kafka: $tool not found on PATH" >&2; exit 1; }
done

if ! $skip_build; then
  echo "vs-kafka: building Cairn (mvn package -DskipTests)" >&2
  (cd "$REPO" && timeout 1800 mvn -B -q package -DskipTests)
fi

# Apache Kafka from Maven Central: the broker and the perf tools, each on its own classpath.
if ! $skip_build || [[ ! -d "$WORK/kafka-broker-lib" || ! -d "$WORK/kafka-tools-lib" ]]; then
  for profile in broker tools; do
    if [[ ! -f "$WORK/kafka-$profile-lib/.complete" ]]; then
      echo "vs-kafka: resolving Apache Kafka ($profile classpath)" >&2
      rm -rf "$WORK/kafka-$profile-lib"
      timeout 1800 mvn -B -q -f "$HERE/kafka/pom.xml" "-P$profile" package
      touch "$WORK/kafka-$profile-lib/.complete"
    fi
  done
fi

# The two Kafka-side helpers (fixed-rate e2e latency, batch topic admin), compiled against the tools classpath.
classes="$WORK/kafka-bench-classes"
if [[ ! -d "$classes" ]] || [[ -n "$(find "$HERE/kafka/src" -newer "$classes" -name '*.java' -print -quit)" ]]; then
  rm -rf "$classes"
  mkdir -p "$classes"
  javac -Xlint:all -Werror -d "$classes" -cp "$WORK/kafka-tools-lib/*" $(find "$HERE/kafka/src" -name '*.java')
fi

if [[ ! -x "$REPO/bin/cairn" ]]; then
  echo "vs-kafka: $REPO/bin/cairn not found (the Cairn CLI); run with --systems kafka to measure Kafka alone" >&2
fi

# A whole-run bound on top of the per-step timeouts inside: on expiry the harness gets SIGTERM,
# stops both brokers and exits.
budget=90m
for arg in "$@"; do [[ "$arg" == "--quick" ]] && budget=20m; done
# It runs in the background so that Ctrl-C or a TERM to this script reaches it as a TERM.
timeout --foreground --kill-after=120 "$budget" \
  python3 "$HERE/lib/vs_kafka.py" --pid-file "$PID_FILE" ${args[@]+"${args[@]}"} &
child=$!
trap 'kill -TERM "$child" 2>/dev/null || true' INT TERM
rc=0
while true; do
  wait "$child" && rc=0 || rc=$?
  kill -0 "$child" 2>/dev/null || break   # a trapped signal interrupted wait: wait for the harness to stop
done
exit "$rc"
