package io.cairn.broker;

import io.cairn.broker.partition.DataPathExtension;
import java.util.List;

/**
 * The extensions a standard broker runs, in start-up order (stop order is the reverse). The one
 * place that decides what a {@code cairn broker} process serves beyond ApiVersions and the topic
 * admin APIs.
 */
public final class BrokerExtensions {
    private BrokerExtensions() {
    }

    /** Every extension of a standard broker, new instances each call. */
    public static List<BrokerExtension> standard() {
        return List.of(new DataPathExtension());
    }
}
