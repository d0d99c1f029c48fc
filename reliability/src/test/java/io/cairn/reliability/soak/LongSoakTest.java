package io.cairn.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The long soak: {@link SoakSettings#forMinutes} with the minutes from the system property
 * {@code soak.minutes} (default 15), data in a fresh directory {@code target/soak-data-*} (deleted
 * afterwards), summary in {@code soak.summary} (default {@code target/soak-summary.txt}).
 * Tagged {@code soak}, so {@code mvn verify} skips it; {@code reliability/soak.sh --minutes N} runs it.
 */
@Tag("soak")
class LongSoakTest {
    @Test
    void longSoakLosesNothingDuplicatesNothingAndStaysLevel() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("soak.minutes", "15"));
        Path dataDir = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "soak-data-");
        SoakSummary summary;
        try {
            summary = new SoakRun(SoakSettings.forMinutes(minutes), dataDir).run();
        } finally {
            deleteRecursively(dataDir);
        }
        System.out.println(summary.text());
        summary.writeTo(Path.of(System.getProperty("soak.summary", "target/soak-summary.txt")));

        assertThat(summary.failures()).as(summary.text()).isEmpty();
    }

    private static void deleteRecursively(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
