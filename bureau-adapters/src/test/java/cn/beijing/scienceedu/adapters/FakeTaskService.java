package cn.beijing.scienceedu.adapters;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import com.sun.net.httpserver.HttpServer;

/**
 * Stands in for the task-service (it runs in another process): records every bureau write handed to
 * it and answers 200 with a task status, or what a test told it to answer for a task.
 */
public final class FakeTaskService {

    public record Call(String path, String actingUnit, String idempotencyKey, String authorization, String body) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statusByTask = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();

    public FakeTaskService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/tasks/", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            String path = exchange.getRequestURI().getPath();
            calls.add(new Call(path, exchange.getRequestHeaders().getFirst("X-Hub-Acting-Unit"),
                    exchange.getRequestHeaders().getFirst("Idempotency-Key"),
                    exchange.getRequestHeaders().getFirst("Authorization"), body));
            String taskId = path.split("/")[4];
            CountDownLatch hold = held.get(taskId);
            if (hold != null) {
                try {
                    hold.await(30, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            boolean signFor = path.endsWith("/sign-for");
            int status = statusByTask.getOrDefault(taskId, signFor ? 200 : 201);
            String answer = status == 200 ? "{\"taskId\":\"" + taskId + "\",\"status\":\"SIGNED_FOR\"}"
                    : status == 201 ? "{\"taskId\":\"" + taskId + "\",\"status\":\"ON_TRACK\"}"
                    : "{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":" + status + ",\"detail\":\"refused by task-service\"}";
            byte[] bytes = answer.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", status < 300 ? "application/json" : "application/problem+json");
            exchange.sendResponseHeaders(status, bytes.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(bytes);
            }
        });
        server.setExecutor(Executors.newCachedThreadPool()); // a held call does not hold up the others
        server.start();
    }

    public String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    public List<Call> calls() {
        return calls;
    }

    public List<Call> callsFor(String taskId) {
        return calls.stream().filter(c -> c.path().startsWith("/api/v1/tasks/" + taskId + "/")).toList();
    }

    public void answer(String taskId, int status) {
        statusByTask.put(taskId, status);
    }

    /** Holds every call for the task (recorded, not answered) until {@link #release(String)}. */
    public void hold(String taskId) {
        held.put(taskId, new CountDownLatch(1));
    }

    public void release(String taskId) {
        CountDownLatch l = held.remove(taskId);
        if (l != null) {
            l.countDown();
        }
    }
}
