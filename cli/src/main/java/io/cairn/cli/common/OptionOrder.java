package io.cairn.cli.common;

/**
 * Where options appear in {@code --help}: a command's own options first, in declaration order,
 * then the options every command shares ({@code --bootstrap}, {@code --timeout-ms}, {@code --help},
 * {@code --verbose}). Commands set {@code sortOptions = false} so that this order holds.
 */
public final class OptionOrder {
    /** The {@code order} of the first shared option; a command's own options keep picocli's default. */
    public static final int COMMON = 1000;

    private OptionOrder() {
    }
}
