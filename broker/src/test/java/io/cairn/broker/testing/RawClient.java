package io.cairn.broker.testing;

import io.cairn.protocol.message.ApiRequest;
import io.cairn.protocol.message.ApiResponse;
import io.cairn.protocol.message.ApiSpec;
import io.cairn.protocol.message.ApiSpecs;
import io.cairn.protocol.message.ApiVersionsRequest;
import io.cairn.protocol.message.ApiVersionsResponse;
import io.cairn.protocol.wire.EncodedFrame;
import io.cairn.protocol.wire.ErrorCode;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

/**
 * A deliberately dumb blocking client for broker tests: it writes whatever bytes it is told to
 * (well-formed request frames or garbage) and reads response frames back without interpreting
 * their bodies. One instance per test thread; not thread-safe.
 *
 * <pre>
 * frame    := type:u16  length:u32  value:byte[length]
 * request  := type = apiKey            value = apiVersion:u16 correlationId:i32 clientId:str body
 * response := type = apiKey | 0x8000   value = correlationId:i32 body
 * </pre>
 */
public final class RawClient implements AutoCloseable {
    /** Frame header size: type (2) + length (4). */
    public static final int FRAME_HEADER_BYTES = 6;
    /** Largest response this client accepts before declaring the stream broken. */
    private static final int MAX_RESPONSE_BYTES = 64 * 1024 * 1024;

    private final Socket socket;
    private final DataInputStream in;
    private final DataOutputStream out;
    private int nextCorrelationId = 1;
    private String clientId = "raw-test-client";

    private RawClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(socket.getInputStream());
        this.out = new DataOutputStream(socket.getOutputStream());
    }

    public static RawClient connect(InetSocketAddress address) {
        try {
            Socket socket = new Socket();
            socket.setTcpNoDelay(true);
            socket.connect(address, 10_000);
            socket.setSoTimeout(10_000);
            return new RawClient(socket);
        } catch (IOException e) {
            throw new UncheckedIOException("connect to " + address, e);
        }
    }

    /** Connects to {@code host:port}. */
    public static RawClient connect(String bootstrap) {
        int colon = bootstrap.lastIndexOf(':');
        return connect(new InetSocketAddress(bootstrap.substring(0, colon), Integer.parseInt(bootstrap.substring(colon + 1))));
    }

    public RawClient clientId(String clientId) {
        this.clientId = clientId;
        return this;
    }

    /** Encodes {@code request} in {@code version} with the next correlation id, sends it and returns that id. */
    public <Q extends Record & ApiRequest, R extends Record & ApiResponse> int send(ApiSpec<Q, R> spec, int version, Q request) {
        int correlationId = nextCorrelationId++;
        sendRaw(bytes(spec.encodeRequest(UnpooledByteBufAllocator.DEFAULT, request, version, correlationId, clientId)));
        return correlationId;
    }

    /**
     * Reads the next response and decodes it as {@code spec}'s response in {@code version},
     * checking that it answers {@code correlationId}.
     */
    public <Q extends Record & ApiRequest, R extends Record & ApiResponse> R receive(ApiSpec<Q, R> spec, int version, int correlationId) {
        Response response = receive();
        if (response.correlationId() != correlationId || response.apiKey() != spec.apiKey().id()) {
            throw new IllegalStateException("expected the " + spec.apiKey().displayName() + " response to correlationId="
                    + correlationId + ", got api key " + response.apiKey() + " correlationId=" + response.correlationId());
        }
        return response.decode(spec, version);
    }

    /** Sends {@code request} and waits for its response (nothing else may be in flight). */
    public <Q extends Record & ApiRequest, R extends Record & ApiResponse> R call(ApiSpec<Q, R> spec, int version, Q request) {
        return receive(spec, version, send(spec, version, request));
    }

    /** {@link #call(ApiSpec, int, Record)} in the API's latest version. */
    public <Q extends Record & ApiRequest, R extends Record & ApiResponse> R call(ApiSpec<Q, R> spec, Q request) {
        return call(spec, spec.latestVersion(), request);
    }

    /** Sends a request frame with the next correlation id and returns that id. */
    public int send(int apiKey, int apiVersion, byte[] body) {
        int correlationId = nextCorrelationId++;
        send(apiKey, apiVersion, correlationId, body);
        return correlationId;
    }

    /** Sends a request frame with an explicit correlation id. */
    public void send(int apiKey, int apiVersion, int correlationId, byte[] body) {
        sendFrame(apiKey, requestValue(apiVersion, correlationId, clientId, body));
    }

    /**
     * Checks that the broker serves this connection: an ApiVersions request is answered with no
     * error and a non-empty list of APIs.
     *
     * @throws AssertionError if it is not
     */
    public void assertServes() {
        ApiVersionsResponse response = call(ApiSpecs.API_VERSIONS, new ApiVersionsRequest(null, null));
        if (response.error() != ErrorCode.NONE || response.apiKeys().isEmpty()) {
            throw new AssertionError("expected ApiVersions from " + socket.getRemoteSocketAddress()
                    + " answered with NONE and a non-empty API list, got " + response);
        }
    }

    /** An ApiVersions v0 request frame with {@code correlationId}, as bytes to send raw. */
    public static byte[] apiVersionsFrame(int correlationId) {
        return bytes(ApiSpecs.API_VERSIONS.encodeRequest(UnpooledByteBufAllocator.DEFAULT,
                new ApiVersionsRequest("c", "1"), 0, correlationId, "c"));
    }

    /** The whole of {@code frame} copied into an array; the frame's buffers are released. */
    public static byte[] bytes(EncodedFrame frame) {
        ByteBuf buf = frame.toByteBuf(UnpooledByteBufAllocator.DEFAULT);
        try {
            byte[] bytes = new byte[buf.readableBytes()];
            buf.readBytes(bytes);
            return bytes;
        } finally {
            buf.release();
        }
    }

    /** The value part of a request frame: header then body. */
    public static byte[] requestValue(int apiVersion, int correlationId, String clientId, byte[] body) {
        ByteArrayOutputStream value = new ByteArrayOutputStream();
        try (DataOutputStream v = new DataOutputStream(value)) {
            v.writeShort(apiVersion);
            v.writeInt(correlationId);
            if (clientId == null) {
                v.writeShort(0xFFFF);
            } else {
                byte[] id = clientId.getBytes(StandardCharsets.UTF_8);
                v.writeShort(id.length);
                v.write(id);
            }
            v.write(body);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return value.toByteArray();
    }

    /** Sends {@code type:u16 length:u32 value}. */
    public void sendFrame(int type, byte[] value) {
        ByteBuffer frame = ByteBuffer.allocate(FRAME_HEADER_BYTES + value.length);
        frame.putShort((short) type).putInt(value.length).put(value);
        sendRaw(frame.array());
    }

    /** Sends bytes exactly as given. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("write to " + socket.getRemoteSocketAddress(), e);
        }
    }

    /** Reads the next response frame, waiting up to {@code timeout}. */
    public Response receive(Duration timeout) {
        try {
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            int type = in.readUnsignedShort();
            long length = Integer.toUnsignedLong(in.readInt());
            if (length < 4 || length > MAX_RESPONSE_BYTES) {
                throw new IllegalStateException("response frame type=" + type + " has length=" + length
                        + " (expected: 4.." + MAX_RESPONSE_BYTES + ")");
            }
            int correlationId = in.readInt();
            byte[] body = new byte[(int) length - 4];
            in.readFully(body);
            return new Response(type, correlationId, body);
        } catch (IOException e) {
            throw new UncheckedIOException("read from " + socket.getRemoteSocketAddress(), e);
        }
    }

    /**
     * The next response, or empty if the broker closed the connection instead (end of stream or
     * reset). Waits up to {@code timeout}; a timeout is an error.
     */
    public Optional<Response> receiveUnlessClosed(Duration timeout) {
        try {
            return Optional.of(receive(timeout));
        } catch (UncheckedIOException e) {
            if (e.getCause() instanceof EOFException || e.getCause() instanceof SocketException) {
                return Optional.empty();
            }
            throw e;
        }
    }

    public Response receive() {
        return receive(Duration.ofSeconds(10));
    }

    /**
     * True once the broker has closed the connection: a read returns end of stream or the
     * connection is reset. Waits up to {@code timeout}; any byte that arrives instead is an error.
     */
    public boolean awaitClosedByPeer(Duration timeout) {
        return closedByPeer(socket, timeout);
    }

    /**
     * True once the peer has closed {@code socket}: a read returns end of stream or the connection
     * is reset. Waits up to {@code timeout} (false if it is still open then); any byte that arrives
     * instead is an error. For tests that hold plain sockets rather than a {@code RawClient}.
     */
    public static boolean closedByPeer(Socket socket, Duration timeout) {
        try {
            socket.setSoTimeout(Math.toIntExact(timeout.toMillis()));
            int b = socket.getInputStream().read();
            if (b >= 0) {
                throw new IllegalStateException("expected the broker to close the connection, got byte " + b);
            }
            return true;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (SocketException e) {
            return true;
        } catch (IOException e) {
            throw new UncheckedIOException("read from " + socket.getRemoteSocketAddress(), e);
        }
    }

    public boolean isClosed() {
        return socket.isClosed();
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * One response frame.
     *
     * @param type          the frame type: {@code apiKey | 0x8000}
     * @param correlationId the request's correlation id
     * @param body          everything after the correlation id
     */
    public record Response(int type, int correlationId, byte[] body) {
        public int apiKey() {
            return type & 0x7FFF;
        }

        /** The leading {@code errorCode:i16} of bodies that start with one. */
        public short errorCode() {
            return ByteBuffer.wrap(body).getShort();
        }

        public ByteBuffer bodyBuffer() {
            return ByteBuffer.wrap(body);
        }

        /** The leading {@code errorMessage:str?} after the error code. */
        public String errorMessage() {
            ByteBuffer b = bodyBuffer();
            b.getShort();
            int length = Short.toUnsignedInt(b.getShort());
            if (length == 0xFFFF) {
                return null;
            }
            return new String(body, b.position(), length, StandardCharsets.UTF_8);
        }

        /** Decodes the body as {@code spec}'s response in {@code version} (error-only bodies included). */
        public <Q extends Record & ApiRequest, R extends Record & ApiResponse> R decode(ApiSpec<Q, R> spec, int version) {
            return spec.decodeResponse(Unpooled.wrappedBuffer(body), version);
        }
    }
}
