package io.cairn.protocol.fuzz;

import java.lang.management.ManagementFactory;
import java.time.Duration;

/**
 * The limits every fuzz target holds one untrusted input to: it is handled within
 * {@link #MAX_TIME} of the thread's CPU time (CPU rather than wall time, so that a loaded
 * machine does not fail the bound; a decoder loop sized by a claimed length breaks it all the
 * same) and allocates at most {@link #FIXED_BYTES} plus {@link #BYTES_PER_INPUT_BYTE}
 * per input byte on the heap. An allocation sized by a length field instead of by the bytes that
 * arrived (the way to an OutOfMemoryError) breaks the second bound long before it breaks the heap.
 *
 * <p>Stateless; measures the calling thread only.
 */
public final class InputBudget {
    /** Longest any one input may take, whatever it claims. */
    public static final Duration MAX_TIME = Duration.ofSeconds(1);
    /**
     * Heap a decode may use whatever the input: decompression buffers grow to the cap the targets
     * set (1 MiB, doubling from 4 KiB, so about 2 MiB in all), exceptions carry stack traces.
     */
    public static final long FIXED_BYTES = 4L << 20;
    /** Decoded Java objects cost more than their wire bytes (boxed ints, records, lists, strings). */
    public static final long BYTES_PER_INPUT_BYTE = 64;

    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private InputBudget() {
    }

    /** Runs {@code body} on one input of {@code inputLength} bytes and fails if it broke a bound. */
    public static void run(String what, int inputLength, Runnable body) {
        long allocatedBefore = THREADS.getCurrentThreadAllocatedBytes();
        long start = THREADS.getCurrentThreadCpuTime();
        body.run();
        long elapsedNanos = THREADS.getCurrentThreadCpuTime() - start;
        long allocated = THREADS.getCurrentThreadAllocatedBytes() - allocatedBefore;
        if (elapsedNanos > MAX_TIME.toNanos()) {
            throw new AssertionError(what + ": a " + inputLength + "-byte input took " + elapsedNanos / 1_000_000
                    + " ms of CPU (limit " + MAX_TIME.toMillis() + " ms)");
        }
        long allowed = FIXED_BYTES + BYTES_PER_INPUT_BYTE * inputLength;
        if (allocated > allowed) {
            throw new AssertionError(what + ": a " + inputLength + "-byte input allocated " + allocated
                    + " bytes (limit " + allowed + ")");
        }
    }
}
