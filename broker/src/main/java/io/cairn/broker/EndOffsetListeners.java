package io.cairn.broker;

import io.cairn.storage.EndOffsetListener;
import io.cairn.storage.Log;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The log manager's single {@link EndOffsetListener}, fanning out to listeners that extensions
 * add while the broker starts (the log manager opens before them). Called on appending threads;
 * the list is copy-on-write, so a call costs one volatile read and the listeners' own work.
 */
final class EndOffsetListeners implements EndOffsetListener {
    private final CopyOnWriteArrayList<EndOffsetListener> listeners = new CopyOnWriteArrayList<>();

    void add(EndOffsetListener listener) {
        listeners.add(listener);
    }

    @Override
    public void endOffsetAdvanced(Log log, long endOffset) {
        for (EndOffsetListener listener : listeners) {
            listener.endOffsetAdvanced(log, endOffset);
        }
    }
}
