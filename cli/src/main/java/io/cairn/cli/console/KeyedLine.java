package io.cairn.cli.console;

/**
 * One line of {@code cairn produce} input split into key and value: with a separator, the text
 * before its first occurrence is the key and the rest the value; without one, the whole line is
 * the value and the key is null.
 *
 * @param key   the key, or null
 * @param value the value
 */
public record KeyedLine(String key, String value) {

    /**
     * Splits {@code line}; returns null when a separator is given but the line does not contain it
     * (Kafka's console producer fails on such a line too).
     */
    public static KeyedLine parse(String line, String separator) {
        if (separator == null) {
            return new KeyedLine(null, line);
        }
        int at = line.indexOf(separator);
        if (at < 0) {
            return null;
        }
        return new KeyedLine(line.substring(0, at), line.substring(at + separator.length()));
    }
}
