package io.cairn.protocol.types;

import io.netty.buffer.ByteBuf;

/**
 * {@code records?}: i32 byte length, then that many bytes of record batches; -1 is null. Decoding
 * yields a retained slice of the input (no copy): the decoded message owns one reference and
 * whoever consumes it releases it. Encoding hands the bytes to the writer as chunks of their own.
 * Two Java shapes share this wire type: {@link ByteBuf} (Produce) and {@link RecordBytes} (Fetch,
 * where the broker may pass a file slice). Immutable.
 */
final class RecordsType extends Type {
    private final boolean recordBytes;

    RecordsType(boolean recordBytes) {
        this.recordBytes = recordBytes;
    }

    @Override
    public String name() {
        return "records?";
    }

    @Override
    public String description() {
        return "int32 byte length N, then N bytes of record batches (the RecordBatch v2 format, opaque "
                + "to the protocol layer); N = -1 is null. Decoded without copying.";
    }

    @Override
    public int minSize(int version) {
        return 4;
    }

    @Override
    public boolean isNullable() {
        return true;
    }

    @Override
    public boolean holdsReferences() {
        return true;
    }

    @Override
    public boolean accepts(java.lang.reflect.Type javaType) {
        return javaType == (recordBytes ? RecordBytes.class : ByteBuf.class);
    }

    @Override
    public Object defaultValue() {
        return null;
    }

    @Override
    public void write(MessageWriter out, Object value, int version) {
        if (value == null) {
            out.buf().writeInt(-1);
        } else if (value instanceof ByteBuf buf) {
            out.buf().writeInt(buf.readableBytes());
            out.writeRecords(buf);
        } else {
            RecordBytes records = (RecordBytes) value;
            out.buf().writeInt(records.sizeInBytes());
            records.writeTo(out);
        }
    }

    @Override
    public Object read(ByteBuf in, int version) {
        need(in, 4, this);
        int length = in.readInt();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new DecodeException(DecodeError.NEGATIVE_LENGTH, "records length " + length + " is negative");
        }
        checkLength(in, length, this);
        ByteBuf slice = in.readRetainedSlice(length);
        return recordBytes ? RecordBytes.of(slice) : slice;
    }

    @Override
    public void release(Object value) {
        if (value instanceof ByteBuf buf) {
            buf.release();
        } else if (value instanceof RecordBytes records) {
            records.release();
        }
    }
}
