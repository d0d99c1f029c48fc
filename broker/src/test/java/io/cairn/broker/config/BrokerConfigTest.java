package io.cairn.broker.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.cairn.storage.CleanupPolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BrokerConfigTest {

    @TempDir
    Path dir;

    private Path file(String text) throws IOException {
        Path f = dir.resolve("broker.properties");
        Files.writeString(f, text);
        return f;
    }

    @Test
    void defaultsAreTheDocumentedOnes() {
        BrokerConfig c = BrokerConfig.defaults();
        assertThat(c.host()).isEqualTo("0.0.0.0");
        assertThat(c.advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(c.port()).isEqualTo(7390);
        assertThat(c.metricsPort()).isEqualTo(7391);
        assertThat(c.metricsEnabled()).isTrue();
        assertThat(c.dataDir()).isEqualTo(Path.of("./data"));
        assertThat(c.metaDir()).isEqualTo(Path.of("./data/meta"));
        assertThat(c.maxFrameBytes()).isEqualTo(100 << 20);
        assertThat(c.connectionsMaxIdleMs()).isEqualTo(600_000L);
        assertThat(c.autoCreateTopicsEnable()).isFalse();
        assertThat(c.numPartitions()).isEqualTo(1);
        assertThat(c.offsetsTopicNumPartitions()).isEqualTo(50);
        assertThat(c.offsetsTopicSegmentBytes()).isEqualTo(100L << 20);
        assertThat(c.groupConsumerSessionTimeoutMs()).isEqualTo(45_000L);
        assertThat(c.groupConsumerHeartbeatIntervalMs()).isEqualTo(5_000L);
        assertThat(c.source("port")).isEqualTo(ConfigSource.DEFAULT);
        assertThat(c.topicDefault(TopicConfigKeys.SEGMENT_BYTES)).isEqualTo(1L << 30);
    }

    @Test
    void precedenceIsSetThenEnvThenFileThenDefault() throws Exception {
        Path f = file("port=7400\nnode.id=3\nlog.retention.ms=1d\nnum.partitions=4\n");
        Map<String, String> env = Map.of("CAIRN_PORT", "7401", "CAIRN_NODE_ID", "4", "PATH", "/usr/bin");
        Map<String, String> sets = Map.of("port", "7402");
        BrokerConfig c = BrokerConfig.load(f, sets, env);
        assertThat(c.port()).isEqualTo(7402);
        assertThat(c.source("port")).isEqualTo(ConfigSource.SET);
        assertThat(c.nodeId()).isEqualTo(4);
        assertThat(c.source("node.id")).isEqualTo(ConfigSource.env("CAIRN_NODE_ID"));
        assertThat(c.topicDefault(TopicConfigKeys.RETENTION_MS)).isEqualTo(86_400_000L);
        assertThat(c.source("log.retention.ms").describe()).isEqualTo("file " + f + " line 3");
        assertThat(c.numPartitions()).isEqualTo(4);
        assertThat(c.metricsPort()).isEqualTo(7391);
        assertThat(c.source("metrics.port").kind()).isEqualTo(ConfigSource.Kind.DEFAULT);
    }

    @Test
    void environmentNamesMapToKeys() throws Exception {
        BrokerConfig c = BrokerConfig.load(null, Map.of(),
                Map.of("CAIRN_LOG_RETENTION_MS", "3600000", "CAIRN_AUTO_CREATE_TOPICS_ENABLE", "true"));
        assertThat(c.topicDefault(TopicConfigKeys.RETENTION_MS)).isEqualTo(3_600_000L);
        assertThat(c.autoCreateTopicsEnable()).isTrue();
        assertThat(BrokerConfig.envVariableFor("log.retention.ms")).isEqualTo("CAIRN_LOG_RETENTION_MS");
    }

    @Test
    void launcherVariablesAreNotKeys() throws Exception {
        BrokerConfig c = BrokerConfig.load(null, Map.of(), Map.of(
                "CAIRN_HOME", "/opt/cairn", "CAIRN_OPTS", "-Dx=y", "CAIRN_HEAP_OPTS", "-Xmx1g",
                "CAIRN_CONFIG", "/etc/cairn.properties", "CAIRN_LOG_LEVEL", "debug", "JAVA_HOME", "/jdk"));
        assertThat(c.port()).isEqualTo(7390);
    }

    @Test
    void everyProblemIsReportedWithItsSource() throws Exception {
        Path f = file("# broker\n"
                + "port = 7400\n"
                + "\n"
                + "log.retension.ms=1d\n"
                + "num.partitions=zero\n");
        Map<String, String> env = Map.of("CAIRN_MAX_CONNECTIONS", "-5", "CAIRN_NO_SUCH_THING", "1");
        Map<String, String> sets = new LinkedHashMap<>();
        sets.put("io.threads", "0");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> BrokerConfig.load(f, sets, env));
        assertThat(e.problems()).hasSize(5);
        assertThat(e.getMessage()).startsWith("invalid configuration, 5 problems:")
                .contains("log.retension.ms=1d (file " + f + " line 4): unknown key; did you mean log.retention.ms?")
                .contains("num.partitions=zero (file " + f + " line 5): not an integer")
                .contains("max.connections=-5 (environment variable CAIRN_MAX_CONNECTIONS): out of range [1, ...]")
                .contains("no.such.thing=1 (environment variable CAIRN_NO_SUCH_THING): unknown key")
                .contains("io.threads=0 (--set): out of range [1, 256]");
    }

    @Test
    void anInvalidValueIsReportedEvenWhenAHigherSourceOverridesIt() {
        assertThatThrownBy(() -> BrokerConfig.load(null, Map.of("port", "7400"), Map.of("CAIRN_PORT", "x")))
                .isInstanceOf(ConfigException.class)
                .hasMessage("invalid configuration: port=x (environment variable CAIRN_PORT): "
                        + "not an integer (expected an integer); valid values: [0, 65535]");
    }

    @Test
    void aTopicKeyGivenToTheBrokerPointsToItsBrokerName() {
        assertThatThrownBy(() -> BrokerConfig.load(null, Map.of("delete.retention.ms", "1"), Map.of()))
                .hasMessageContaining("delete.retention.ms=1 (--set): unknown key; delete.retention.ms is a topic config, "
                        + "its broker default is log.cleaner.delete.retention.ms");
    }

    @Test
    void continuationLinesKeepTheLineOfTheirStart() throws Exception {
        Path f = file("node.id=1\n"
                + "log.cleanup.policy=compact,\\\n"
                + "    delete\n"
                + "port=\\\n"
                + "  nope\n");
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> BrokerConfig.load(f, Map.of(), Map.of()));
        assertThat(e.problems()).singleElement().satisfies(p -> {
            assertThat(p.key()).isEqualTo("port");
            assertThat(p.value()).isEqualTo("nope");
            assertThat(p.source()).isEqualTo(ConfigSource.file(f, 4));
        });
        BrokerConfig ok = BrokerConfig.load(file("log.cleanup.policy=compact,\\\n    delete\n"), Map.of(), Map.of());
        assertThat(ok.topicDefaults().cleanupPolicy()).isEqualTo(CleanupPolicy.COMPACT_DELETE);
    }

    @Test
    void laterEntryInTheFileWinsAndEscapesWork() throws Exception {
        Path f = file("data.dir=/tmp/a\ndata.dir=/tmp/b\\u00e9\nhost:127.0.0.1\n");
        BrokerConfig c = BrokerConfig.load(f, Map.of(), Map.of());
        assertThat(c.dataDir()).isEqualTo(Path.of("/tmp/b\u00e9"));
        assertThat(c.host()).isEqualTo("127.0.0.1");
        assertThat(c.advertisedHost()).isEqualTo("127.0.0.1");
    }

    @Test
    void missingFileIsOneClearProblem() {
        Path missing = dir.resolve("nope.properties");
        assertThatThrownBy(() -> BrokerConfig.load(missing, Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class)
                .hasMessage("config file " + missing + " does not exist");
    }

    @Test
    void inconsistentKeysAreRefused() {
        ConfigException e = catchThrowableOfType(ConfigException.class, () -> BrokerConfig.load(null,
                Map.of("max.frame.bytes", "1MiB", "group.consumer.heartbeat.interval.ms", "45s",
                        "port", "9000", "metrics.port", "9000"), Map.of()));
        assertThat(e.getMessage())
                .contains("max.frame.bytes=1048576 (--set): must be at least message.max.bytes + 1024 = 1049612")
                .contains("group.consumer.heartbeat.interval.ms=45000 (--set): must be below group.consumer.session.timeout.ms=45000")
                .contains("metrics.port=9000 (--set): must differ from port=9000");
        assertThat(BrokerConfig.of(Map.of("port", "0", "metrics.port", "0")).port()).isZero();
        assertThatThrownBy(() -> BrokerConfig.of(Map.of("max.partitions.per.topic", "8", "num.partitions", "9")))
                .hasMessageContaining("num.partitions=9 (--set): must not exceed max.partitions.per.topic=8")
                .hasMessageContaining("offsets.topic.num.partitions=50 (default): must not exceed max.partitions.per.topic=8");
    }

    @Test
    void advertisedHostFollowsHostUnlessSet() {
        assertThat(BrokerConfig.of(Map.of("host", "10.1.2.3")).advertisedHost()).isEqualTo("10.1.2.3");
        assertThat(BrokerConfig.of(Map.of("host", "::")).advertisedHost()).isEqualTo("127.0.0.1");
        assertThat(BrokerConfig.of(Map.of("advertised.host", "cairn.example")).advertisedHost()).isEqualTo("cairn.example");
    }

    @Test
    void withReplacesKeysAndKeepsOtherSources() throws Exception {
        BrokerConfig base = BrokerConfig.load(null, Map.of(), Map.of("CAIRN_NODE_ID", "7"));
        BrokerConfig c = base.with(Map.of("port", "0"));
        assertThat(c.port()).isZero();
        assertThat(c.nodeId()).isEqualTo(7);
        assertThat(c.source("node.id")).isEqualTo(ConfigSource.env("CAIRN_NODE_ID"));
        assertThatThrownBy(() -> base.with(Map.of("port", "-3"))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("port=-3 (--set)");
    }

    @Test
    void entriesListEveryKeyWithItsSource() {
        BrokerConfig c = BrokerConfig.of(Map.of("log.segment.bytes", "64MiB"));
        assertThat(c.entries()).hasSize(BrokerConfigKeys.DEF.keys().size());
        assertThat(c.entries()).contains(new ConfigEntry("log.segment.bytes", "67108864", ConfigSource.SET));
        assertThat(c.entries()).filteredOn(ConfigEntry::isDefault).hasSize(BrokerConfigKeys.DEF.keys().size() - 1);
        assertThat(c.toString()).isEqualTo("BrokerConfig{log.segment.bytes=67108864 (--set)}");
    }
}
