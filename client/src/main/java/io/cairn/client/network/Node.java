package io.cairn.client.network;

/**
 * A broker as metadata describes it: its id and address. Bootstrap entries, whose ids are not yet
 * known, carry negative ids. Immutable.
 *
 * @param id the broker id (negative for a bootstrap entry)
 * @param host host name
 * @param port TCP port
 */
public record Node(int id, String host, int port) {
    /** The address connections are keyed by. */
    public BrokerAddress address() {
        return new BrokerAddress(host, port);
    }

    @Override
    public String toString() {
        return "broker " + id + " (" + address() + ")";
    }
}
