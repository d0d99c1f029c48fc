package io.cairn.cli.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import org.junit.jupiter.api.Test;

class JsonWriterTest {

    @Test
    void writesNestedObjectsAndArrays() {
        String json = new JsonWriter().beginObject()
                .name("topic").value("orders")
                .name("partitions").beginArray()
                .beginObject().name("partition").value(0).name("end").value(12L).endObject()
                .beginObject().name("partition").value(1).name("end").value((Long) null).endObject()
                .endArray()
                .name("internal").value(false)
                .name("rate").value(2.5)
                .name("whole").value(3.0)
                .name("nan").value(Double.NaN)
                .name("empty").beginArray().endArray()
                .name("none").beginObject().endObject()
                .endObject().toString();

        assertThat(json).isEqualTo("{\"topic\":\"orders\",\"partitions\":[{\"partition\":0,\"end\":12},"
                + "{\"partition\":1,\"end\":null}],\"internal\":false,\"rate\":2.5,\"whole\":3,\"nan\":null,"
                + "\"empty\":[],\"none\":{}}");
    }

    @Test
    void escapesQuotesBackslashesAndControlCharacters() {
        String json = new JsonWriter().beginArray().value("a\"b\\c\nd\te\u0001f\u2028").endArray().toString();

        assertThat(json).isEqualTo("[\"a\\\"b\\\\c\\nd\\te\\u0001f\\u2028\"]");
    }

    @Test
    void refusesIncompleteOrMalformedDocuments() {
        assertThatThrownBy(() -> new JsonWriter().beginObject().toString()).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().value("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().name("x")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginObject().name("a").endObject())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().endArray().beginArray())
                .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> new JsonWriter().beginArray().endObject()).isInstanceOf(IllegalStateException.class);
    }

    @Property(tries = 300)
    void everyStringRoundTripsThroughItsLiteral(@ForAll String text) {
        String json = new JsonWriter().beginArray().value(text).endArray().toString();

        assertThat(json.chars()).noneMatch(c -> c < 0x20);
        assertThat(unescape(json.substring(2, json.length() - 2))).isEqualTo(text);
    }

    /** A reference decoder for the escapes JSON defines. */
    private static String unescape(String literal) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < literal.length(); i++) {
            char c = literal.charAt(i);
            if (c == '"') {
                throw new AssertionError("unescaped quote at " + i + " in " + literal);
            }
            if (c != '\\') {
                out.append(c);
                continue;
            }
            char e = literal.charAt(++i);
            switch (e) {
                case '"', '\\', '/' -> out.append(e);
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'u' -> {
                    out.append((char) Integer.parseInt(literal.substring(i + 1, i + 5), 16));
                    i += 4;
                }
                default -> throw new AssertionError("bad escape \\" + e + " in " + literal);
            }
        }
        return out.toString();
    }
}
