package io.cairn.broker.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Generates {@code docs/configuration.md} from {@link BrokerConfigKeys} and {@link TopicConfigKeys},
 * so the reference can never drift from the code. A test fails when the committed file differs;
 * regenerate with {@code mvn -B -q -pl broker -am verify -Dcairn.regenerateDocs=true} or by running
 * this class with the output path as its argument. Stateless.
 */
public final class ConfigDocGenerator {

    /** How to regenerate, printed by the test that compares the committed file. */
    public static final String REGENERATE_HINT =
            "mvn -B -q -pl broker -am verify -Dcairn.regenerateDocs=true   (or: java -cp <broker classpath> "
                    + ConfigDocGenerator.class.getName() + " docs/configuration.md)";

    private ConfigDocGenerator() {
    }

    public static void main(String[] args) throws IOException {
        Path out = Path.of(args.length > 0 ? args[0] : "docs/configuration.md");
        Files.writeString(out, generate(), StandardCharsets.UTF_8);
        System.out.println("wrote " + out.toAbsolutePath());
    }

    /** The whole reference as Markdown. */
    public static String generate() {
        StringBuilder sb = new StringBuilder(32 * 1024);
        sb.append("# Configuration reference\n\n");
        sb.append("<!-- Generated from BrokerConfigKeys and TopicConfigKeys (io.cairn.broker.config) by ConfigDocGenerator.\n");
        sb.append("     Do not edit by hand; regenerate with\n     ").append(REGENERATE_HINT).append(" -->\n\n");
        sb.append(INTRO);
        sb.append("## Broker keys\n\n");
        summary(sb, BrokerConfigKeys.OWN);
        for (ConfigKey<?> key : BrokerConfigKeys.OWN.keys()) {
            keySection(sb, key, true);
        }
        sb.append("## Broker defaults of topic configs\n\n");
        sb.append("Each of these sets the default of one topic config for every topic that does not override it. "
                + "The names are Kafka's. Type, default and valid values are those of the topic config.\n\n");
        sb.append("| Broker key | Topic config | Default | Environment variable |\n");
        sb.append("|---|---|---|---|\n");
        for (ConfigKey<?> key : TopicConfigKeys.DEF.keys()) {
            sb.append("| `").append(key.brokerSynonym()).append("` | [`").append(key.name()).append("`](#")
                    .append(anchor(key.name())).append(") | ").append(code(key, key.defaultValue())).append(" | `")
                    .append(BrokerConfig.envVariableFor(key.brokerSynonym())).append("` |\n");
        }
        sb.append('\n');
        sb.append("## Topic configs\n\n");
        sb.append(TOPIC_INTRO);
        summary(sb, TopicConfigKeys.DEF);
        for (ConfigKey<?> key : TopicConfigKeys.DEF.keys()) {
            keySection(sb, key, false);
        }
        return sb.toString();
    }

    private static void summary(StringBuilder sb, ConfigDef def) {
        sb.append("| Key | Type | Default | Importance |\n");
        sb.append("|---|---|---|---|\n");
        for (ConfigKey<?> key : def.keys()) {
            sb.append("| [`").append(key.name()).append("`](#").append(anchor(key.name())).append(") | ")
                    .append(key.type().label()).append(" | ").append(code(key, key.defaultValue())).append(" | ")
                    .append(key.importance().label()).append(" |\n");
        }
        sb.append('\n');
    }

    private static <T> void keySection(StringBuilder sb, ConfigKey<T> key, boolean broker) {
        sb.append("### ").append(key.name()).append("\n\n");
        sb.append(key.doc()).append("\n\n");
        sb.append("- Type: ").append(key.type().label()).append('\n');
        sb.append("- Default: ").append(code(key, key.defaultValue())).append(humanized(key, key.defaultValue())).append('\n');
        String valid = key.constraint().describe();
        if (!valid.isEmpty()) {
            sb.append("- Valid values: ").append(valid).append('\n');
        }
        sb.append("- Importance: ").append(key.importance().label()).append('\n');
        if (broker) {
            sb.append("- Environment variable: `").append(BrokerConfig.envVariableFor(key.name())).append("`\n");
        } else {
            sb.append("- Broker default: `").append(key.brokerSynonym()).append("` (environment variable `")
                    .append(BrokerConfig.envVariableFor(key.brokerSynonym())).append("`)\n");
        }
        sb.append('\n');
    }

    private static String code(ConfigKey<?> key, Object value) {
        String text = key.formatObject(value);
        return text.isEmpty() ? "(empty)" : "`" + text + "`";
    }

    /** " (7 days)", " (1 GiB)" after round numbers of durations and sizes. */
    private static <T> String humanized(ConfigKey<T> key, T value) {
        if (!(value instanceof Long)) {
            return "";
        }
        long v = (Long) value;
        if (v == Long.MAX_VALUE) {
            return " (never)";
        }
        if (key.type() == ConfigType.DURATION_MS) {
            return unit(v, new long[] {86_400_000L, 3_600_000L, 60_000L, 1_000L}, new String[] {"day", "hour", "minute", "second"}, true);
        }
        if (key.type() == ConfigType.SIZE_BYTES) {
            return unit(v, new long[] {1L << 40, 1L << 30, 1L << 20, 1L << 10}, new String[] {"TiB", "GiB", "MiB", "KiB"}, false);
        }
        return "";
    }

    private static String unit(long v, long[] factors, String[] names, boolean plural) {
        if (v <= 0) {
            return "";
        }
        for (int i = 0; i < factors.length; i++) {
            if (v >= factors[i] && v % factors[i] == 0) {
                long n = v / factors[i];
                return " (" + n + " " + names[i] + (plural && n != 1 ? "s" : "") + ")";
            }
        }
        return "";
    }

    /** GitHub's heading anchor for {@code ### log.segment.bytes}: dots dropped. */
    private static String anchor(String name) {
        return name.replace(".", "");
    }

    private static final String INTRO = """
            Every key below is declared once in the broker's config registry, which validates configuration
            at start-up and in CreateTopics/AlterConfigs requests, and generates this page.

            ## Where configuration comes from

            A broker reads its configuration from these sources; a key set in several takes the value of the
            highest:

            | Precedence | Source | Example |
            |---|---|---|
            | 1 (highest) | `--set key=value` on the command line, repeatable | `cairn broker --set port=7400` |
            | 2 | environment variables `CAIRN_<KEY>`: the key upper-cased, `.` replaced by `_` | `CAIRN_LOG_RETENTION_MS=86400000` sets `log.retention.ms` |
            | 3 | the Java properties file given with `--config FILE` (UTF-8) | `log.retention.ms=7d` |
            | 4 (lowest) | the defaults listed here | |

            Start-up stops, before anything is opened, when any source names an unknown key or gives an
            invalid value (even one that a higher source overrides) or when keys contradict each other.
            The message names each problem with its source, all problems at once:

            ```
            invalid configuration, 2 problems:
              - log.retension.ms=1d (file /etc/cairn/broker.properties line 7): unknown key; did you mean log.retention.ms?
              - port=70000 (environment variable CAIRN_PORT): out of range [0, 65535]
            ```

            Environment variables that do not start with `CAIRN_` are ignored, and so are the launcher's own:
            `CAIRN_HOME`, `CAIRN_CONFIG`, `CAIRN_LOG_LEVEL` and every `CAIRN_*_OPTS` (such as `CAIRN_OPTS`,
            `CAIRN_HEAP_OPTS`). Every other `CAIRN_*` variable must name a key. In the file, a key given twice
            takes the later value. Consistency rules checked between keys:

            - `max.frame.bytes` >= `message.max.bytes` + 1 KiB, so one batch of the largest size fits in a
              produce request;
            - `group.consumer.heartbeat.interval.ms` < `group.consumer.session.timeout.ms`;
            - `metrics.port` differs from `port` (unless either picks a free port);
            - `num.partitions` and `offsets.topic.num.partitions` <= `max.partitions.per.topic`.

            Topic configs (last section) are set per topic in CreateTopics and AlterConfigs requests (for
            example through the `cairn` command); an unset one takes the broker default named with it.
            Changes to broker keys take effect at the next start; there are no dynamic broker configs yet.

            ## Value formats

            | Type | Written as |
            |---|---|
            | int, long | decimal integer: `7390`, `-1` |
            | double | decimal number: `0.5` |
            | boolean | `true` or `false` (any case) |
            | string | text, surrounding white space removed |
            | host | host name, IPv4 or IPv6 literal; not resolved when the configuration is checked |
            | list | comma-separated items: `compact,delete` |
            | choice | one of the listed values, any case: `logappendtime` is `LogAppendTime` |
            | duration (ms) | milliseconds, or an integer with a unit suffix `ms`, `s`, `m`, `h`, `d`: `604800000` = `7d`; `-1` where the key allows it |
            | size (bytes) | bytes, or an integer with a binary suffix `KiB`, `MiB`, `GiB`, `TiB`: `1073741824` = `1GiB` |

            Values are reported (DescribeConfigs) in milliseconds and bytes, without suffixes.

            """;

    private static final String TOPIC_INTRO = """
            Set per topic; the default is the broker key named under each entry (whose own default is shown).
            An unknown key or invalid value fails the CreateTopics or AlterConfigs request with `INVALID_CONFIG`
            and a message naming the key, the value and what is allowed. Stored overrides are listed by
            DescribeConfigs with source "topic"; the other keys with the source of the broker default.

            """;
}
