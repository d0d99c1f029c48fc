package io.cairn.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.LongRange;
import org.junit.jupiter.api.Test;

class ConfigKeyTest {

    @Test
    void durationsAcceptUnitSuffixes() {
        ConfigKey<Long> k = TopicConfigKeys.RETENTION_MS;
        assertThat(k.parse("604800000")).isEqualTo(604_800_000L);
        assertThat(k.parse("7d")).isEqualTo(604_800_000L);
        assertThat(k.parse(" 36h ")).isEqualTo(129_600_000L);
        assertThat(k.parse("15m")).isEqualTo(900_000L);
        assertThat(k.parse("90s")).isEqualTo(90_000L);
        assertThat(k.parse("250ms")).isEqualTo(250L);
        assertThat(k.parse("-1")).isEqualTo(-1L);
    }

    @Test
    void durationRejectsGarbageNegativeSuffixesAndOverflow() {
        ConfigKey<Long> k = TopicConfigKeys.RETENTION_MS;
        assertThatThrownBy(() -> k.parse("7 days")).hasMessageContaining("not a valid duration")
                .hasMessageContaining("valid values: [-1, ...]");
        assertThatThrownBy(() -> k.parse("-1d")).hasMessageContaining("negative value cannot carry a unit");
        assertThatThrownBy(() -> k.parse("9223372036854775807d")).hasMessageContaining("too large");
        assertThatThrownBy(() -> k.parse("-2")).hasMessage("out of range [-1, ...]");
        assertThatThrownBy(() -> k.parse("d")).hasMessageContaining("not a valid duration");
    }

    @Test
    void sizesAcceptBinarySuffixes() {
        ConfigKey<Long> k = TopicConfigKeys.SEGMENT_BYTES;
        assertThat(k.parse("1GiB")).isEqualTo(1L << 30);
        assertThat(k.parse("512mib")).isEqualTo(512L << 20);
        assertThat(k.parse("4KiB")).isEqualTo(4096L);
        assertThat(k.parse("2048")).isEqualTo(2048L);
        assertThatThrownBy(() -> k.parse("2GiB")).hasMessage("out of range [1024, 2147483647]");
        assertThatThrownBy(() -> k.parse("1GB")).hasMessageContaining("not a valid size (bytes)");
    }

    @Test
    void booleansIntsAndDoublesAreStrict() {
        assertThat(BrokerConfigKeys.AUTO_CREATE_TOPICS_ENABLE.parse("TRUE")).isTrue();
        assertThatThrownBy(() -> BrokerConfigKeys.AUTO_CREATE_TOPICS_ENABLE.parse("yes"))
                .hasMessageContaining("not a boolean");
        assertThatThrownBy(() -> BrokerConfigKeys.PORT.parse("12.5")).hasMessageContaining("not an integer");
        assertThatThrownBy(() -> BrokerConfigKeys.PORT.parse("70000")).hasMessage("out of range [0, 65535]");
        assertThat(TopicConfigKeys.MIN_CLEANABLE_DIRTY_RATIO.parse("0.25")).isEqualTo(0.25);
        assertThatThrownBy(() -> TopicConfigKeys.MIN_CLEANABLE_DIRTY_RATIO.parse("NaN")).hasMessageContaining("finite");
        assertThatThrownBy(() -> TopicConfigKeys.MIN_CLEANABLE_DIRTY_RATIO.parse("1.5")).hasMessage("out of range [0.0, 1.0]");
    }

    @Test
    void choicesAreCanonicalizedAndListsChecked() {
        assertThat(TopicConfigKeys.MESSAGE_TIMESTAMP_TYPE.parse("logappendtime")).isEqualTo("LogAppendTime");
        assertThatThrownBy(() -> TopicConfigKeys.MESSAGE_TIMESTAMP_TYPE.parse("BrokerTime"))
                .hasMessage("not one of CreateTime, LogAppendTime");
        assertThat(TopicConfigKeys.CLEANUP_POLICY.parse("compact, delete")).containsExactly("compact", "delete");
        assertThat(TopicConfigKeys.CLEANUP_POLICY.format(List.of("compact", "delete"))).isEqualTo("compact,delete");
        assertThatThrownBy(() -> TopicConfigKeys.CLEANUP_POLICY.parse("")).hasMessageContaining("empty list");
        assertThatThrownBy(() -> TopicConfigKeys.CLEANUP_POLICY.parse("compact,shred"))
                .hasMessageContaining("unknown item(s) shred");
        assertThatThrownBy(() -> TopicConfigKeys.CLEANUP_POLICY.parse("delete,delete")).hasMessage("repeats delete");
    }

    @Test
    void hostsAreCheckedWithoutResolving() {
        ConfigKey<String> k = BrokerConfigKeys.HOST;
        assertThat(k.parse("broker-1.example.com")).isEqualTo("broker-1.example.com");
        assertThat(k.parse("10.0.0.7")).isEqualTo("10.0.0.7");
        assertThat(k.parse("::1")).isEqualTo("::1");
        assertThatThrownBy(() -> k.parse("bad_host")).hasMessageContaining("not a valid host name");
        assertThatThrownBy(() -> k.parse("")).hasMessage("must not be empty");
        assertThat(BrokerConfigKeys.ADVERTISED_HOST.parse("")).isEmpty();
    }

    @Test
    void builderRefusesAnInvalidDefaultOrARangeOnANonNumericType() {
        assertThatThrownBy(() -> ConfigKey.intKey("x").defaultValue(0).between(1, 2)
                .importance(Importance.LOW).doc("d").build())
                .hasMessageContaining("default 0 is invalid");
        assertThatThrownBy(() -> ConfigKey.stringKey("y").between("a", "b"))
                .hasMessageContaining("needs a numeric type");
    }

    @Property(tries = 200)
    void sizeFormatThenParseRoundTrips(@ForAll @LongRange(min = 1024, max = Integer.MAX_VALUE) long bytes) {
        ConfigKey<Long> k = TopicConfigKeys.SEGMENT_BYTES;
        assertThat(k.parse(k.format(bytes))).isEqualTo(bytes);
    }

    @Property(tries = 200)
    void durationSuffixesScaleExactly(@ForAll @LongRange(min = 0, max = 100_000) long n) {
        ConfigKey<Long> k = TopicConfigKeys.RETENTION_MS;
        assertThat(k.parse(n + "d")).isEqualTo(n * 86_400_000L);
        assertThat(k.parse(n + "h")).isEqualTo(n * 3_600_000L);
        assertThat(k.parse(n + "s")).isEqualTo(n * 1_000L);
    }
}
