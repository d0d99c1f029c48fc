package io.cairn.storage;

/** What happens to old data in a log: {@code cleanup.policy} = delete, compact, or both. */
public enum CleanupPolicy {
    /** Delete whole old segments by {@code retention.ms} / {@code retention.bytes}. */
    DELETE(true, false),
    /** Keep the newest record per key; tombstones expire after {@code delete.retention.ms}. */
    COMPACT(false, true),
    /** {@code compact,delete}: compact, and also delete whole segments past retention. */
    COMPACT_DELETE(true, true);

    private final boolean delete;
    private final boolean compact;

    CleanupPolicy(boolean delete, boolean compact) {
        this.delete = delete;
        this.compact = compact;
    }

    public boolean deletes() {
        return delete;
    }

    public boolean compacts() {
        return compact;
    }

    /** Parses the Kafka spelling: {@code delete}, {@code compact}, {@code compact,delete} (either order). */
    public static CleanupPolicy parse(String value) {
        String v = value.replace(" ", "");
        switch (v) {
            case "delete":
                return DELETE;
            case "compact":
                return COMPACT;
            case "compact,delete":
            case "delete,compact":
                return COMPACT_DELETE;
            default:
                throw new IllegalArgumentException("cleanup.policy must be delete, compact or compact,delete: '"
                    + value + "'");
        }
    }

    /** The Kafka spelling. */
    public String configValue() {
        switch (this) {
            case DELETE:
                return "delete";
            case COMPACT:
                return "compact";
            default:
                return "compact,delete";
        }
    }
}
