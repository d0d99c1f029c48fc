package io.cairn.cli.common;

import io.cairn.broker.config.BrokerConfigKeys;
import java.util.Map;
import picocli.CommandLine.Option;

/**
 * Options every command that talks to a broker shares: where the broker is ({@code --bootstrap},
 * else {@code CAIRN_BOOTSTRAP}, else {@code localhost:7390}, the broker's default port) and
 * {@code --verbose}, and {@code --help}. A picocli mixin; one instance per command invocation.
 */
public final class ClientOptions {
    /** The environment variable naming the broker when {@code --bootstrap} is not given. */
    public static final String BOOTSTRAP_ENV = "CAIRN_BOOTSTRAP";
    /** The broker's default client address: this host, the broker's default port. */
    public static final String DEFAULT_BOOTSTRAP = "localhost:" + BrokerConfigKeys.PORT.defaultValue();

    @Option(names = {"-b", "--bootstrap"}, paramLabel = "HOST:PORT", order = OptionOrder.COMMON,
            description = "Broker to connect to (comma-separated for several). "
                    + "Default: $" + BOOTSTRAP_ENV + ", else localhost:7390.")
    private String bootstrap;

    @Option(names = {"-h", "--help"}, usageHelp = true, order = OptionOrder.COMMON + 2,
            description = "Show this help message and exit.")
    private boolean help;

    @Option(names = {"-v", "--verbose"}, order = OptionOrder.COMMON + 3,
            description = "On failure, print the stack trace after the error line; log client events at INFO.")
    private boolean verbose;

    /** The bootstrap address to use: the option, else the environment variable, else the default. */
    public String bootstrap() {
        return resolveBootstrap(bootstrap, System.getenv());
    }

    public boolean verbose() {
        return verbose;
    }

    static String resolveBootstrap(String option, Map<String, String> env) {
        if (option != null && !option.isBlank()) {
            return option.trim();
        }
        String fromEnv = env.get(BOOTSTRAP_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return fromEnv.trim();
        }
        return DEFAULT_BOOTSTRAP;
    }
}
