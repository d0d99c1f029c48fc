package io.cairn.broker.api;

import io.cairn.broker.BrokerContext;
import io.cairn.broker.BrokerExtension;
import io.cairn.protocol.FileSlice;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.FetchRequest;
import io.cairn.protocol.message.FetchResponse;
import io.cairn.protocol.message.ProduceRequest;
import io.cairn.protocol.message.ProduceResponse;
import io.cairn.protocol.types.RecordBytes;
import java.nio.channels.FileChannel;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A test extension serving Fetch and Produce with scripted behaviour, chosen by the first topic
 * name of the request, so dispatcher and network tests can provoke slow, failing, silent and
 * large responses over a real socket.
 *
 * <pre>
 * Fetch topic "park"        the response waits until the test completes the future from {@link #parked}
 * Fetch topic "file"        one partition with records = the whole {@link #file} (sendfile path)
 * Fetch topic "throw"       the handler throws
 * Fetch topic "fail"        the handler returns a failed future
 * Fetch topic "null-field"  a response the encoder refuses (null topic name)
 * Fetch, any other topic    an empty success response, at once
 * Produce acks=0            no response; the topic names are appended to {@link #produced}
 * Produce otherwise         an empty success response
 * </pre>
 */
final class ScriptedApis implements BrokerExtension {
    final BlockingQueue<CompletableFuture<FetchResponse>> parked = new LinkedBlockingQueue<>();
    final ConcurrentLinkedQueue<String> produced = new ConcurrentLinkedQueue<>();
    final AtomicInteger fetchCalls = new AtomicInteger();
    final AtomicInteger closes = new AtomicInteger();
    volatile FileChannel file;
    volatile Thread handlerThread;

    @Override
    public void start(BrokerContext context) {
        context.dispatcher().register(ApiSpecs.FETCH, this::fetch);
        context.dispatcher().register(ApiSpecs.PRODUCE, this::produce);
    }

    private CompletableFuture<FetchResponse> fetch(RequestContext context, FetchRequest request) {
        fetchCalls.incrementAndGet();
        handlerThread = Thread.currentThread();
        String topic = request.topics().isEmpty() ? "" : request.topics().get(0).name();
        switch (topic) {
            case "park" -> {
                CompletableFuture<FetchResponse> future = new CompletableFuture<>();
                parked.add(future);
                return future;
            }
            case "file" -> {
                try {
                    FileSlice slice = new FileSlice(file, 0, Math.toIntExact(file.size()));
                    return CompletableFuture.completedFuture(withRecords("file", RecordBytes.of(slice)));
                } catch (java.io.IOException e) {
                    return CompletableFuture.failedFuture(e);
                }
            }
            case "throw" -> throw new IllegalStateException("scripted failure in " + context);
            case "fail" -> {
                return CompletableFuture.failedFuture(new IllegalStateException("scripted async failure"));
            }
            case "null-field" -> {
                return CompletableFuture.completedFuture(new FetchResponse((short) 0, null,
                        List.of(new FetchResponse.TopicResponse(null, List.of()))));
            }
            default -> {
                return CompletableFuture.completedFuture(empty(topic));
            }
        }
    }

    static FetchResponse empty(String topic) {
        return new FetchResponse((short) 0, null, List.of(new FetchResponse.TopicResponse(topic, List.of())));
    }

    static FetchResponse withRecords(String topic, RecordBytes records) {
        return new FetchResponse((short) 0, null, List.of(new FetchResponse.TopicResponse(topic, List.of(
                new FetchResponse.PartitionData(0, (short) 0, 0L, 0L, 0L, records)))));
    }

    private CompletableFuture<ProduceResponse> produce(RequestContext context, ProduceRequest request) {
        if (request.acks() == ProduceRequest.ACKS_NONE) {
            request.topics().forEach(t -> produced.add(t.name()));
            return CompletableFuture.completedFuture(null);
        }
        return CompletableFuture.completedFuture(new ProduceResponse((short) 0, null, List.of()));
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    static FetchRequest fetchRequest(String topic) {
        return new FetchRequest(0, 0, 1 << 20, FetchRequest.READ_UNCOMMITTED,
                List.of(new FetchRequest.FetchTopic(topic, List.of())));
    }

    static ProduceRequest produceRequest(String topic, short acks) {
        return new ProduceRequest(acks, 1000, List.of(new ProduceRequest.TopicData(topic, List.of())));
    }
}
