package io.cairn.broker.config;

import java.util.List;

/** The typed form of {@code cleanup.policy}. */
public enum CleanupPolicy {
    DELETE(true, false),
    COMPACT(false, true),
    COMPACT_DELETE(true, true);

    private final boolean delete;
    private final boolean compact;

    CleanupPolicy(boolean delete, boolean compact) {
        this.delete = delete;
        this.compact = compact;
    }

    /** Whether retention deletes old segments. */
    public boolean delete() {
        return delete;
    }

    /** Whether the cleaner compacts the log. */
    public boolean compact() {
        return compact;
    }

    /** From a validated {@code cleanup.policy} list. */
    static CleanupPolicy of(List<String> items) {
        boolean d = items.contains(TopicConfigKeys.DELETE);
        boolean c = items.contains(TopicConfigKeys.COMPACT);
        if (d && c) {
            return COMPACT_DELETE;
        }
        if (c) {
            return COMPACT;
        }
        if (d) {
            return DELETE;
        }
        throw new IllegalArgumentException("cleanup.policy " + items + " names neither delete nor compact");
    }
}
