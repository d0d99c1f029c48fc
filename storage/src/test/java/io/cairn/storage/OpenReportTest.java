package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * What the manager reports about how it found a data directory (new, clean, unclean) and what
 * recovery scanned: operators and the whole-system recovery suites read these lines.
 */
class OpenReportTest {
    @TempDir
    Path dataDir;

    private static final LogConfig SMALL = LogConfig.builder().segmentBytes(2048).indexIntervalBytes(200)
        .segmentIndexBytes(1024).fileDeleteDelayMs(0).build();

    private final MutableClock clock = new MutableClock(1_700_000_000_000L);
    private final TestBatches batches = new TestBatches();
    private final Random random = new Random(5);
    private final List<LogManager> managers = new ArrayList<>();
    private final ListAppender<ILoggingEvent> lines = new ListAppender<>();
    private final List<Logger> loggers = List.of((Logger) LoggerFactory.getLogger(LogManager.class),
        (Logger) LoggerFactory.getLogger(LogLoader.class));
    private final List<Level> savedLevels = new ArrayList<>();

    @BeforeEach
    void capture() {
        lines.start();
        for (Logger logger : loggers) {
            savedLevels.add(logger.getLevel());
            logger.setLevel(Level.INFO);
            logger.addAppender(lines);
        }
    }

    @AfterEach
    void release() {
        managers.forEach(LogManager::close);
        for (int i = 0; i < loggers.size(); i++) {
            loggers.get(i).detachAppender(lines);
            loggers.get(i).setLevel(savedLevels.get(i));
        }
    }

    private LogManager open() {
        lines.list.clear();
        LogManager m = LogManager.open(dataDir, LogManagerConfig.builder().clock(clock).defaultLogConfig(SMALL).build());
        managers.add(m);
        return m;
    }

    private List<String> messages() {
        return lines.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    private void fill(Log log, int count) {
        for (int i = 0; i < count; i++) {
            log.append(batches.batch(random, 1 + random.nextInt(4), random.nextInt(100), clock.millis()), 0);
        }
    }

    /** Regression: a brand-new empty data directory was reported as an unclean shutdown. */
    @Test
    void newDirectoryIsNotReportedAsUncleanShutdown() {
        open();
        assertThat(messages()).anyMatch(m -> m.startsWith("opened 0 logs") && m.contains("(0 offline, new data directory)"))
            .noneMatch(m -> m.contains("unclean"));
    }

    @Test
    void cleanReopenScansNothing() {
        LogManager m = open();
        fill(m.getOrCreateLog(new TopicPartition("t", 0), SMALL), 30);
        m.close();
        managers.remove(m);
        open();
        assertThat(messages()).anyMatch(l -> l.contains("(0 offline, clean shutdown)"))
            .noneMatch(l -> l.contains("recovered from recovery point"));
    }

    @Test
    void uncleanReopenReportsTheBytesScannedFromTheSegmentHoldingTheRecoveryPoint() throws IOException {
        LogManager m = open();
        TopicPartition tp = new TopicPartition("t", 0);
        Log log = m.getOrCreateLog(tp, SMALL);
        fill(log, 60);
        long recoveryPoint = log.flush();
        m.checkpoint();
        fill(log, 60);
        List<LogSegment> segments = log.segmentsSnapshot();
        long expected = 0;
        long firstBase = -1;
        for (int i = 0; i < segments.size(); i++) {
            boolean whollyBelow = i + 1 < segments.size() && segments.get(i + 1).baseOffset() <= recoveryPoint;
            if (!whollyBelow) {
                firstBase = firstBase < 0 ? segments.get(i).baseOffset() : firstBase;
                expected += segments.get(i).size();
            }
        }
        assertThat(segments.size()).as("several segments, some wholly below the recovery point").isGreaterThan(3);
        assertThat(firstBase).isGreaterThan(0);
        IndexChecks.crash(log);
        managers.remove(m);
        m.halt();

        open();
        String from = " from offset " + firstBase + " in ";
        String line = "t-0: recovered from recovery point " + recoveryPoint + ": scanned " + expected + " bytes in ";
        assertThat(messages()).anyMatch(l -> l.contains("(0 offline, unclean shutdown)"))
            .anyMatch(l -> l.startsWith(line) && l.contains(from));
    }
}
