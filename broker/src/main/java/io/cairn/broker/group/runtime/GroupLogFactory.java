package io.cairn.broker.group.runtime;

import java.io.IOException;

/** Opens the {@link GroupLog} of a partition of {@code __consumer_offsets}. */
@FunctionalInterface
public interface GroupLogFactory {
    GroupLog open(int partition) throws IOException;
}
