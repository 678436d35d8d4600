package cn.beijing.scienceedu.simulator;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends a bureau's report (sign-for, progress, submission, extension request) to the hub in that
 * bureau's protocol: REST call, SOAP call, a file in its outbox (local or SFTP), a message on its reply
 * queue. In DUPLICATE mode everything goes twice. Evidence ({@code evidence[]} with base64 {@code content})
 * travels as the protocol allows: a REST bureau marked {@link #UPLOAD_FIRST} uploads each file first
 * ({@code POST /api/v1/bureau/tasks/{taskId}/attachments}) and sends its attachmentId, other REST, SOAP, AMQP and
 * XML-file bureaus send the bytes inline, a CSV bureau writes them into {@code <answer file name>.evidence/}
 * before the answer file appears. Every answer is kept in the {@link SentLog}.
 */
@Component
public class Sender {

    /** Simulator-only key of a report (never sent): upload the evidence first, then reference it by attachmentId. */
    public static final String UPLOAD_FIRST = "uploadEvidenceFirst";

    private final SimBureaus bureaus;
    private final SimSettings settings;
    private final Shapes shapes;
    private final Behaviours behaviours;
    private final BureauTokens tokens;
    private final RabbitTemplate rabbit;
    private final SentLog sent;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public Sender(SimBureaus bureaus, SimSettings settings, Shapes shapes, Behaviours behaviours, BureauTokens tokens,
            RabbitTemplate rabbit, SentLog sent) {
        this.sent = sent;
        this.bureaus = bureaus;
        this.settings = settings;
        this.shapes = shapes;
        this.behaviours = behaviours;
        this.tokens = tokens;
        this.rabbit = rabbit;
    }

    public Map<String, Object> send(String unit, Map<String, Object> report) {
        SimBureaus.Bureau b = bureaus.get(unit);
        int times = behaviours.of(unit).mode() == Behaviours.Mode.DUPLICATE ? 2 : 1;
        List<Object> results = new ArrayList<>();
        for (int i = 0; i < times; i++) {
            results.add(once(b, report));
        }
        sent.record(unit, b.getProtocol(), withoutInternals(report), results);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unit", unit);
        out.put("protocol", b.getProtocol());
        out.put("messageId", report.get("messageId"));
        out.put("results", results);
        return out;
    }

    static Map<String, Object> withoutInternals(Map<String, Object> report) {
        Map<String, Object> r = new LinkedHashMap<>(report);
        r.remove(UPLOAD_FIRST);
        return r;
    }

    private Object once(SimBureaus.Bureau b, Map<String, Object> withInternals) {
        Charset cs = bureaus.charset(b);
        boolean uploadFirst = Boolean.TRUE.equals(withInternals.get(UPLOAD_FIRST));
        Map<String, Object> report = withoutInternals(withInternals);
        try {
            return switch (b.getProtocol()) {
                case "REST" -> rest(b, report, uploadFirst);
                case "SOAP" -> soap(b, report);
                case "FILE", "SFTP" -> file(b, report, cs);
                case "AMQP" -> amqp(b, report, cs);
                default -> throw new IllegalStateException("protocol " + b.getProtocol());
            };
        } catch (IOException e) {
            return Map.of("error", e.toString());
        } catch (org.springframework.security.oauth2.core.OAuth2AuthorizationException e) {
            // the issuer refused or could not be reached: reported like an unreachable hub, the bureau goes on
            return Map.of("error", b.code() + " got no token from the issuer: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Map.of("error", "interrupted");
        }
    }

    private Map<String, Object> rest(SimBureaus.Bureau b, Map<String, Object> r, boolean uploadFirst)
            throws IOException, InterruptedException {
        String kind = String.valueOf(r.get("kind"));
        String path = switch (kind) {
            case "SIGN_FOR" -> "sign-for";
            case "PROGRESS" -> "progress-reports";
            case "SUBMISSION" -> "submission";
            case "EXTENSION_REQUEST" -> "extension-requests";
            default -> throw new IllegalArgumentException("kind " + kind);
        };
        Map<String, Object> body = new LinkedHashMap<>(r);
        body.remove("kind");
        body.remove("taskId");
        body.remove("unitCode");
        List<Object> uploads = new ArrayList<>();
        if (uploadFirst && body.get("evidence") instanceof List<?> items) {
            List<Object> refs = new ArrayList<>();
            for (Object item : items) {
                refs.add(uploaded(b, String.valueOf(r.get("taskId")), item, uploads));
            }
            body.put("evidence", refs);
        }
        HttpRequest req = HttpRequest.newBuilder(URI.create(settings.getHubUrl() + "/api/v1/bureau/tasks/" + r.get("taskId") + "/" + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + tokens.tokenFor(b.code()))
                .header("Idempotency-Key", String.valueOf(r.get("messageId")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(shapes.json(body))).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("status", res.statusCode());
        out.put("body", res.body());
        if (!uploads.isEmpty()) {
            out.put("uploads", uploads);
        }
        return out;
    }

    /**
     * The evidence uploaded through {@code /api/v1/bureau/tasks/{taskId}/attachments} (multipart {@code file}) and
     * referenced by its attachmentId. An upload the hub refuses leaves the bytes inline ({@code content}), which the
     * bureau API takes as well — the answer still carries its evidence, and the refusal is in the result.
     */
    @SuppressWarnings("unchecked")
    private Object uploaded(SimBureaus.Bureau b, String taskId, Object item, List<Object> uploads)
            throws IOException, InterruptedException {
        Map<String, Object> e = new LinkedHashMap<>((Map<String, Object>) item);
        if (e.get("content") == null) {
            return e;
        }
        byte[] bytes = Base64.getDecoder().decode(e.get("content").toString());
        String boundary = "----sim-" + UUID.randomUUID();
        String contentType = e.get("contentType") == null ? "application/octet-stream" : e.get("contentType").toString();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"file\"; filename=\""
                + String.valueOf(e.get("name")).replace("\"", "") + "\"\r\nContent-Type: " + contentType + "\r\n\r\n")
                .getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpRequest req = HttpRequest.newBuilder(URI.create(settings.getHubUrl() + "/api/v1/bureau/tasks/" + taskId + "/attachments"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .header("Authorization", "Bearer " + tokens.tokenFor(b.code()))
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, bytes, tail))).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        Map<String, Object> upload = new LinkedHashMap<>();
        upload.put("name", e.get("name"));
        upload.put("status", res.statusCode());
        upload.put("body", res.body());
        uploads.add(upload);
        if (res.statusCode() == 201 || res.statusCode() == 200) {
            try {
                Object id = shapes.readMap(res.body()).get("attachmentId");
                if (id != null) {
                    e.remove("content");
                    e.put("attachmentId", id.toString());
                }
            } catch (RuntimeException notJson) {
                upload.put("error", "answer is not JSON: " + notJson.getMessage());
            }
        }
        return e;
    }

    private Map<String, Object> soap(SimBureaus.Bureau b, Map<String, Object> r) throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(URI.create(settings.getHubUrl() + "/soap/bureau"))
                .header("Content-Type", "text/xml; charset=UTF-8")
                .header("SOAPAction", "\"urn:cn:beijing:scienceedu:hub:bureau:v1:SubmitReport\"")
                .header("Authorization", "Bearer " + tokens.tokenFor(b.code()))
                .POST(HttpRequest.BodyPublishers.ofString(shapes.reportXml(r, true), StandardCharsets.UTF_8))
                .timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return Map.of("status", res.statusCode(), "body", res.body());
    }

    private Map<String, Object> file(SimBureaus.Bureau b, Map<String, Object> r, Charset cs) throws IOException {
        String format = bureaus.format(b);
        byte[] bytes = r.containsKey("rawFile") ? String.valueOf(r.get("rawFile")).getBytes(cs)
                : shapes.reportFile(b, format, cs, r);
        String ext = "csv".equals(format) ? "csv" : "xml";
        Path outbox = b.directory(settings.getSftpRoot()).resolve("outbox");
        Files.createDirectories(outbox);
        String name = String.valueOf(r.get("messageId")).replaceAll("[^A-Za-z0-9_.-]", "_") + "-" + System.nanoTime() + "." + ext;
        if ("csv".equals(format) && !r.containsKey("rawFile")) {
            writeEvidenceBeside(outbox, name, r);
        }
        Path tmp = outbox.resolve("." + name + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return Map.of("file", outbox.resolve(name).toString(), "size", bytes.length);
    }

    /**
     * A CSV answer's evidence bytes: one file per evidence name in {@code <answer file name>.evidence/}, complete
     * before the answer file appears (the hub reads them when it picks the answer up).
     */
    @SuppressWarnings("unchecked")
    static void writeEvidenceBeside(Path outbox, String answerName, Map<String, Object> r) throws IOException {
        if (!(r.get("evidence") instanceof List<?> items) || items.isEmpty()) {
            return;
        }
        Path dir = outbox.resolve(answerName + ".evidence");
        Files.createDirectories(dir);
        for (Object item : items) {
            Map<String, Object> e = (Map<String, Object>) item;
            if (e.get("content") != null) {
                Path file = dir.resolve(String.valueOf(e.get("name")));
                if (!file.normalize().getParent().equals(dir.normalize())) {
                    throw new IOException("evidence name " + e.get("name") + " is not a plain file name");
                }
                Files.write(file, Base64.getDecoder().decode(e.get("content").toString()));
            }
        }
    }

    private Map<String, Object> amqp(SimBureaus.Bureau b, Map<String, Object> r, Charset cs) {
        byte[] body = r.containsKey("rawMessage") ? String.valueOf(r.get("rawMessage")).getBytes(cs)
                : shapes.reportJson(b, bureaus.format(b), r, cs);
        rabbit.send("", b.replyQueue(), MessageBuilder.withBody(body).setContentType("application/json")
                .setContentEncoding(cs.name()).setMessageId(String.valueOf(r.get("messageId")))
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT).build());
        return Map.of("queue", b.replyQueue());
    }
}
