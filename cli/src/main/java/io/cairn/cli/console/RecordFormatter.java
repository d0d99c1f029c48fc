package io.cairn.cli.console;

import io.cairn.cli.common.JsonWriter;
import io.cairn.client.Header;
import io.cairn.client.consumer.ConsumerRecord;
import java.nio.charset.StandardCharsets;

/**
 * Turns a consumed record into the line {@code cairn consume} prints.
 *
 * <ul>
 *   <li>text: the fields asked for, tab-separated, in the order partition, offset, key, then the
 *       value; keys and values are decoded as UTF-8 and a null one prints as {@code null} (as
 *       Kafka's console consumer does);</li>
 *   <li>json: one object per line with every field ({@code topic, partition, offset, timestamp,
 *       timestampType, key, value, headers}), whatever {@code --print-*} says.</li>
 * </ul>
 * Immutable.
 */
public final class RecordFormatter {
    /** Output format of {@code cairn consume}. */
    public enum Format { TEXT, JSON }

    private final Format format;
    private final boolean printPartition;
    private final boolean printOffset;
    private final boolean printKey;

    public RecordFormatter(Format format, boolean printPartition, boolean printOffset, boolean printKey) {
        this.format = format;
        this.printPartition = printPartition;
        this.printOffset = printOffset;
        this.printKey = printKey;
    }

    /** The line for {@code record}, without a line terminator. */
    public String format(ConsumerRecord<byte[], byte[]> record) {
        return format == Format.JSON ? json(record) : text(record);
    }

    private String text(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder line = new StringBuilder();
        if (printPartition) {
            line.append(record.partition()).append('\t');
        }
        if (printOffset) {
            line.append(record.offset()).append('\t');
        }
        if (printKey) {
            line.append(utf8(record.key())).append('\t');
        }
        return line.append(utf8(record.value())).toString();
    }

    private static String json(ConsumerRecord<byte[], byte[]> record) {
        JsonWriter json = new JsonWriter().beginObject()
                .name("topic").value(record.topic())
                .name("partition").value(record.partition())
                .name("offset").value(record.offset())
                .name("timestamp").value(record.timestamp())
                .name("timestampType").value(String.valueOf(record.timestampType()))
                .name("key").value(record.key() == null ? null : utf8(record.key()))
                .name("value").value(record.value() == null ? null : utf8(record.value()))
                .name("headers").beginArray();
        for (Header h : record.headers()) {
            json.beginObject().name("key").value(h.key()).name("value").value(h.value() == null ? null : utf8(h.value()))
                    .endObject();
        }
        return json.endArray().endObject().toString();
    }

    private static String utf8(byte[] bytes) {
        return bytes == null ? "null" : new String(bytes, StandardCharsets.UTF_8);
    }
}
