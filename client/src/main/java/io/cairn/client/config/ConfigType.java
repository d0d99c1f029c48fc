package io.cairn.client.config;

/** The value types a client setting can have, and how text or numbers are converted to them. */
public enum ConfigType {
    /** {@code true}/{@code false}, as a Boolean or its text. */
    BOOLEAN,
    /** A 32-bit integer, as any integral Number or its text. */
    INT,
    /** A 64-bit integer, as any integral Number or its text. */
    LONG,
    /** Free text (validators may restrict it to a set of names). */
    STRING,
    /** A list of strings, as a List or comma-separated text. */
    LIST
}
