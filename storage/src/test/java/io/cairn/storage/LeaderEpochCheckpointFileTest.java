package io.cairn.storage;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LeaderEpochCheckpointFileTest {
    private static final LeaderEpochs EPOCHS = new LeaderEpochs(new int[] {0, 3, 12}, new long[] {0, 1500, 9_000_000_000L});

    @TempDir
    Path dir;

    private LeaderEpochCheckpointFile file() {
        return new LeaderEpochCheckpointFile(LogTestSupport.TP, dir, FileChannelFactory.DEFAULT);
    }

    @Test
    void roundTripsAndIsHumanReadable() throws IOException {
        assertThat(file().read()).as("missing").isNull();
        file().write(EPOCHS);
        assertThat(file().read()).isEqualTo(EPOCHS);
        assertThat(Files.readString(dir.resolve("leader-epoch-checkpoint")))
            .startsWith("1\n3\n0 0\n3 1500\n12 9000000000\ncrc32c ");
        assertThat(Files.exists(dir.resolve("leader-epoch-checkpoint.tmp"))).isFalse();
        file().write(LeaderEpochs.EMPTY);
        assertThat(file().read()).isEqualTo(LeaderEpochs.EMPTY);
    }

    @Test
    void everyTornOrAlteredVersionIsNotTrusted() throws IOException {
        file().write(EPOCHS);
        Path path = file().file();
        byte[] good = Files.readAllBytes(path);
        for (int cut = 0; cut < good.length; cut++) {
            byte[] torn = new byte[cut];
            System.arraycopy(good, 0, torn, 0, cut);
            Files.write(path, torn);
            assertThat(file().read()).as("file cut at %d", cut).isNull();
        }
        for (int i = 0; i < good.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] altered = good.clone();
                altered[i] ^= (byte) (1 << bit);
                Files.write(path, altered);
                assertThat(file().read()).as("bit %d of byte %d flipped", bit, i).isNull();
            }
        }
        Files.write(path, "garbage\u0000\u00ff\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(file().read()).isNull();
        Files.write(path, good);
        assertThat(file().read()).isEqualTo(EPOCHS);
    }

    /** Well-formed lines with a valid checksum that still break a rule of the format or of epochs. */
    @Test
    void aValidChecksumOverBrokenContentIsNotTrusted() throws IOException {
        assertThat(withChecksum("1\n1\n0 0\n")).isEqualTo(new LeaderEpochs(new int[] {0}, new long[] {0}));
        assertThat(withChecksum("0\n1\n0 0\n")).as("Kafka's version 0 without checksum semantics").isNull();
        assertThat(withChecksum("1\n2\n0 0\n")).as("count above lines").isNull();
        assertThat(withChecksum("1\n1\n0 0\n1 5\n")).as("count below lines").isNull();
        assertThat(withChecksum("1\n1\n0 0 7\n")).as("three fields").isNull();
        assertThat(withChecksum("1\n1\n0\n")).as("one field").isNull();
        assertThat(withChecksum("1\n1\n-1 0\n")).as("negative epoch").isNull();
        assertThat(withChecksum("1\n1\n0 -4\n")).as("negative offset").isNull();
        assertThat(withChecksum("1\n2\n3 0\n2 10\n")).as("falling epoch").isNull();
        assertThat(withChecksum("1\n2\n0 10\n1 10\n")).as("same start offset").isNull();
        assertThat(withChecksum("1\n1\n0 x\n")).as("not a number").isNull();
        assertThat(withChecksum("1\n1\n0  0\n")).as("two spaces").isNull();
    }

    private LeaderEpochs withChecksum(String body) throws IOException {
        CRC32C crc = new CRC32C();
        crc.update(body.getBytes(StandardCharsets.UTF_8));
        Files.writeString(file().file(), body + "crc32c " + Long.toHexString(crc.getValue()) + "\n");
        return file().read();
    }
}
