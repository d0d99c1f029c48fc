package io.cairn.broker.metrics;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP endpoint on {@code metrics.port}: {@code GET /metrics} (Prometheus text format 0.0.4),
 * {@code GET /health} (200 {@code ok} when serving, 503 with the reason otherwise), 404 for any
 * other path, 405 for methods other than GET and HEAD. Built on the JDK's HTTP server, served by
 * one daemon thread: scrapes are rare and must never compete with the request path.
 */
public final class MetricsServer implements AutoCloseable {

    /** Content type of the Prometheus text exposition format. */
    public static final String PROMETHEUS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private static final String TEXT = "text/plain; charset=utf-8";

    private static final Logger LOG = LoggerFactory.getLogger(MetricsServer.class);

    private final HttpServer server;
    private final ExecutorService executor;
    private final Supplier<String> scrape;
    private final BrokerHealth health;

    private MetricsServer(HttpServer server, ExecutorService executor, Supplier<String> scrape, BrokerHealth health) {
        this.server = server;
        this.executor = executor;
        this.scrape = scrape;
        this.health = health;
    }

    /**
     * Binds and starts serving.
     *
     * @param host   bind address ({@code 0.0.0.0} for all interfaces)
     * @param port   TCP port, 0 for any free one (see {@link #port()})
     * @param scrape produces the Prometheus text, e.g. {@code metrics::scrape}
     * @throws IOException when the address cannot be bound; the message names host and port
     */
    public static MetricsServer start(String host, int port, Supplier<String> scrape, BrokerHealth health) throws IOException {
        HttpServer server;
        try {
            server = HttpServer.create(new InetSocketAddress(host, port), 16);
        } catch (IOException e) {
            throw new IOException("cannot bind the metrics endpoint to " + host + ":" + port + " (metrics.port): " + e.getMessage(), e);
        }
        ExecutorService executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-metrics-http");
            t.setDaemon(true);
            return t;
        });
        MetricsServer ms = new MetricsServer(server, executor, scrape, health);
        server.createContext("/", ms::handle);
        server.setExecutor(executor);
        server.start();
        LOG.info("metrics endpoint listening on http://{}:{}/metrics", host, ms.port());
        return ms;
    }

    /** The port actually bound (the chosen one when started with 0). */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            String method = exchange.getRequestMethod();
            if (!path.equals("/metrics") && !path.equals("/health")) {
                respond(exchange, 404, TEXT, "not found: " + path + " (try /metrics or /health)\n");
            } else if (!method.equals("GET") && !method.equals("HEAD")) {
                exchange.getResponseHeaders().set("Allow", "GET, HEAD");
                respond(exchange, 405, TEXT, "method " + method + " not allowed\n");
            } else if (path.equals("/metrics")) {
                String body;
                try {
                    body = scrape.get();
                } catch (RuntimeException e) {
                    // The scraper sees a 500 and the endpoint keeps serving.
                    LOG.warn("metrics scrape failed: {}", e.toString());
                    respond(exchange, 500, TEXT, "scrape failed: " + e + "\n");
                    return;
                }
                respond(exchange, 200, PROMETHEUS_CONTENT_TYPE, body);
            } else {
                String reason = health.reason();
                if (reason == null) {
                    respond(exchange, 200, TEXT, "ok\n");
                } else {
                    respond(exchange, 503, TEXT, "not serving: " + reason + "\n");
                }
            }
        } finally {
            exchange.close();
        }
    }

    private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", contentType);
        boolean head = exchange.getRequestMethod().equals("HEAD");
        exchange.sendResponseHeaders(status, head ? -1 : bytes.length);
        if (!head) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        }
    }

    /** Stops accepting and serving (an exchange in progress is cut off) and stops the thread. */
    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
        try {
            if (!executor.awaitTermination(5, TimeUnit.SECONDS)) {
                LOG.warn("metrics endpoint thread did not stop within 5 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
