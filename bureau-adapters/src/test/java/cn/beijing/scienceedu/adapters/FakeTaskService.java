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

    /** An evidence file stored through {@code POST /api/v1/tasks/{id}/attachments} (multipart, part {@code file}). */
    public record Upload(String taskId, String actingUnit, String fileName, String contentType, byte[] bytes, String id) {
    }

    private final HttpServer server;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final Map<String, Integer> statusByTask = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, String> problemByTask = new ConcurrentHashMap<>();
    private final List<Upload> uploads = new CopyOnWriteArrayList<>();
    private final Map<String, String> taskStatus = new ConcurrentHashMap<>();

    public FakeTaskService() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/api/v1/tasks/", exchange -> {
            String path = exchange.getRequestURI().getPath();
            if ("GET".equals(exchange.getRequestMethod())) {
                // the task as read back for a receipt's task status (not a bureau write: not recorded)
                String taskId = path.split("/")[4];
                byte[] bytes = ("{\"taskId\":\"" + taskId + "\",\"status\":\""
                        + taskStatus.getOrDefault(taskId, "IN_PROGRESS") + "\"}").getBytes(StandardCharsets.UTF_8);
                exchange.getResponseHeaders().add("Content-Type", "application/json");
                exchange.sendResponseHeaders(200, bytes.length);
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(bytes);
                }
                return;
            }
            if (path.endsWith("/attachments")) {
                attachment(exchange, path.split("/")[4]);
                return;
            }
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
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
                    : problemByTask.getOrDefault(taskId, "{\"type\":\"about:blank\",\"title\":\"refused\",\"status\":"
                            + status + ",\"detail\":\"refused by task-service\"}");
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

    /**
     * The task-service's attachment store as far as the adapters see it: the part {@code file} of a multipart body
     * (a non-ASCII file name in {@code filename*}, RFC 6266, as Spring's client writes it and Tomcat reads it), kept, and
     * answered 201 {@code Attachment}; the same bytes for the same task are the same attachment.
     */
    private void attachment(com.sun.net.httpserver.HttpExchange exchange, String taskId) throws IOException {
        byte[] body = exchange.getRequestBody().readAllBytes();
        String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
        String boundary = contentType.replaceAll(".*boundary=\"?([^\";]+)\"?.*", "$1");
        String text = new String(body, StandardCharsets.ISO_8859_1);
        String fileName = null;
        String partType = null;
        byte[] bytes = null;
        for (String part : text.split(java.util.regex.Pattern.quote("--" + boundary))) {
            int headerEnd = part.indexOf("\r\n\r\n");
            if (headerEnd < 0 || !part.contains("name=\"file\"")) {
                continue;
            }
            String headers = part.substring(0, headerEnd);
            for (String h : headers.split("\r\n")) {
                if (h.toLowerCase().startsWith("content-disposition")) {
                    // RFC 6266: filename* (RFC 5987, UTF-8) wins over the ASCII fallback filename, as Tomcat reads it
                    java.util.regex.Matcher ext = java.util.regex.Pattern.compile("filename\\*=([^']*)'[^']*'([^;\\s]+)").matcher(h);
                    java.util.regex.Matcher m = java.util.regex.Pattern.compile("filename=\"([^\"]*)\"").matcher(h);
                    if (ext.find()) {
                        fileName = java.net.URLDecoder.decode(ext.group(2).replace("+", "%2B"),
                                java.nio.charset.Charset.forName(ext.group(1)));
                    } else if (m.find()) {
                        fileName = decodeWord(new String(m.group(1).getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8));
                    }
                } else if (h.toLowerCase().startsWith("content-type")) {
                    partType = h.substring(h.indexOf(':') + 1).trim();
                }
            }
            String content = part.substring(headerEnd + 4, part.length() - 2); // the CRLF before the next boundary
            bytes = content.getBytes(StandardCharsets.ISO_8859_1);
        }
        int status = statusByTask.getOrDefault(taskId + "/attachments", 201);
        String answer;
        if (bytes == null) {
            status = 400;
            answer = "{\"title\":\"Bad Request\",\"status\":400,\"detail\":\"no part file\"}";
        } else if (status != 201) {
            answer = "{\"title\":\"refused\",\"status\":" + status + ",\"detail\":\"file type refused by task-service\"}";
        } else {
            String sha = cn.beijing.scienceedu.adapters.messagelog.MessageLog.sha256(bytes);
            String id = "att-" + taskId + "-" + sha.substring(0, 12);
            uploads.add(new Upload(taskId, exchange.getRequestHeaders().getFirst("X-Hub-Acting-Unit"), fileName, partType,
                    bytes, id));
            answer = "{\"id\":\"" + id + "\",\"fileName\":\"" + fileName + "\",\"contentType\":\"" + partType
                    + "\",\"size\":" + bytes.length + ",\"sha256\":\"" + sha + "\"}";
        }
        byte[] out = answer.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", status < 300 ? "application/json" : "application/problem+json");
        exchange.sendResponseHeaders(status, out.length);
        try (OutputStream o = exchange.getResponseBody()) {
            o.write(out);
        }
    }

    /** An RFC 2047 encoded word ({@code =?UTF-8?B?…?=}, how some clients name files), decoded. */
    static String decodeWord(String s) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("=\\?([^?]+)\\?([BbQq])\\?([^?]*)\\?=").matcher(s);
        if (!m.matches()) {
            return s;
        }
        java.nio.charset.Charset cs = java.nio.charset.Charset.forName(m.group(1));
        if (m.group(2).equalsIgnoreCase("B")) {
            return new String(java.util.Base64.getDecoder().decode(m.group(3)), cs);
        }
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        String q = m.group(3);
        for (int i = 0; i < q.length(); i++) {
            char c = q.charAt(i);
            if (c == '_') {
                out.write(' ');
            } else if (c == '=' && i + 2 < q.length()) {
                out.write(Integer.parseInt(q.substring(i + 1, i + 3), 16));
                i += 2;
            } else {
                out.write(c);
            }
        }
        return out.toString(cs);
    }

    public List<Upload> uploadsFor(String taskId) {
        return uploads.stream().filter(u -> u.taskId().equals(taskId)).toList();
    }

    /** The task's status when read back ({@code GET /api/v1/tasks/{id}}; IN_PROGRESS unless set). */
    public void taskStatus(String taskId, String status) {
        taskStatus.put(taskId, status);
    }

    /** Answers the task's writes with this status and problem document (e.g. a 400 naming the bad fields). */
    public void answer(String taskId, int status, String problem) {
        statusByTask.put(taskId, status);
        problemByTask.put(taskId, problem);
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
