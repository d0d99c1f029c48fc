package io.cairn.client.network;

import io.cairn.client.errors.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A broker's host and port, the key of a connection. Immutable.
 *
 * @param host host name or IP literal
 * @param port TCP port
 */
public record BrokerAddress(String host, int port) {
    /** Checks the host is present and the port valid. */
    public BrokerAddress {
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range for host " + host + ": " + port);
        }
    }

    /**
     * Parses {@code host:port} (IPv6 literals as {@code [::1]:7390}).
     *
     * @throws ConfigException naming the entry when it does not parse
     */
    public static BrokerAddress parse(String hostPort) {
        String s = hostPort.trim();
        int colon = s.lastIndexOf(':');
        if (colon <= 0 || colon == s.length() - 1) {
            throw new ConfigException("invalid bootstrap.servers entry '" + hostPort + "': expected host:port");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        try {
            int port = Integer.parseInt(s.substring(colon + 1));
            return new BrokerAddress(host, port);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("invalid bootstrap.servers entry '" + hostPort + "': bad port");
        }
    }

    /** Parses every entry of a {@code bootstrap.servers} list. */
    public static List<BrokerAddress> parseAll(List<String> hostPorts) {
        List<BrokerAddress> out = new ArrayList<>();
        for (String s : hostPorts) {
            out.add(parse(s));
        }
        return out;
    }

    @Override
    public String toString() {
        return host.indexOf(':') >= 0 ? "[" + host + "]:" + port : host + ":" + port;
    }
}
