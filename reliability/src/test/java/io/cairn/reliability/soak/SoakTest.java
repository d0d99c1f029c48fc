package io.cairn.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The bounded soak run by {@code mvn verify}: about 32 s of mixed producers and a three-member
 * group over 60 partitions under size and age retention and compaction (see
 * {@link SoakSettings#bounded()}), then every record accounted for. The long version is
 * {@link LongSoakTest}, run by {@code reliability/soak.sh}.
 */
class SoakTest {
    @TempDir
    Path dataDir;

    @Test
    void boundedSoakLosesNothingDuplicatesNothingAndStaysLevel() throws Exception {
        assumeThat(ProcessProbe.supported()).as("needs /proc (Linux)").isTrue();
        SoakSummary summary = new SoakRun(SoakSettings.bounded(), dataDir).run();
        System.out.println(summary.text());
        summary.writeTo(Path.of("target", "soak-summary.txt"));

        assertThat(summary.failures()).as(summary.text()).isEmpty();
        assertThat(summary.retained().acked()).as("records produced to the retained topics").isGreaterThan(10_000);
        assertThat(summary.retained().lost()).isZero();
        assertThat(summary.retained().duplicates()).isZero();
    }
}
