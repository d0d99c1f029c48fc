package io.cairn.cli.common;

import io.cairn.client.TopicPartition;
import io.cairn.client.admin.CairnAdmin;
import io.cairn.client.admin.PartitionDescription;
import io.cairn.client.admin.TopicDescription;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/** Opening admin clients and waiting for their operations the way every command does. Stateless. */
public final class Admins {
    /** Default bound of an admin operation, retries included. */
    public static final int DEFAULT_TIMEOUT_MS = 30_000;

    private Admins() {
    }

    /** A new admin client on {@code bootstrap} whose operations give up after {@code timeoutMs}. */
    public static CairnAdmin open(String bootstrap, int timeoutMs) {
        return CairnAdmin.builder()
                .bootstrapServers(bootstrap)
                .defaultApiTimeoutMs(timeoutMs)
                .requestTimeoutMs(Math.min(timeoutMs, DEFAULT_TIMEOUT_MS))
                .build();
    }

    /** The result of {@code operation}, or a {@link CommandFailure} "{@code what}: reason". */
    public static <T> T await(String what, CompletableFuture<T> operation) throws InterruptedException {
        try {
            return operation.get();
        } catch (ExecutionException e) {
            throw new CommandFailure(what, e);
        }
    }

    /** Every partition of {@code topic}, in order; fails naming the topic when it does not exist. */
    public static List<TopicPartition> partitions(String bootstrap, String topic) throws InterruptedException {
        TopicDescription description;
        try (CairnAdmin admin = open(bootstrap, DEFAULT_TIMEOUT_MS)) {
            description = await("describe topic " + topic, admin.describeTopics(List.of(topic))).get(topic);
        }
        if (description == null) {
            throw new CommandFailure("describe topic " + topic, "topic does not exist");
        }
        List<TopicPartition> partitions = new ArrayList<>();
        for (PartitionDescription p : description.partitions()) {
            partitions.add(new TopicPartition(topic, p.partition()));
        }
        return partitions;
    }
}
