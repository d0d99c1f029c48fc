package io.cairn.protocol.record;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class CompressionTypeTest {

    @Test
    void idsAndNamesAreKafkas() {
        assertThat(CompressionType.values()).extracting(CompressionType::id).containsExactly(0, 1, 2, 3, 4);
        assertThat(CompressionType.values()).extracting(CompressionType::configName)
                .containsExactly("none", "gzip", "snappy", "lz4", "zstd");
        for (CompressionType type : CompressionType.values()) {
            assertThat(CompressionType.forId(type.id())).isSameAs(type);
            assertThat(CompressionType.forName(type.configName())).isSameAs(type);
            assertThat(type).hasToString(type.configName());
        }
    }

    @Test
    void namesAreCaseInsensitive() {
        assertThat(CompressionType.forName("ZSTD")).isSameAs(CompressionType.ZSTD);
        assertThat(CompressionType.forName("Snappy")).isSameAs(CompressionType.SNAPPY);
        assertThat(CompressionType.forName("lZ4")).isSameAs(CompressionType.LZ4);
    }

    @Test
    void unknownValuesAreNamedInTheError() {
        assertThatThrownBy(() -> CompressionType.forName("brotli"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'brotli'")
                .hasMessageContaining("none, gzip, snappy, lz4, zstd");
        assertThatThrownBy(() -> CompressionType.forName(null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'null'");
        assertThatThrownBy(() -> CompressionType.forId(5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("id 5");
        assertThatThrownBy(() -> CompressionType.forId(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(CompressionType.isKnownId(7)).isFalse();
    }

    @Test
    void timestampTypesParseFromConfigAndAttributes() {
        assertThat(TimestampType.forName("logappendtime")).isSameAs(TimestampType.LOG_APPEND_TIME);
        assertThat(TimestampType.forName("CreateTime")).isSameAs(TimestampType.CREATE_TIME);
        assertThat(TimestampType.fromAttributes(0x08)).isSameAs(TimestampType.LOG_APPEND_TIME);
        assertThat(TimestampType.fromAttributes(0x37)).isSameAs(TimestampType.CREATE_TIME);
        assertThatThrownBy(() -> TimestampType.forName("wallclock")).hasMessageContaining("'wallclock'");
    }
}
