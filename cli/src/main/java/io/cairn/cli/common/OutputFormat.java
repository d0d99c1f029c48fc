package io.cairn.cli.common;

import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** How list and describe commands print: a table for people, or one JSON document for scripts. */
public enum OutputFormat {
    TEXT, JSON;

    /** Parses "text" or "json", in any case. */
    public static final class Converter implements ITypeConverter<OutputFormat> {
        @Override
        public OutputFormat convert(String value) {
            try {
                return OutputFormat.valueOf(value.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("expected text or json, got '" + value + "'");
            }
        }
    }
}
