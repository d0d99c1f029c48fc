package io.cairn.reliability;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/** Closes every element (last first) once; for try-with-resources over a varying number of clients. */
final class AutoCloseableList<T extends AutoCloseable> implements AutoCloseable, Iterable<T> {
    private final List<T> items = new ArrayList<>();

    void add(T item) {
        items.add(item);
    }

    @Override
    public Iterator<T> iterator() {
        return List.copyOf(items).iterator();
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        for (int i = items.size() - 1; i >= 0; i--) {
            try {
                items.get(i).close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        items.clear();
        if (first != null) {
            throw first;
        }
    }
}
