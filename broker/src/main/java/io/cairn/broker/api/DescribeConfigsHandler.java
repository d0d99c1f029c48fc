package io.cairn.broker.api;

import io.cairn.broker.config.BrokerConfig;
import io.cairn.broker.config.BrokerConfigKeys;
import io.cairn.broker.config.ConfigDef;
import io.cairn.broker.config.ConfigEntry;
import io.cairn.broker.config.ConfigKey;
import io.cairn.broker.config.ConfigSource;
import io.cairn.broker.config.ConfigType;
import io.cairn.broker.config.TopicConfig;
import io.cairn.broker.config.TopicConfigKeys;
import io.cairn.broker.metadata.TopicRegistry;
import io.cairn.protocol.message.ConfigResources;
import io.cairn.protocol.message.DescribeConfigsRequest;
import io.cairn.protocol.message.DescribeConfigsResponse;
import io.cairn.protocol.wire.ErrorCode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * DescribeConfigs: the effective configuration of topics (every topic key: the topic's override or
 * the broker default, {@code isDefault} telling which) and of this broker (every broker key,
 * read-only: broker settings change only with a restart). Read from immutable snapshots on the
 * event loop. A broker resource names this broker's {@code node.id} or is empty; another id, an
 * unknown topic or an unknown resource type fails that resource only.
 */
public final class DescribeConfigsHandler implements ApiHandler<DescribeConfigsRequest, DescribeConfigsResponse> {
    private final TopicRegistry registry;
    private final BrokerConfig config;

    public DescribeConfigsHandler(TopicRegistry registry, BrokerConfig config) {
        this.registry = registry;
        this.config = config;
    }

    @Override
    public CompletableFuture<DescribeConfigsResponse> handle(RequestContext context, DescribeConfigsRequest request) {
        List<DescribeConfigsResponse.DescribeConfigsResult> results = new ArrayList<>(request.resources().size());
        for (DescribeConfigsRequest.DescribeConfigsResource resource : request.resources()) {
            results.add(describe(resource, request.includeDocumentation()));
        }
        return CompletableFuture.completedFuture(new DescribeConfigsResponse(ErrorCode.NONE.code(), null, results));
    }

    private DescribeConfigsResponse.DescribeConfigsResult describe(DescribeConfigsRequest.DescribeConfigsResource resource,
                                                                  boolean docs) {
        Set<String> wanted = resource.configurationKeys() == null ? null : new HashSet<>(resource.configurationKeys());
        String name = resource.resourceName();
        if (resource.resourceType() == ConfigResources.TYPE_TOPIC) {
            Optional<TopicConfig> topic = registry.liveTopic(name).flatMap(t -> registry.config(name));
            if (topic.isEmpty()) {
                return failed(resource, ErrorCode.UNKNOWN_TOPIC_OR_PARTITION, "topic " + name + " does not exist");
            }
            return ok(resource, entries(topic.get().entries(name), TopicConfigKeys.DEF, wanted, docs, false));
        }
        if (resource.resourceType() == ConfigResources.TYPE_BROKER) {
            if (!name.isEmpty() && !name.equals(Integer.toString(config.nodeId()))) {
                return failed(resource, ErrorCode.INVALID_REQUEST, "broker " + name + " is not this broker (node.id="
                        + config.nodeId() + ")");
            }
            return ok(resource, entries(config.entries(), BrokerConfigKeys.DEF, wanted, docs, true));
        }
        return failed(resource, ErrorCode.INVALID_REQUEST, "resource type " + resource.resourceType()
                + " is not supported (expected: " + ConfigResources.TYPE_TOPIC + " topic or " + ConfigResources.TYPE_BROKER + " broker)");
    }

    private static List<DescribeConfigsResponse.DescribeConfigsEntry> entries(List<ConfigEntry> all, ConfigDef def,
            Set<String> wanted, boolean docs, boolean broker) {
        List<DescribeConfigsResponse.DescribeConfigsEntry> out = new ArrayList<>();
        for (ConfigEntry e : all) {
            if (wanted != null && !wanted.contains(e.name())) {
                continue;
            }
            Optional<ConfigKey<?>> key = def.key(e.name());
            boolean isDefault = broker ? e.source().kind() == ConfigSource.Kind.DEFAULT : e.source().kind() != ConfigSource.Kind.TOPIC;
            out.add(new DescribeConfigsResponse.DescribeConfigsEntry(e.name(), e.value(), broker, isDefault, false,
                    key.map(k -> kafkaType(k.type())).orElse((byte) 0), docs ? key.map(ConfigKey::doc).orElse(null) : null));
        }
        return out;
    }

    /** Kafka's config type numbers: 1 boolean, 2 string, 3 int, 5 long, 6 double, 7 list. */
    static byte kafkaType(ConfigType type) {
        return switch (type) {
            case BOOLEAN -> 1;
            case STRING, CHOICE, HOST -> 2;
            case INT -> 3;
            case LONG, DURATION_MS, SIZE_BYTES -> 5;
            case DOUBLE -> 6;
            case LIST -> 7;
        };
    }

    private static DescribeConfigsResponse.DescribeConfigsResult ok(DescribeConfigsRequest.DescribeConfigsResource resource,
            List<DescribeConfigsResponse.DescribeConfigsEntry> entries) {
        return new DescribeConfigsResponse.DescribeConfigsResult(ErrorCode.NONE.code(), null, resource.resourceType(),
                resource.resourceName(), entries);
    }

    private static DescribeConfigsResponse.DescribeConfigsResult failed(DescribeConfigsRequest.DescribeConfigsResource resource,
            ErrorCode error, String message) {
        return new DescribeConfigsResponse.DescribeConfigsResult(error.code(), message, resource.resourceType(),
                resource.resourceName(), List.of());
    }
}
