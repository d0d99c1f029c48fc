package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OffsetCheckpointFileTest {
    @TempDir
    Path dir;

    private final Map<TopicPartition, Long> offsets = Map.of(
        new TopicPartition("orders", 0), 1234L,
        new TopicPartition("orders", 11), 0L,
        new TopicPartition("a.b-c_d", 2), Long.MAX_VALUE);

    @Test
    void roundTripsAndIsHumanReadable() throws IOException {
        OffsetCheckpointFile file = new OffsetCheckpointFile(dir.resolve("cp"), FileChannelFactory.DEFAULT);
        assertThat(file.read()).isEmpty();
        file.write(offsets);
        assertThat(file.read()).isEqualTo(offsets);
        String text = Files.readString(dir.resolve("cp"));
        assertThat(text).startsWith("1\n3\na.b-c_d 2 " + Long.MAX_VALUE + "\norders 0 1234\norders 11 0\ncrc32c ");
        assertThat(Files.exists(dir.resolve("cp.tmp"))).isFalse();
        file.write(Map.of());
        assertThat(file.read()).isEmpty();
    }

    @Test
    void everyTornOrAlteredVersionReadsAsEmpty() throws IOException {
        Path path = dir.resolve("cp");
        OffsetCheckpointFile file = new OffsetCheckpointFile(path, FileChannelFactory.DEFAULT);
        file.write(offsets);
        byte[] good = Files.readAllBytes(path);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] torn = new byte[cut];
            System.arraycopy(good, 0, torn, 0, cut);
            Files.write(path, torn);
            assertThat(file.read()).as("file cut at %d", cut).isEmpty();
        }
        for (int i = 0; i < good.length; i++) {
            byte[] altered = good.clone();
            altered[i] = (byte) (altered[i] == '7' ? '8' : '7');
            Files.write(path, altered);
            assertThat(file.read()).as("byte %d altered", i).isEmpty();
        }
        Files.write(path, good);
        assertThat(file.read()).isEqualTo(offsets);
    }

    @Test
    void wrongCountIsRejectedEvenWithAValidChecksum() throws IOException {
        Path path = dir.resolve("cp");
        String body = "1\n2\norders 0 5\n";
        java.util.zip.CRC32C crc = new java.util.zip.CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Files.writeString(path, body + "crc32c " + Long.toHexString(crc.getValue()) + "\n");
        assertThat(new OffsetCheckpointFile(path, FileChannelFactory.DEFAULT).read()).isEmpty();
        Map<TopicPartition, Long> expected = new HashMap<>();
        expected.put(new TopicPartition("orders", 0), 5L);
        String ok = "1\n1\norders 0 5\n";
        crc.reset();
        crc.update(ok.getBytes(StandardCharsets.UTF_8));
        Files.writeString(path, ok + "crc32c " + Long.toHexString(crc.getValue()) + "\n");
        assertThat(new OffsetCheckpointFile(path, FileChannelFactory.DEFAULT).read()).isEqualTo(expected);
    }
}
