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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.amqp.core.MessageBuilder;
import org.springframework.amqp.core.MessageDeliveryMode;
import org.springframework.amqp.rabbit.core.RabbitTemplate;
import org.springframework.stereotype.Component;

/**
 * Sends a bureau's report (sign-for, progress, submission, extension request) to the hub in that
 * bureau's protocol: REST call, SOAP call, a file in its outbox (local or SFTP), a message on its reply
 * queue. In DUPLICATE mode everything goes twice.
 */
@Component
public class Sender {

    private final SimBureaus bureaus;
    private final SimSettings settings;
    private final Shapes shapes;
    private final Behaviours behaviours;
    private final BureauTokens tokens;
    private final RabbitTemplate rabbit;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

    public Sender(SimBureaus bureaus, SimSettings settings, Shapes shapes, Behaviours behaviours, BureauTokens tokens,
            RabbitTemplate rabbit) {
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
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("unit", unit);
        out.put("protocol", b.getProtocol());
        out.put("messageId", report.get("messageId"));
        out.put("results", results);
        return out;
    }

    private Object once(SimBureaus.Bureau b, Map<String, Object> report) {
        Charset cs = bureaus.charset(b);
        try {
            return switch (b.getProtocol()) {
                case "REST" -> rest(b, report);
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

    private Map<String, Object> rest(SimBureaus.Bureau b, Map<String, Object> r) throws IOException, InterruptedException {
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
        HttpRequest req = HttpRequest.newBuilder(URI.create(settings.getHubUrl() + "/api/v1/bureau/tasks/" + r.get("taskId") + "/" + path))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + tokens.tokenFor(b.code()))
                .header("Idempotency-Key", String.valueOf(r.get("messageId")))
                .POST(HttpRequest.BodyPublishers.ofByteArray(shapes.json(body))).timeout(Duration.ofSeconds(30)).build();
        HttpResponse<String> res = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        return Map.of("status", res.statusCode(), "body", res.body());
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
        Path tmp = outbox.resolve("." + name + ".tmp");
        Files.write(tmp, bytes);
        Files.move(tmp, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        return Map.of("file", outbox.resolve(name).toString(), "size", bytes.length);
    }

    private Map<String, Object> amqp(SimBureaus.Bureau b, Map<String, Object> r, Charset cs) {
        byte[] body = r.containsKey("rawMessage") ? String.valueOf(r.get("rawMessage")).getBytes(cs)
                : shapes.reportJson(r, cs);
        rabbit.send("", b.replyQueue(), MessageBuilder.withBody(body).setContentType("application/json")
                .setContentEncoding(cs.name()).setMessageId(String.valueOf(r.get("messageId")))
                .setDeliveryMode(MessageDeliveryMode.PERSISTENT).build());
        return Map.of("queue", b.replyQueue());
    }
}
