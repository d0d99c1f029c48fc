package io.cairn.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Lookups at random offsets in 1 GiB of log (4 segments of 256 MiB, default index interval),
 * with batches of {@code batchBytes} holding 10 records each:
 * <ul>
 *   <li>{@code indexLookup}: the binary search of one segment's offset index alone;</li>
 *   <li>{@code offsetLookup}: offset to the position of its batch — floor search over segments,
 *       index search, header scan (the "offset lookup");</li>
 *   <li>{@code readSlice}: a whole {@link Log#read} of up to 1 MiB returning the zero-copy slice.</li>
 * </ul>
 * Average time per lookup; the files stay in the page cache (the fetch path of a consumer that
 * keeps up).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class ReadBenchmark {
    static final long LOG_BYTES = 1L << 30;

    @Param({"1024", "16384"})
    public int batchBytes;

    private Path dataDir;
    private Log log;
    private LogSegment middle;
    private long middleSpan;
    private long[] offsets;
    private int next;

    @Setup(Level.Trial)
    public void fill() throws IOException {
        dataDir = BenchLogs.tempDir();
        log = BenchLogs.open(dataDir, LogConfig.builder().segmentBytes(256 * 1024 * 1024).build());
        ByteBuffer batch = BenchLogs.batch(batchBytes, 10, System.currentTimeMillis());
        while (log.sizeInBytes() < LOG_BYTES) {
            log.append(batch, 0);
        }
        middle = log.segmentsSnapshot().get(1);
        middleSpan = log.segmentsSnapshot().get(2).baseOffset() - middle.baseOffset();
        Random random = new Random(1);
        offsets = new long[1 << 16];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = (long) (random.nextDouble() * log.logEndOffset());
        }
    }

    @TearDown(Level.Trial)
    public void drop() {
        log.close();
        FileUtil.deleteRecursively(dataDir);
    }

    private long nextOffset() {
        return offsets[next++ & (offsets.length - 1)];
    }

    @Benchmark
    public int indexLookup() {
        return middle.offsetIndex().floorPosition(middle.baseOffset() + Math.floorMod(nextOffset(), middleSpan));
    }

    @Benchmark
    public int offsetLookup() throws IOException {
        long offset = nextOffset();
        LogSegment segment = log.segmentFor(offset);
        return segment.findBatchPosition(offset, segment.size(), BatchHeaderReader.forThread());
    }

    @Benchmark
    public int readSlice() {
        return log.read(nextOffset(), 1 << 20, Long.MAX_VALUE).sizeInBytes();
    }
}
