package io.cairn.cli.console;

import io.cairn.cli.common.KeyValues;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * Producer settings shared by {@code cairn produce} and {@code cairn perf produce}: acks,
 * compression and any other producer key. A picocli mixin.
 */
public final class ProducerOptions {
    @Option(names = "--acks", paramLabel = "0|1|all", defaultValue = "all", converter = AcksConverter.class,
            description = "Acknowledgement: 0 none, 1 after the append, all after the fsync. Default: ${DEFAULT-VALUE}.")
    private String acks;

    @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "none", converter = CompressionConverter.class,
            description = "Batch compression: none, gzip, snappy, lz4 or zstd. Default: ${DEFAULT-VALUE}.")
    private String compression;

    @Option(names = "--producer-prop", paramLabel = "KEY=VALUE",
            description = "Any producer setting (docs/client.md), e.g. max.in.flight.requests.per.connection=5; repeatable.")
    private Map<String, String> producerProps = new LinkedHashMap<>();

    /** Fails as a usage error on a {@code --producer-prop} without a key. */
    public void validate(CommandSpec spec) {
        KeyValues.requireKeys(spec, "--producer-prop", producerProps);
    }

    public String acks() {
        return acks;
    }

    public String compression() {
        return compression;
    }

    /** The producer settings these options make: the explicit options win over {@code --producer-prop}. */
    public Map<String, Object> settings() {
        Map<String, Object> settings = new LinkedHashMap<>(producerProps);
        settings.put("acks", acks);
        settings.put("compression.type", compression);
        return settings;
    }

    /** Accepts 0, 1, all and -1 (Kafka's spelling of all). */
    static final class AcksConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (v.equals("-1")) {
                return "all";
            }
            if (!Set.of("0", "1", "all").contains(v)) {
                throw new TypeConversionException("expected 0, 1 or all, got '" + value + "'");
            }
            return v;
        }
    }

    /** Accepts the codecs the record format carries. */
    static final class CompressionConverter implements ITypeConverter<String> {
        @Override
        public String convert(String value) {
            String v = value.trim().toLowerCase(Locale.ROOT);
            if (!Set.of("none", "gzip", "snappy", "lz4", "zstd").contains(v)) {
                throw new TypeConversionException("expected none, gzip, snappy, lz4 or zstd, got '" + value + "'");
            }
            return v;
        }
    }
}
