package io.cairn.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;

/**
 * Picks a TCP port free on the loopback interface at the moment of the call. A broker that must
 * keep its port across restarts cannot bind port 0; the port picked here may still be taken by
 * someone else before the broker binds it, which {@link BrokerProcess} retries.
 */
final class FreePorts {
    private FreePorts() {
    }

    static int pick() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on the loopback interface", e);
        }
    }
}
