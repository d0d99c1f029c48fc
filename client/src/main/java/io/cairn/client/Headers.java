package io.cairn.client;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.List;
import java.util.Objects;

/**
 * The ordered headers of one record. A producer record's headers may be added to until the record is
 * handed to {@code send}; a consumed record's headers are read-only. Not thread-safe.
 */
public final class Headers implements Iterable<Header> {
    private static final Headers EMPTY = new Headers(List.of(), true);

    private final List<Header> headers;
    private boolean readOnly;

    /** Creates empty, writable headers. */
    public Headers() {
        this(new ArrayList<>(), false);
    }

    private Headers(List<Header> headers, boolean readOnly) {
        this.headers = headers;
        this.readOnly = readOnly;
    }

    /** Read-only headers holding {@code headers} (an empty list gives a shared empty instance). */
    public static Headers of(List<Header> headers) {
        return headers.isEmpty() ? EMPTY : new Headers(Collections.unmodifiableList(new ArrayList<>(headers)), true);
    }

    /** Read-only empty headers. */
    public static Headers empty() {
        return EMPTY;
    }

    /** Appends a header; fails once the headers are read-only. */
    public Headers add(String key, byte[] value) {
        return add(new Header(key, value));
    }

    /** Appends a header; fails once the headers are read-only. */
    public Headers add(Header header) {
        checkWritable();
        headers.add(Objects.requireNonNull(header, "header"));
        return this;
    }

    /** Removes every header with {@code key}; fails once the headers are read-only. */
    public Headers remove(String key) {
        checkWritable();
        headers.removeIf(h -> h.key().equals(key));
        return this;
    }

    /** The last header with {@code key}, or null. */
    public Header lastHeader(String key) {
        for (int i = headers.size() - 1; i >= 0; i--) {
            if (headers.get(i).key().equals(key)) {
                return headers.get(i);
            }
        }
        return null;
    }

    /** Every header with {@code key}, in order. */
    public List<Header> headers(String key) {
        List<Header> out = new ArrayList<>();
        for (Header h : headers) {
            if (h.key().equals(key)) {
                out.add(h);
            }
        }
        return out;
    }

    /** Number of headers. */
    public int size() {
        return headers.size();
    }

    /** Whether there are no headers. */
    public boolean isEmpty() {
        return headers.isEmpty();
    }

    /** The headers as an unmodifiable list, in order. */
    public List<Header> toList() {
        return Collections.unmodifiableList(headers);
    }

    /** Freezes the headers; the producer calls this when a record is sent. */
    public void setReadOnly() {
        readOnly = true;
    }

    @Override
    public Iterator<Header> iterator() {
        return toList().iterator();
    }

    private void checkWritable() {
        if (readOnly) {
            throw new IllegalStateException("headers are read-only once the record was sent or consumed");
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Headers h && headers.equals(h.headers);
    }

    @Override
    public int hashCode() {
        return headers.hashCode();
    }

    @Override
    public String toString() {
        return headers.toString();
    }
}
