package io.cairn.client.serialization;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.client.errors.SerializationException;
import java.util.UUID;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class SerdesTest {
    @Property(tries = 200)
    void stringsRoundTrip(@ForAll String s) {
        assertThat(Serdes.stringDeserializer().deserialize("t", Serdes.stringSerializer().serialize("t", s)))
                .isEqualTo(s);
    }

    @Property(tries = 200)
    void longsRoundTrip(@ForAll long v) {
        assertThat(Serdes.longDeserializer().deserialize("t", Serdes.longSerializer().serialize("t", v)))
                .isEqualTo(v);
    }

    @Test
    void longsAreBigEndianLikeKafka() {
        assertThat(Serdes.longSerializer().serialize("t", 0x0102030405060708L))
                .containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThatThrownBy(() -> Serdes.longDeserializer().deserialize("orders", new byte[3]))
                .isInstanceOf(SerializationException.class)
                .hasMessageContaining("orders")
                .hasMessageContaining("got 3");
    }

    @Test
    void uuidsAreTheirStringForm() {
        UUID id = UUID.randomUUID();
        byte[] bytes = Serdes.uuidSerializer().serialize("t", id);
        assertThat(new String(bytes, java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(id.toString());
        assertThat(Serdes.uuidDeserializer().deserialize("t", bytes)).isEqualTo(id);
        assertThatThrownBy(() -> Serdes.uuidDeserializer().deserialize("t", new byte[] {'x'}))
                .isInstanceOf(SerializationException.class);
    }

    @Test
    void nullsStayNull() {
        assertThat(Serdes.stringSerializer().serialize("t", null)).isNull();
        assertThat(Serdes.longSerializer().serialize("t", null)).isNull();
        assertThat(Serdes.uuidSerializer().serialize("t", null)).isNull();
        assertThat(Serdes.stringDeserializer().deserialize("t", null)).isNull();
        assertThat(Serdes.longDeserializer().deserialize("t", null)).isNull();
        assertThat(Serdes.uuidDeserializer().deserialize("t", null)).isNull();
        assertThat(Serdes.bytesDeserializer().deserialize("t", null)).isNull();
        byte[] b = {1, 2};
        assertThat(Serdes.bytesSerializer().serialize("t", b)).isSameAs(b);
    }
}
