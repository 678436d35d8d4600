package cn.beijing.scienceedu.gateway;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpServer;

/**
 * A small real HTTP server standing in for a hub service: answers 200 JSON (or what a test scripts) and records
 * every request with the headers it received.
 */
final class RecordingBackend implements AutoCloseable {

    record Received(String method, String path, Map<String, List<String>> headers, int bodyBytes) {
        String header(String name) {
            for (Map.Entry<String, List<String>> e : headers.entrySet()) {
                if (e.getKey() != null && e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue().get(0);
                }
            }
            return null;
        }
    }

    record Answer(int status, Duration delay) {
    }

    private final String name;
    private final List<Received> received = new CopyOnWriteArrayList<>();
    private final AtomicReference<java.util.function.Function<Received, Answer>> script =
            new AtomicReference<>(r -> new Answer(200, Duration.ZERO));
    private volatile HttpServer server;
    private final int port;

    RecordingBackend(String name) {
        this(name, 0);
    }

    private RecordingBackend(String name, int port) {
        this.name = name;
        this.server = start(port);
        this.port = server.getAddress().getPort();
    }

    private HttpServer start(int onPort) {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", onPort), 200);
            s.setExecutor(Executors.newFixedThreadPool(16));
            s.createContext("/", exchange -> {
                int bytes;
                try (InputStream in = exchange.getRequestBody()) {
                    bytes = in.readAllBytes().length;
                }
                Headers h = exchange.getRequestHeaders();
                Received r = new Received(exchange.getRequestMethod(), exchange.getRequestURI().getPath(), Map.copyOf(h), bytes);
                received.add(r);
                Answer answer = script.get().apply(r);
                if (!answer.delay().isZero()) {
                    try {
                        Thread.sleep(answer.delay().toMillis());
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
                byte[] body = ("{\"service\":\"" + name + "\",\"path\":\"" + r.path() + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().set("Content-Type", "application/json");
                try {
                    exchange.sendResponseHeaders(answer.status(), body.length);
                    try (OutputStream out = exchange.getResponseBody()) {
                        out.write(body);
                    }
                } catch (IOException clientGone) {
                    // the gateway gave up waiting (timeout test)
                }
            });
            s.start();
            return s;
        } catch (IOException e) {
            throw new IllegalStateException("cannot start backend " + name, e);
        }
    }

    String url() {
        return "http://127.0.0.1:" + port;
    }

    List<Received> received() {
        return received;
    }

    Received last() {
        return received.isEmpty() ? null : received.get(received.size() - 1);
    }

    void reset() {
        received.clear();
        script.set(r -> new Answer(200, Duration.ZERO));
    }

    void answer(java.util.function.Function<Received, Answer> answers) {
        script.set(answers);
    }

    /** Stops listening: calls now fail with connection refused, like a service that is down. */
    void stop() {
        server.stop(0);
        ((java.util.concurrent.ExecutorService) server.getExecutor()).shutdownNow();
    }

    /** Listens again on the same port. */
    void restart() {
        server = start(port);
    }

    @Override
    public void close() {
        stop();
    }
}
