package io.cairn.reliability.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.LongRange;

class RecordIdTest {
    @Property
    void decodesWhatItEncoded(@ForAll int stream, @ForAll @LongRange(min = 0) long sequence,
                              @ForAll @IntRange(min = RecordId.LENGTH, max = 512) int valueBytes) {
        byte[] value = RecordId.encode(stream, sequence, valueBytes);
        assertThat(value).hasSize(valueBytes);
        assertThat(RecordId.stream(value)).isEqualTo(stream);
        assertThat(RecordId.sequence(value)).isEqualTo(sequence);
    }

    @Property(tries = 20)
    void refusesValuesShorterThanAnId(@ForAll @IntRange(min = 0, max = RecordId.LENGTH - 1) int length) {
        assertThatThrownBy(() -> RecordId.stream(new byte[length])).hasMessageContaining("at least 12 bytes");
    }
}
