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
 * batch, no fsync, default segment and index settings. Each iteration starts a fresh log and
 * writes at most about 1 GiB (the size {@code dd} writes for comparison) before it ends.
 * Throughput in ops/s; MB/s = ops/s × 16 KiB.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 8, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class AppendBenchmark {
    static final int BATCH_BYTES = 16 * 1024;

    private Path dataDir;
    private Log log;
    private ByteBuffer batch;

    @Setup(Level.Trial)
    public void prepare() {
        batch = BenchLogs.batch(BATCH_BYTES, 16, System.currentTimeMillis());
    }

    @Setup(Level.Iteration)
    public void openLog() throws IOException {
        dataDir = BenchLogs.tempDir();
        log = BenchLogs.open(dataDir, LogConfig.defaults());
    }

    @TearDown(Level.Iteration)
    public void dropLog() {
        log.close();
        FileUtil.deleteRecursively(dataDir);
    }

    @Benchmark
    public long append16KiB() {
        return log.append(batch, 0).lastOffset();
    }
}
