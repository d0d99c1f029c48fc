package io.cairn.cli;

import io.cairn.broker.Broker;
import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.config.BrokerConfigKeys;
import io.cairn.broker.config.ConfigException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code cairn broker}: runs one broker in the foreground until SIGTERM or SIGINT, then stops it
 * cleanly (in-flight requests answered, logs flushed and checkpointed, {@code .clean-shutdown}
 * written). Logs {@code listening on <host>:<port>} once clients can connect.
 *
 * <p>Settings, highest precedence first: the dedicated options ({@code --port} ...), {@code --set},
 * {@code CAIRN_*} environment variables, the {@code --config} file, the defaults.
 */
@Command(
        name = "broker",
        mixinStandardHelpOptions = true,
        description = {
            "Runs a broker in the foreground; stops cleanly on SIGTERM or SIGINT.",
            "With no options: single node, clients on port 7390, metrics on 7391, data in ./data."
        })
final class BrokerCommand implements Callable<Integer> {
    private static final Logger log = LoggerFactory.getLogger(BrokerCommand.class);
    /** Read by {@code bin/cairn}, not by the broker. */
    private static final Set<String> LAUNCHER_VARIABLES = Set.of("CAIRN_HEAP", "CAIRN_JAR", "CAIRN_JAVA_OPTS", "CAIRN_BOOTSTRAP");

    @Option(names = "--config", paramLabel = "FILE", description = "Java properties file with broker settings.")
    private Path configFile;

    @Option(names = "--data-dir", paramLabel = "DIR", description = "Data directory (data.dir); default ./data.")
    private String dataDir;

    @Option(names = "--host", paramLabel = "H", description = "Address to bind (host); default all interfaces.")
    private String host;

    @Option(names = "--port", paramLabel = "N", description = "Client port (port); 0 picks a free one. Default 7390.")
    private Integer port;

    @Option(names = "--metrics-port", paramLabel = "N",
            description = "Metrics HTTP port (metrics.port); 0 picks a free one, -1 disables. Default 7391.")
    private Integer metricsPort;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Sets any broker setting; repeatable.")
    private Map<String, String> sets = new LinkedHashMap<>();

    @Override
    public Integer call() throws Exception {
        BrokerConfig config;
        try {
            config = BrokerConfig.load(configFile, overrides(), configEnvironment());
        } catch (ConfigException e) {
            log.error("not starting: {}", e.getMessage());
            return 1;
        }
        Broker broker;
        try {
            broker = Broker.start(config);
        } catch (IOException | RuntimeException e) {
            // Broker.start has logged why, in one line
            return 1;
        }
        Thread hook = new Thread(broker::stop, "cairn-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        broker.awaitStopped();
        return 0;
    }

    /** The environment without the variables {@code bin/cairn} itself reads, which are not settings. */
    private static Map<String, String> configEnvironment() {
        Map<String, String> env = new HashMap<>(System.getenv());
        env.keySet().removeAll(LAUNCHER_VARIABLES);
        return env;
    }

    /** {@code --set} values with the dedicated options on top. */
    private Map<String, String> overrides() {
        Map<String, String> all = new LinkedHashMap<>(sets);
        put(all, BrokerConfigKeys.DATA_DIR.name(), dataDir);
        put(all, BrokerConfigKeys.HOST.name(), host);
        put(all, BrokerConfigKeys.PORT.name(), port);
        put(all, BrokerConfigKeys.METRICS_PORT.name(), metricsPort);
        return all;
    }

    private static void put(Map<String, String> all, String key, Object value) {
        if (value != null) {
            all.remove(key);
            all.put(key, value.toString());
        }
    }
}
