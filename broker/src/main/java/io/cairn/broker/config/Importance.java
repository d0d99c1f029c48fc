package io.cairn.broker.config;

/** How likely an operator is to need to change a key; orders the generated reference. */
public enum Importance {
    HIGH,
    MEDIUM,
    LOW;

    /** Lower-case name for documentation tables. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
