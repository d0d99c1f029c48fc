package io.cairn.broker.metadata;

import io.cairn.storage.TopicPartition;
import java.util.List;

/**
 * What {@link TopicRegistry#reconcile} changed to make the registry and the partition
 * directories agree; every item is also logged. Empty lists after a clean shutdown.
 *
 * @param rebuilt             the metadata store was new (lost or never written) while partition
 *                            directories existed, and the registry was rebuilt from them
 * @param rolledForward       topics found CREATING (or with partitions pending) and completed
 * @param deletesFinished     topics found DELETING whose deletion was completed
 * @param adopted             topics found only as directories and registered with default configs
 * @param extended            registered topics whose partition count grew to cover directories
 *                            found beyond it
 * @param recreatedPartitions partitions of LIVE topics whose directory was missing (not as part of
 *                            an unfinished operation) and was recreated empty
 */
public record ReconcileReport(boolean rebuilt, List<String> rolledForward, List<String> deletesFinished,
                              List<String> adopted, List<String> extended, List<TopicPartition> recreatedPartitions) {

    public ReconcileReport {
        rolledForward = List.copyOf(rolledForward);
        deletesFinished = List.copyOf(deletesFinished);
        adopted = List.copyOf(adopted);
        extended = List.copyOf(extended);
        recreatedPartitions = List.copyOf(recreatedPartitions);
    }

    /** Whether nothing had to be repaired. */
    public boolean clean() {
        return !rebuilt && rolledForward.isEmpty() && deletesFinished.isEmpty() && adopted.isEmpty()
                && extended.isEmpty() && recreatedPartitions.isEmpty();
    }
}
