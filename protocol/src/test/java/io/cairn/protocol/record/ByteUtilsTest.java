package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.util.Arrays;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ByteUtilsTest {

    @ParameterizedTest(name = "varint {0} = {1}")
    @CsvSource({
            "0, 00",
            "-1, 01",
            "1, 02",
            "-2, 03",
            "63, 7e",
            "-64, 7f",
            "64, 8001",
            "-65, 8101",
            "300, d804",
            "2147483647, feffffff0f",
            "-2147483648, ffffffff0f",
    })
    void varintMatchesKnownZigZagEncodings(int value, String hex) {
        byte[] expected = hex(hex);
        ByteBuffer buffer = ByteBuffer.allocate(8);
        ByteUtils.writeVarint(value, buffer);
        assertThat(Arrays.copyOf(buffer.array(), buffer.position())).isEqualTo(expected);
        assertThat(ByteUtils.sizeOfVarint(value)).isEqualTo(expected.length);
        assertThat(ByteUtils.readVarint(ByteBuffer.wrap(expected))).isEqualTo(value);
    }

    @ParameterizedTest(name = "varlong {0} = {1}")
    @CsvSource({
            "0, 00",
            "-1, 01",
            "1, 02",
            "5, 0a",
            "2147483647, feffffff0f",
            "2147483648, 8080808010",
            "9223372036854775807, feffffffffffffffff01",
            "-9223372036854775808, ffffffffffffffffff01",
    })
    void varlongMatchesKnownZigZagEncodings(long value, String hex) {
        byte[] expected = hex(hex);
        ByteBuffer buffer = ByteBuffer.allocate(16);
        ByteUtils.writeVarlong(value, buffer);
        assertThat(Arrays.copyOf(buffer.array(), buffer.position())).isEqualTo(expected);
        assertThat(ByteUtils.sizeOfVarlong(value)).isEqualTo(expected.length);
        assertThat(ByteUtils.readVarlong(ByteBuffer.wrap(expected))).isEqualTo(value);
    }

    @Test
    void extremeValuesTakeTheLongestEncodings() {
        assertThat(ByteUtils.sizeOfVarint(Integer.MAX_VALUE)).isEqualTo(ByteUtils.MAX_VARINT_SIZE);
        assertThat(ByteUtils.sizeOfVarint(Integer.MIN_VALUE)).isEqualTo(ByteUtils.MAX_VARINT_SIZE);
        assertThat(ByteUtils.sizeOfVarlong(Long.MAX_VALUE)).isEqualTo(ByteUtils.MAX_VARLONG_SIZE);
        assertThat(ByteUtils.sizeOfVarlong(Long.MIN_VALUE)).isEqualTo(ByteUtils.MAX_VARLONG_SIZE);
        assertThat(ByteUtils.sizeOfUnsignedVarint(0)).isEqualTo(1);
        assertThat(ByteUtils.sizeOfUnsignedVarint(-1)).isEqualTo(5);
    }

    @Test
    void rejectsVarintsLongerThanFiveBytes() {
        assertThatThrownBy(() -> ByteUtils.readVarint(ByteBuffer.wrap(hex("ffffffffff01"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("varint");
        // Five bytes but bits beyond 32 in the last one.
        assertThatThrownBy(() -> ByteUtils.readVarint(ByteBuffer.wrap(hex("ffffffff1f"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsVarlongsLongerThanTenBytes() {
        assertThatThrownBy(() -> ByteUtils.readVarlong(ByteBuffer.wrap(hex("ffffffffffffffffff8101"))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("varlong");
        assertThatThrownBy(() -> ByteUtils.readVarlong(ByteBuffer.wrap(hex("ffffffffffffffffff02"))))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsNonCanonicalButBoundedEncodings() {
        // 0 padded to two bytes is still a valid varint (Kafka reads it the same way).
        assertThat(ByteUtils.readVarint(ByteBuffer.wrap(hex("8000")))).isZero();
    }

    @Property
    void varintRoundTrips(@ForAll int value) {
        ByteBuffer buffer = ByteBuffer.allocate(ByteUtils.MAX_VARINT_SIZE);
        ByteUtils.writeVarint(value, buffer);
        assertThat(buffer.position()).isEqualTo(ByteUtils.sizeOfVarint(value));
        buffer.flip();
        assertThat(ByteUtils.readVarint(buffer)).isEqualTo(value);
        assertThat(buffer.hasRemaining()).isFalse();
    }

    @Property
    void varlongRoundTrips(@ForAll long value) {
        ByteBuffer buffer = ByteBuffer.allocate(ByteUtils.MAX_VARLONG_SIZE);
        ByteUtils.writeVarlong(value, buffer);
        assertThat(buffer.position()).isEqualTo(ByteUtils.sizeOfVarlong(value));
        buffer.flip();
        assertThat(ByteUtils.readVarlong(buffer)).isEqualTo(value);
    }

    @Property
    void zigZagIsABijection(@ForAll int value, @ForAll long longValue) {
        assertThat(ByteUtils.zigZagDecode(ByteUtils.zigZagEncode(value))).isEqualTo(value);
        assertThat(ByteUtils.zigZagDecode(ByteUtils.zigZagEncode(longValue))).isEqualTo(longValue);
    }

    static byte[] hex(String hex) {
        byte[] bytes = new byte[hex.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = (byte) Integer.parseInt(hex.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
