package io.cairn.protocol.types;

import io.cairn.protocol.FileSlice;
import io.netty.buffer.ByteBuf;
import java.util.List;
import java.util.Objects;

/**
 * The record-batch bytes of one partition in a Fetch response, opaque to the protocol layer:
 * either in memory ({@link InMemory}, what a decoder produces) or a run of a log file
 * ({@link InFile}, what the broker hands to the encoder for sendfile), or several such runs in
 * order ({@link Sequence}). Encoding never copies them into the frame's buffer; they travel as
 * chunks of their own (see {@link MessageWriter}).
 */
public sealed interface RecordBytes permits RecordBytes.InMemory, RecordBytes.InFile, RecordBytes.Sequence {

    /** Number of bytes on the wire. */
    int sizeInBytes();

    /** Writes the bytes through {@code out} as chunks (never copied in chunked mode). */
    void writeTo(MessageWriter out);

    /** Releases what this holds a reference to (in-memory buffers); file slices hold none. */
    void release();

    /** Records in memory; the record holds one reference to {@code buf}. */
    static RecordBytes of(ByteBuf buf) {
        return new InMemory(buf);
    }

    /** Records in a log file. */
    static RecordBytes of(FileSlice slice) {
        return new InFile(slice);
    }

    /** Several runs of records, sent back to back. */
    static RecordBytes of(List<RecordBytes> parts) {
        return new Sequence(List.copyOf(parts));
    }

    /**
     * The in-memory buffer (the readable bytes are the records). Decoded responses always hold
     * {@link InMemory} records; calling this on file-backed records is a programming error.
     */
    default ByteBuf buffer() {
        throw new IllegalStateException("records are not in memory: " + this);
    }

    /**
     * Records in a buffer. Equality compares the readable bytes.
     *
     * @param buf the records; its readable bytes are sent
     */
    record InMemory(ByteBuf buf) implements RecordBytes {
        public InMemory {
            Objects.requireNonNull(buf, "buf");
        }

        @Override
        public int sizeInBytes() {
            return buf.readableBytes();
        }

        @Override
        public void writeTo(MessageWriter out) {
            out.writeRecords(buf);
        }

        @Override
        public void release() {
            buf.release();
        }

        @Override
        public ByteBuf buffer() {
            return buf;
        }
    }

    /**
     * Records in a file, sent with sendfile.
     *
     * @param slice the run of whole batches
     */
    record InFile(FileSlice slice) implements RecordBytes {
        public InFile {
            Objects.requireNonNull(slice, "slice");
        }

        @Override
        public int sizeInBytes() {
            return slice.length();
        }

        @Override
        public void writeTo(MessageWriter out) {
            out.writeRecords(slice);
        }

        @Override
        public void release() {
            // the slice borrows storage's channel; nothing to release
        }
    }

    /**
     * Runs of records sent back to back, e.g. the tail of one segment and the head of the next.
     *
     * @param parts the runs, in order
     */
    record Sequence(List<RecordBytes> parts) implements RecordBytes {
        @Override
        public int sizeInBytes() {
            long total = 0;
            for (RecordBytes part : parts) {
                total += part.sizeInBytes();
            }
            if (total > Integer.MAX_VALUE) {
                throw new EncodeException("records of " + total + " bytes exceed the i32 length limit");
            }
            return (int) total;
        }

        @Override
        public void writeTo(MessageWriter out) {
            for (RecordBytes part : parts) {
                part.writeTo(out);
            }
        }

        @Override
        public void release() {
            for (RecordBytes part : parts) {
                part.release();
            }
        }
    }
}
