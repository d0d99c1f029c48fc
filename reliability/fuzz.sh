#!/usr/bin/env bash
# Coverage-guided fuzzing of Cairn's decoders with Jazzer (scenario 13 in docs/reliability.md).
#
#   reliability/fuzz.sh [--minutes N] [--target NAME]
#
# Fuzzes each @FuzzTest target of the protocol module for N minutes (default 3): the frame
# reader, every request decoder, the record-batch validator/cursor and the decompression codecs.
# In `mvn verify` the same targets only replay their committed seeds (regression mode).
#
# Properties checked on every input: no exception but the defined decode exceptions, heap
# allocation bounded by the input's size (not by what its length fields claim), under 1 s per
# input. A finding is written by Jazzer next to the seeds
# (protocol/src/test/resources/<package>/<Class>Inputs/<method>/crash-*), where it becomes a
# regression test in `mvn verify` once committed; the corpus Jazzer grows stays in
# protocol/.cifuzz-corpus (not committed). Exit status: 0 if no target found anything.
# Extra Maven flags (e.g. -o for offline) come from $MVN_FLAGS.
set -euo pipefail

minutes=3
only=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --minutes) minutes="${2:?--minutes needs a number}"; shift 2 ;;
        --target) only="${2:?--target needs a name}"; shift 2 ;;
        -h|--help) sed -n '2,17p' "$0" | sed 's/^# \{0,1\}//'; exit 0 ;;
        *) echo "fuzz.sh: unknown option '$1' (expected --minutes N or --target NAME)" >&2; exit 2 ;;
    esac
done
if ! [[ "$minutes" =~ ^[1-9][0-9]*$ ]]; then
    echo "fuzz.sh: --minutes must be a positive whole number, got '$minutes'" >&2
    exit 2
fi

cd "$(dirname "$0")/.."
targets=(
    io.cairn.protocol.wire.FrameReaderFuzzTest#framesAreCutOrRefusedNeverMisread
    io.cairn.protocol.message.RequestDecoderFuzzTest#everyRequestBodyDecodesOrIsRefused
    io.cairn.protocol.message.RequestDecoderFuzzTest#anyFrameValueDecodesOrIsRefused
    io.cairn.protocol.record.RecordBatchFuzzTest#anyBytesValidateOrAreRefused
    io.cairn.protocol.record.RecordBatchFuzzTest#batchesWithAValidCrcValidateOrAreRefused
    io.cairn.protocol.record.RecordBatchFuzzTest#compressedStreamsDecompressOrAreRefused
)
logs=reliability/target/fuzz
mkdir -p "$logs"

# Compile once; each target then runs in its own JVM (Jazzer fuzzes one target per run).
mvn -B -q ${MVN_FLAGS:-} test-compile -pl protocol

failed=0
printf '%-75s %8s %10s %8s %s\n' target runs exec/s cov result
for target in "${targets[@]}"; do
    if [[ -n "$only" && "$target" != *"$only"* ]]; then
        continue
    fi
    log="$logs/${target##*.}.log"
    status=ok
    if ! JAZZER_FUZZ=1 JAZZER_MAX_DURATION="${minutes}m" JAZZER_INSTRUMENT='io.cairn.**' \
            mvn -B ${MVN_FLAGS:-} surefire:test -pl protocol -Djazzer.hooks=true -Dtest="$target" -Dsurefire.failIfNoSpecifiedTests=false \
            >"$log" 2>&1; then
        status="FINDING (see $log)"
        failed=1
    fi
    done_line=$(grep -E '^#[0-9]+[[:space:]]+DONE' "$log" | tail -1 || true)
    last=$(grep -E '^#[0-9]+[[:space:]]' "$log" | tail -1 || true)
    line=${done_line:-$last}
    runs=$(sed -E 's/^#([0-9]+).*/\1/' <<<"$line")
    cov=$(grep -oE 'cov: [0-9]+' <<<"$line" | awk '{print $2}' || true)
    execs=$(grep -oE 'exec/s: [0-9]+' <<<"$line" | awk '{print $2}' || true)
    printf '%-75s %8s %10s %8s %s\n' "${target#io.cairn.protocol.}" "${runs:-?}" "${execs:-?}" "${cov:-?}" "$status"
done
exit "$failed"
