package io.cairn.bench.kafka;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;

/**
 * Creates or deletes several Apache Kafka topics in one JVM for the Cairn-vs-Kafka benchmark, so
 * that setting up a workload does not pay one tool start-up per topic. Single-threaded.
 *
 * <pre>
 * Topics BOOTSTRAP create PARTITIONS TOPIC[,TOPIC...] [key=value ...]   topic configs, e.g. flush.messages=1
 * Topics BOOTSTRAP delete TOPIC[,TOPIC...]
 * </pre>
 * A create returns once every partition of every topic has a leader; exit code 0 on success.
 */
public final class Topics {

    private static final long TIMEOUT_MS = 60_000;

    private Topics() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 3) {
            throw new IllegalArgumentException("usage: Topics BOOTSTRAP create PARTITIONS T1[,T2...] [k=v ...]"
                    + " | Topics BOOTSTRAP delete T1[,T2...]");
        }
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        try (Admin admin = Admin.create(props)) {
            switch (args[1]) {
                case "create" -> create(admin, Integer.parseInt(args[2]), List.of(args[3].split(",")),
                        configs(args, 4));
                case "delete" -> admin.deleteTopics(List.of(args[2].split(","))).all()
                        .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
                default -> throw new IllegalArgumentException("unknown command " + args[1]);
            }
        }
    }

    private static Map<String, String> configs(String[] args, int from) {
        Map<String, String> configs = new HashMap<>();
        for (int i = from; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("topic config must be key=value, got '" + args[i] + "'");
            }
            configs.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        return configs;
    }

    private static void create(Admin admin, int partitions, List<String> topics, Map<String, String> configs)
            throws InterruptedException, ExecutionException, TimeoutException {
        List<NewTopic> newTopics = new ArrayList<>();
        for (String topic : topics) {
            newTopics.add(new NewTopic(topic, partitions, (short) 1).configs(configs));
        }
        admin.createTopics(newTopics).all().get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(TIMEOUT_MS);
        while (!allLed(admin, topics, partitions)) {
            if (System.nanoTime() > deadline) {
                throw new TimeoutException("topics " + topics + " have partitions without a leader after "
                        + TIMEOUT_MS + " ms");
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    private static boolean allLed(Admin admin, List<String> topics, int partitions)
            throws InterruptedException, TimeoutException {
        Map<String, TopicDescription> descriptions;
        try {
            descriptions = admin.describeTopics(Set.copyOf(topics)).allTopicNames()
                    .get(TIMEOUT_MS, TimeUnit.MILLISECONDS);
        } catch (ExecutionException e) {
            return false; // the broker's metadata may trail the controller for a moment after a create
        }
        for (TopicDescription description : descriptions.values()) {
            if (description.partitions().size() != partitions
                    || description.partitions().stream().anyMatch(p -> p.leader() == null)) {
                return false;
            }
        }
        return true;
    }
}
