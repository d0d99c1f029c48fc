package io.cairn.broker.group.handler;

import io.cairn.broker.api.ApiHandler;
import io.cairn.broker.api.RequestContext;
import io.cairn.broker.group.CommittedOffset;
import io.cairn.broker.group.GroupCoordinator;
import io.cairn.broker.group.GroupDescription;
import io.cairn.broker.group.GroupLag;
import io.cairn.broker.group.MemberDescription;
import io.cairn.broker.group.TopicPartition;
import io.cairn.protocol.message.DescribeGroupsRequest;
import io.cairn.protocol.message.DescribeGroupsResponse;
import io.cairn.protocol.wire.ErrorCode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.ToLongFunction;

/**
 * DescribeGroups → {@link GroupCoordinator#describeGroups}, with each committed offset's lag
 * against the partition's end offset. Stateless; any thread.
 */
public final class DescribeGroupsHandler implements ApiHandler<DescribeGroupsRequest, DescribeGroupsResponse> {

    private final GroupCoordinator coordinator;
    private final ToLongFunction<TopicPartition> logEndOffset;

    /**
     * @param logEndOffset the end offset consumers can read to (high watermark) of a partition, or
     *                     a negative value when unknown
     */
    public DescribeGroupsHandler(GroupCoordinator coordinator, ToLongFunction<TopicPartition> logEndOffset) {
        this.coordinator = coordinator;
        this.logEndOffset = logEndOffset;
    }

    @Override
    public CompletableFuture<DescribeGroupsResponse> handle(RequestContext context, DescribeGroupsRequest request) {
        return handle(request);
    }

    CompletableFuture<DescribeGroupsResponse> handle(DescribeGroupsRequest request) {
        return coordinator.describeGroups(request.groupIds()).thenApply(descriptions -> {
            List<DescribeGroupsResponse.DescribedGroup> groups = new ArrayList<>(descriptions.size());
            for (GroupDescription d : descriptions) {
                groups.add(describe(d));
            }
            return new DescribeGroupsResponse(ErrorCode.NONE.code(), null, groups);
        });
    }

    private DescribeGroupsResponse.DescribedGroup describe(GroupDescription d) {
        String groupId = d.groupId() == null ? "" : d.groupId();
        if (d.error() != ErrorCode.NONE) {
            return new DescribeGroupsResponse.DescribedGroup(d.error().code(), d.error().defaultMessage(), groupId,
                    d.state().displayName(), null, -1, -1, List.of(), List.of());
        }
        List<DescribeGroupsResponse.Member> members = new ArrayList<>(d.members().size());
        for (MemberDescription m : d.members()) {
            members.add(new DescribeGroupsResponse.Member(m.memberId(), m.instanceId(), m.memberEpoch(), m.clientId(),
                    m.clientHost(), m.subscribedTopicNames(), m.subscribedTopicRegex(),
                    Conversions.toWire(m.assignment())));
        }
        List<DescribeGroupsResponse.Offset> offsets = new ArrayList<>(d.offsets().size());
        for (Map.Entry<TopicPartition, CommittedOffset> entry : d.offsets().entrySet()) {
            TopicPartition tp = entry.getKey();
            long end = logEndOffset.applyAsLong(tp);
            long committed = entry.getValue().offset();
            offsets.add(new DescribeGroupsResponse.Offset(tp.topic(), tp.partition(), committed, end < 0 ? -1 : end,
                    GroupLag.lag(committed, end)));
        }
        return new DescribeGroupsResponse.DescribedGroup(ErrorCode.NONE.code(), null, groupId, d.state().displayName(),
                d.assignor(), d.groupEpoch(), d.assignmentEpoch(), members, offsets);
    }
}
