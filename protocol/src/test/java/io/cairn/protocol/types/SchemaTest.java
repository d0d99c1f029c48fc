package io.cairn.protocol.types;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.protocol.FileSlice;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The schema kit on its own, with a test message that changes over three versions. */
class SchemaTest {

    record Item(String name, boolean flag) {
        static final Schema<Item> SCHEMA = Schema.of(Item.class,
                Field.of("name", Types.STRING, "name"),
                Field.of("flag", Types.BOOL, "flag"));
    }

    /** v0: id, legacy, items; v1 adds note; v2 drops legacy and adds epoch (default -1). */
    record Evolving(int id, List<Integer> legacy, String note, long epoch, List<Item> items) {
        static final Schema<Evolving> SCHEMA = Schema.of(Evolving.class,
                Field.of("id", Types.INT32, "id"),
                Field.of("legacy", Types.array(Types.INT32), "legacy").versions(Versions.range(0, 1)),
                Field.of("note", Types.NULLABLE_STRING, "note").since(1),
                Field.of("epoch", Types.INT64, "epoch").since(2).withDefault(-1L),
                Field.of("items", Types.nullableArray(Item.SCHEMA), "items"));
    }

    private static final Evolving FULL = new Evolving(7, List.of(1, 2), "n", 99L, List.of(new Item("a", true)));

    private static byte[] encode(Evolving value, int version) {
        ByteBuf buf = Unpooled.buffer();
        Evolving.SCHEMA.write(MessageWriter.inline(buf), value, version);
        byte[] bytes = new byte[buf.readableBytes()];
        buf.readBytes(bytes);
        return bytes;
    }

    private static Evolving decode(byte[] bytes, int version) {
        ByteBuf buf = Unpooled.wrappedBuffer(bytes);
        Evolving value = Evolving.SCHEMA.read(buf, version);
        assertThat(buf.isReadable()).isFalse();
        return value;
    }

    @Test
    void eachVersionWritesOnlyItsFields() {
        // id(4) legacy(4+8) items(4 + name(2+1) flag(1))
        assertThat(encode(FULL, 0)).hasSize(4 + 12 + 8);
        // + note(2+1)
        assertThat(encode(FULL, 1)).hasSize(4 + 12 + 3 + 8);
        // id, note, epoch(8), items
        assertThat(encode(FULL, 2)).hasSize(4 + 3 + 8 + 8);
    }

    @Test
    void absentFieldsDecodeToTheirDefaults() {
        assertThat(decode(encode(FULL, 0), 0)).isEqualTo(new Evolving(7, List.of(1, 2), null, -1L, FULL.items()));
        assertThat(decode(encode(FULL, 1), 1)).isEqualTo(new Evolving(7, List.of(1, 2), "n", -1L, FULL.items()));
        assertThat(decode(encode(FULL, 2), 2)).isEqualTo(new Evolving(7, List.of(), "n", 99L, FULL.items()));
    }

    @Test
    void nullAndEmptyRoundTrip() {
        Evolving empty = new Evolving(0, List.of(), null, 0L, null);
        assertThat(decode(encode(empty, 2), 2)).isEqualTo(new Evolving(0, List.of(), null, 0L, null));
        Evolving emptyItems = new Evolving(0, List.of(), "", 0L, List.of(new Item("", false)));
        assertThat(decode(encode(emptyItems, 1), 1)).isEqualTo(new Evolving(0, List.of(), "", -1L, emptyItems.items()));
    }

    @Test
    void minSizeFollowsTheVersion() {
        assertThat(Evolving.SCHEMA.minSize(0)).isEqualTo(4 + 4 + 4);
        assertThat(Evolving.SCHEMA.minSize(1)).isEqualTo(4 + 4 + 2 + 4);
        assertThat(Evolving.SCHEMA.minSize(2)).isEqualTo(4 + 2 + 8 + 4);
        assertThat(Evolving.SCHEMA.fields(2)).extracting(Field::name).containsExactly("id", "note", "epoch", "items");
    }

    @Test
    void decodeErrorsNameTheFieldPath() {
        byte[] bytes = encode(new Evolving(1, List.of(), null, 0, List.of(new Item("a", true), new Item("b", true))), 0);
        bytes[bytes.length - 1] = 7; // flag of items[1]
        assertThatThrownBy(() -> decode(bytes, 0))
                .isInstanceOfSatisfying(DecodeException.class, e -> {
                    assertThat(e.error()).isEqualTo(DecodeError.INVALID_VALUE);
                    assertThat(e.fieldPath()).isEqualTo("items[1].flag");
                })
                .hasMessage("field items[1].flag: bool byte 7 is neither 0 nor 1");
    }

    @Test
    void arrayCountIsBoundedByRemainingBytesBeforeAllocating() {
        ByteBuf in = Unpooled.buffer().writeInt(1).writeInt(Integer.MAX_VALUE).writeZero(10);
        assertThatThrownBy(() -> Evolving.SCHEMA.read(in, 0))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.LENGTH_EXCEEDS_REMAINING))
                .hasMessage("field legacy: array count 2147483647 needs at least 8589934588 bytes, 10 remaining");
    }

    @Test
    void nullAndNegativeLengthsAreRejectedWhereNotAllowed() {
        ByteBuf nullArray = Unpooled.buffer().writeInt(1).writeInt(-1);
        assertThatThrownBy(() -> Evolving.SCHEMA.read(nullArray, 0))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.NULL_NOT_ALLOWED));
        ByteBuf negative = Unpooled.buffer().writeInt(1).writeInt(0).writeInt(-2);
        assertThatThrownBy(() -> Evolving.SCHEMA.read(negative, 0))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.NEGATIVE_LENGTH))
                .hasMessage("field items: array count -2 is negative");
        ByteBuf nullName = Unpooled.buffer().writeInt(1).writeInt(0).writeInt(1).writeShort(0xFFFF).writeByte(0);
        assertThatThrownBy(() -> Evolving.SCHEMA.read(nullName, 0))
                .isInstanceOfSatisfying(DecodeException.class, e -> assertThat(e.error()).isEqualTo(DecodeError.NULL_NOT_ALLOWED))
                .hasMessage("field items[0].name: null (length 0xFFFF) for non-nullable str");
        ByteBuf longName = Unpooled.buffer().writeInt(1).writeInt(0).writeInt(1).writeShort(0xFFFE).writeByte(0);
        assertThatThrownBy(() -> Evolving.SCHEMA.read(longName, 0))
                .hasMessage("field items[0].name: length 65534 exceeds remaining 1 bytes");
    }

    @Test
    void encodeErrorsNameTheFieldPath() {
        Evolving nullName = new Evolving(1, List.of(), null, 0, List.of(new Item("ok", true), new Item(null, true)));
        assertThatThrownBy(() -> encode(nullName, 0))
                .isInstanceOf(EncodeException.class)
                .hasMessage("field items[1].name: null is not allowed for non-nullable str");
        Evolving longNote = new Evolving(1, List.of(), "é".repeat(40_000), 0, null);
        assertThatThrownBy(() -> encode(longNote, 1))
                .hasMessage("field note: string of 80000 UTF-8 bytes exceeds the limit of 65534");
        Evolving nullList = new Evolving(1, null, null, 0, null);
        assertThatThrownBy(() -> encode(nullList, 0)).hasMessage("field legacy: null is not allowed for non-nullable [int32]");
        // a field outside the version is not written, so its value does not matter
        assertThat(encode(nullList, 2)).hasSize(4 + 2 + 8 + 4);
    }

    record Mismatch(int id, String name) {
    }

    record Primitive(int id) {
    }

    @Test
    void bindingChecksNamesTypesCountsAndDefaults() {
        assertThatThrownBy(() -> Schema.of(Mismatch.class, Field.of("id", Types.INT32, ""), Field.of("nam", Types.STRING, "")))
                .hasMessageContaining("field 1 is named 'nam' but the record component is 'name'");
        assertThatThrownBy(() -> Schema.of(Mismatch.class, Field.of("id", Types.INT64, ""), Field.of("name", Types.STRING, "")))
                .hasMessageContaining("Mismatch.id: Java type int cannot hold wire type int64");
        assertThatThrownBy(() -> Schema.of(Mismatch.class, Field.of("id", Types.INT32, "")))
                .hasMessageContaining("1 fields for 2 record components");
        assertThatThrownBy(() -> Schema.of(Primitive.class, Field.of("id", Types.INT32, "").withDefault(1L)))
                .hasMessageContaining("default 1 does not fit int");
        assertThatThrownBy(() -> Schema.of(Mismatch.class, Field.of("id", Types.INT32, ""), Field.of("name", Types.array(Types.STRING), "")))
                .hasMessageContaining("cannot hold wire type [str]");
    }

    record WithRecords(ByteBuf records) {
        static final Schema<WithRecords> SCHEMA = Schema.of(WithRecords.class, Field.of("records", Types.RECORDS, "r"));
    }

    @Test
    void recordsDecodeAsRetainedSlicesAndChunkWithoutCopy() {
        ByteBuf in = Unpooled.buffer().writeInt(3).writeBytes(new byte[] {1, 2, 3});
        WithRecords decoded = WithRecords.SCHEMA.read(in, 0);
        assertThat(in.refCnt()).isEqualTo(2);
        in.setByte(4, 9);
        assertThat(decoded.records().getByte(0)).as("a slice, not a copy").isEqualTo((byte) 9);

        MessageWriter chunked = MessageWriter.chunked(Unpooled.buffer());
        WithRecords.SCHEMA.write(chunked, decoded, 0);
        List<Object> chunks = chunked.finish();
        assertThat(chunks).hasSize(2);
        ByteBuf lengthChunk = (ByteBuf) chunks.get(0);
        ByteBuf recordsChunk = (ByteBuf) chunks.get(1);
        assertThat(lengthChunk.readInt()).isEqualTo(3);
        in.setByte(5, 8);
        assertThat(recordsChunk.getByte(recordsChunk.readerIndex() + 1)).as("the chunk shares the input's memory").isEqualTo((byte) 8);
        lengthChunk.release();
        recordsChunk.release();
        WithRecords.SCHEMA.release(decoded);
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void aFailedDecodeReleasesTheSlicesItRetained() {
        record Two(List<WithRecords> parts) {
        }
        Schema<Two> schema = Schema.of(Two.class, Field.of("parts", Types.array(WithRecords.SCHEMA), "p"));
        ByteBuf in = Unpooled.buffer().writeInt(2).writeInt(1).writeByte(5).writeInt(100).writeByte(6);
        assertThatThrownBy(() -> schema.read(in, 0))
                .hasMessage("field parts[1].records: length 100 exceeds remaining 1 bytes");
        assertThat(in.refCnt()).isEqualTo(1);
        in.release();
    }

    @Test
    void inlineWriterRefusesFileSlices(@TempDir Path dir) throws Exception {
        try (FileChannel channel = FileChannel.open(dir.resolve("f"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            MessageWriter inline = MessageWriter.inline(Unpooled.buffer());
            assertThatThrownBy(() -> inline.writeRecords(new FileSlice(channel, 0, 10)))
                    .isInstanceOf(EncodeException.class)
                    .hasMessageContaining("need a chunked writer");
        }
    }

    /** A record that checks its values, and one whose accessor fails: their own exceptions must come through as thrown. */
    record Checked(int id) {
        static final Schema<Checked> SCHEMA = Schema.of(Checked.class, Field.of("id", Types.INT32, "id"));

        Checked {
            if (id < 0) {
                throw new IllegalArgumentException("id must not be negative, got " + id);
            }
        }
    }

    record FailingAccessor(int id) {
        static final Schema<FailingAccessor> SCHEMA = Schema.of(FailingAccessor.class, Field.of("id", Types.INT32, "id"));

        @Override
        public int id() {
            throw new IllegalStateException("accessor of id refused");
        }
    }

    @Test
    void aRecordsOwnExceptionsComeThroughUnwrapped() {
        ByteBuf negative = Unpooled.buffer().writeInt(-5);
        assertThatThrownBy(() -> Checked.SCHEMA.read(negative, 0))
                .isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("id must not be negative, got -5");
        assertThat(Checked.SCHEMA.read(Unpooled.buffer().writeInt(5), 0)).isEqualTo(new Checked(5));

        assertThatThrownBy(() -> FailingAccessor.SCHEMA.write(MessageWriter.inline(Unpooled.buffer()), new FailingAccessor(1), 0))
                .isExactlyInstanceOf(IllegalStateException.class)
                .hasMessage("accessor of id refused");
    }

    @Test
    void uint16AndVersionsFormatting() {
        assertThatThrownBy(() -> Types.UINT16.write(MessageWriter.inline(Unpooled.buffer()), 65536, 0))
                .hasMessage("uint16 value 65536 out of range 0..65535");
        assertThat(Versions.ALL).hasToString("0+");
        assertThat(Versions.range(1, 3)).hasToString("1-3");
        assertThat(Versions.range(2, 2)).hasToString("2");
        assertThat(Arrays.asList(Versions.since(1).contains(0), Versions.since(1).contains(65535))).containsExactly(false, true);
    }
}
