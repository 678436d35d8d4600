package cn.beijing.scienceedu.reporting;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * A real HTTP endpoint standing in for the task API behind the gateway: it records every request the
 * dashboard's liaison buttons send (method, path, Authorization, Idempotency-Key, body) and answers
 * like the task-service would (200, CORS allowed for the dashboard's origin).
 */
public final class ActionRecorder {

    public record Recorded(String method, String path, String authorization, String idempotencyKey, String body) {
    }

    private final HttpServer server;
    private final List<Recorded> requests = new CopyOnWriteArrayList<>();
    private volatile List<String> feed = List.of();

    /** What {@code GET /api/v1/events} answers: these PublishedEvent JSON objects, paged by cursor. */
    public void feed(List<String> publishedEvents) {
        this.feed = List.copyOf(publishedEvents);
    }

    private ActionRecorder(HttpServer server) {
        this.server = server;
    }

    public static ActionRecorder start() {
        try {
            HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
            ActionRecorder r = new ActionRecorder(s);
            s.createContext("/", r::handle);
            s.start();
            return r;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Recorded> requests() {
        return requests;
    }

    private void answerFeed(HttpExchange ex) throws IOException {
        int after = 0;
        int limit = 200;
        String query = ex.getRequestURI().getQuery();
        if (query != null) {
            for (String part : query.split("&")) {
                String[] kv = part.split("=", 2);
                if (kv[0].equals("after") && kv.length == 2) {
                    after = Integer.parseInt(kv[1]);
                } else if (kv[0].equals("limit") && kv.length == 2) {
                    limit = Integer.parseInt(kv[1]);
                }
            }
        }
        requests.add(new Recorded("GET", ex.getRequestURI().toString(),
                ex.getRequestHeaders().getFirst("Authorization"), null, ""));
        List<String> all = feed;
        int end = Math.min(all.size(), after + limit);
        StringBuilder b = new StringBuilder("{\"events\":[");
        for (int i = after; i < end; i++) {
            if (i > after) {
                b.append(',');
            }
            b.append(all.get(i));
        }
        b.append(']');
        if (end < all.size()) {
            b.append(",\"nextCursor\":\"").append(end).append('"');
        }
        b.append('}');
        byte[] answer = b.toString().getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, answer.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(answer);
        }
    }

    private void handle(HttpExchange ex) throws IOException {
        String origin = ex.getRequestHeaders().getFirst("Origin");
        ex.getResponseHeaders().add("Access-Control-Allow-Origin", origin == null ? "*" : origin);
        ex.getResponseHeaders().add("Access-Control-Allow-Methods", "POST, GET, OPTIONS");
        String asked = ex.getRequestHeaders().getFirst("Access-Control-Request-Headers");
        ex.getResponseHeaders().add("Access-Control-Allow-Headers",
                asked == null ? "Authorization, Content-Type, Idempotency-Key, If-Match" : asked);
        if ("OPTIONS".equals(ex.getRequestMethod())) {
            ex.sendResponseHeaders(204, -1);
            ex.close();
            return;
        }
        if ("GET".equals(ex.getRequestMethod()) && ex.getRequestURI().getPath().equals("/api/v1/events")) {
            answerFeed(ex);
            return;
        }
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        requests.add(new Recorded(ex.getRequestMethod(), ex.getRequestURI().getPath(),
                ex.getRequestHeaders().getFirst("Authorization"), ex.getRequestHeaders().getFirst("Idempotency-Key"),
                body));
        byte[] answer = "{}".getBytes(StandardCharsets.UTF_8);
        ex.getResponseHeaders().add("Content-Type", "application/json");
        ex.sendResponseHeaders(200, answer.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(answer);
        }
    }
}
