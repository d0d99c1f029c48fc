package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Append of 16 KiB batches (16 records of ~1 KiB) to the page cache: one {@link Log#append} per
 * batch, no fsync, default segment and index settings; each iteration starts a fresh log.
 * <ul>
 *   <li>{@code append16KiB}: throughput in ops/s over 500 ms iterations; MB/s = ops/s × 16 KiB;</li>
 *   <li>{@code append1GiB}: the time to append exactly 1 GiB (65,536 batches) into a fresh log,
 *       the same work {@code dd if=/dev/zero of=... bs=1M count=1024} does, measured the same way;</li>
 *   <li>{@code append64x16KiB}: appends of one buffer holding 64 such batches (a produce request
 *       carrying many batches for the partition): one write per MiB; MB/s = ops/s × 1 MiB;</li>
 *   <li>{@code append1GiBAs64x16KiB}: 1 GiB in such 1 MiB appends, timed like {@code append1GiB}.</li>
 * </ul>
 * Batches are exactly 16,384 bytes. Unaligned sizes are slower on Linux page cache writes (a
 * partly filled page per write): see docs/benchmarks.md.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class AppendBenchmark {
    static final int BATCH_BYTES = 16 * 1024;
    static final int GIB_BATCHES = (1 << 30) / BATCH_BYTES;

    private Path dataDir;
    private Log log;
    private ByteBuffer batch;
    private ByteBuffer sixtyFour;

    @Setup(Level.Trial)
    public void prepare() {
        batch = BenchLogs.batch(BATCH_BYTES, 16, System.currentTimeMillis());
        sixtyFour = ByteBuffer.allocateDirect(64 * BATCH_BYTES);
        for (int i = 0; i < 64; i++) {
            sixtyFour.put(batch.duplicate());
        }
        sixtyFour.flip();
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        dataDir = BenchLogs.tempDir();
        log = BenchLogs.open(dataDir, LogConfig.defaults());
    }

    @TearDown(Level.Iteration)
    public void dropLog() throws IOException, InterruptedException {
        log.close();
        FileUtil.deleteRecursively(dataDir);
        BenchLogs.settle();
    }

    @Benchmark
    public long append16KiB() {
        return log.append(batch, 0).lastOffset();
    }

    @Benchmark
    public long append64x16KiB() {
        return log.append(sixtyFour, 0).lastOffset();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, batchSize = GIB_BATCHES)
    @Measurement(iterations = 6, batchSize = GIB_BATCHES)
    public long append1GiB() {
        return log.append(batch, 0).lastOffset();
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    @Warmup(iterations = 2, batchSize = GIB_BATCHES / 64)
    @Measurement(iterations = 6, batchSize = GIB_BATCHES / 64)
    public long append1GiBAs64x16KiB() {
        return log.append(sixtyFour, 0).lastOffset();
    }
}
