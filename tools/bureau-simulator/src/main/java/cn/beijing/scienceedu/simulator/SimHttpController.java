package cn.beijing.scienceedu.simulator;

import java.nio.charset.Charset;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The REST and SOAP bureau systems ({@code /sim/rest/{unit}/tasks}, {@code /sim/soap/{unit}}) and the
 * simulator's own API: {@code GET /sim/received}, {@code GET /sim/sent}, {@code GET /sim/answers},
 * {@code POST /sim/bureaus/{unit}/behaviour}, {@code POST /sim/bureaus/{unit}/send}.
 */
@RestController
public class SimHttpController {

    private final SimBureaus bureaus;
    private final Shapes shapes;
    private final Recorder recorder;
    private final Behaviours behaviours;
    private final Sender sender;
    private final SyntheticRegister register;
    private final BureauAnswers answers;
    private final SentLog sent;

    public SimHttpController(SimBureaus bureaus, Shapes shapes, Recorder recorder, Behaviours behaviours, Sender sender,
            SyntheticRegister register, BureauAnswers answers, SentLog sent) {
        this.register = register;
        this.answers = answers;
        this.sent = sent;
        this.bureaus = bureaus;
        this.shapes = shapes;
        this.recorder = recorder;
        this.behaviours = behaviours;
        this.sender = sender;
    }

    @PostMapping(path = "/sim/rest/{unit}/tasks", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> restTask(@PathVariable String unit, @RequestBody byte[] body,
            @RequestHeader(value = "traceparent", required = false) String traceparent,
            @RequestHeader(value = "Content-Type", required = false) String contentType) {
        SimBureaus.Bureau b = bureaus.get(unit);
        Behaviours.Behaviour how = behaviours.of(unit);
        if (how.mode() == Behaviours.Mode.DOWN) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body(Map.of("error", "down"));
        }
        if (how.mode() == Behaviours.Mode.ERROR_5XX) {
            return ResponseEntity.status(HttpStatus.INTERNAL_SERVER_ERROR).body(Map.of("error", "internal error"));
        }
        behaviours.pause(unit);
        Charset cs = bureaus.charset(b);
        Shapes.Read read = shapes.readJson(b, bureaus.format(b), body, cs);
        Received r = recorder.record(unit, "REST", read.fields(), read.errors(), null, body, traceparent);
        if (how.mode() == Behaviours.Mode.GARBAGE) {
            return ResponseEntity.ok().contentType(MediaType.TEXT_HTML).body("<html><body>系统维护中</body></html>");
        }
        if (how.mode() == Behaviours.Mode.REJECT || !r.valid()) {
            return ResponseEntity.status(422).body(Map.of("accepted", false,
                    "reasons", r.valid() ? List.of("rejected on demand") : r.errors()));
        }
        return ResponseEntity.ok(Map.of("accepted", true, "bureauReference", unit + "-" + r.seq()));
    }

    @GetMapping(path = "/sim/rest/{unit}/tasks/{taskId}/status", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Object> restStatus(@PathVariable String unit, @PathVariable String taskId) {
        List<Received> got = recorder.query(unit, taskId);
        if (got.isEmpty()) {
            return ResponseEntity.notFound().build();
        }
        return ResponseEntity.ok(Map.of("taskId", taskId, "status", statuses.getOrDefault(unit + "/" + taskId, "RECEIVED"),
                "updatedAt", got.get(got.size() - 1).at().toString()));
    }

    /** Sets what the bureau's status API shows for a task (a bureau that works but does not call back). */
    @PostMapping("/sim/rest/{unit}/tasks/{taskId}/status")
    public Map<String, String> setStatus(@PathVariable String unit, @PathVariable String taskId,
            @RequestBody Map<String, String> body) {
        statuses.put(unit + "/" + taskId, body.get("status"));
        return Map.of("taskId", taskId, "status", body.get("status"));
    }

    public void setStatus(String unit, String taskId, String status) {
        statuses.put(unit + "/" + taskId, status);
    }

    private final Map<String, String> statuses = new java.util.concurrent.ConcurrentHashMap<>();

    @PostMapping(path = "/sim/soap/{unit}", produces = "text/xml;charset=UTF-8")
    public ResponseEntity<String> soapTask(@PathVariable String unit, @RequestBody byte[] body,
            @RequestHeader(value = "traceparent", required = false) String traceparent) {
        SimBureaus.Bureau b = bureaus.get(unit);
        Behaviours.Behaviour how = behaviours.of(unit);
        if (how.mode() == Behaviours.Mode.DOWN) {
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).body("down");
        }
        if (how.mode() == Behaviours.Mode.ERROR_5XX) {
            return ResponseEntity.status(500).body(fault("soapenv:Server", "internal error"));
        }
        behaviours.pause(unit);
        Shapes.Read read = shapes.readSoap(b, body);
        Received r = recorder.record(unit, "SOAP", read.fields(), read.errors(), null, body, traceparent);
        if (how.mode() == Behaviours.Mode.GARBAGE) {
            return ResponseEntity.ok("<html>not soap");
        }
        if (!r.valid()) {
            return ResponseEntity.status(500).body(fault("soapenv:Client", String.join("; ", r.errors())));
        }
        boolean accept = how.mode() != Behaviours.Mode.REJECT;
        String ack = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + Shapes.SOAP
                + "\"><soapenv:Body><b:TaskMessageAck xmlns:b=\"" + Shapes.NS + "\"><b:Accepted>" + accept
                + "</b:Accepted>" + (accept ? "<b:BureauReference>" + unit + "-" + r.seq() + "</b:BureauReference>"
                        : "<b:Reason>rejected on demand</b:Reason>")
                + "</b:TaskMessageAck></soapenv:Body></soapenv:Envelope>";
        return ResponseEntity.ok(ack);
    }

    static String fault(String code, String text) {
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><soapenv:Envelope xmlns:soapenv=\"" + Shapes.SOAP
                + "\"><soapenv:Body><soapenv:Fault><faultcode>" + code + "</faultcode><faultstring>"
                + Shapes.escape(text) + "</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>";
    }

    // ------------------------------------------------------------------ the simulator's own API

    @GetMapping(path = "/sim/received", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, Object>> received(@RequestParam(required = false) String unit,
            @RequestParam(required = false) String taskId) {
        return recorder.query(unit, taskId).stream().map(SimHttpController::view).toList();
    }

    /** The synthetic school register the bureaus report for, as the reporting-service imports it. */
    @GetMapping(path = "/sim/register.csv", produces = "text/csv;charset=UTF-8")
    public String register() {
        return register.csv();
    }

    @DeleteMapping("/sim/received")
    public ResponseEntity<Void> clear() {
        recorder.clear();
        sent.clear();
        return ResponseEntity.noContent().build();
    }

    /** What the bureaus sent the hub (evidence without its bytes), oldest first; filters by unit, task, kind. */
    @GetMapping(path = "/sim/sent", produces = MediaType.APPLICATION_JSON_VALUE)
    public List<Map<String, Object>> sent(@RequestParam(required = false) String unit,
            @RequestParam(required = false) String taskId, @RequestParam(required = false) String kind) {
        return sent.query(unit, taskId, kind);
    }

    /** How each bureau answers (status, whether it submits, evidence mode, who reports): what tests predict with. */
    @GetMapping(path = "/sim/answers", produces = MediaType.APPLICATION_JSON_VALUE)
    public Map<String, Object> answers() {
        return answers.plan(bureaus.getBureaus().keySet());
    }

    @PostMapping("/sim/bureaus/{unit}/behaviour")
    public Behaviours.Behaviour behaviour(@PathVariable String unit, @RequestBody Map<String, Object> body) {
        bureaus.get(unit);
        Behaviours.Behaviour b = new Behaviours.Behaviour(Behaviours.Mode.valueOf(String.valueOf(body.get("mode"))),
                body.get("delayMs") == null ? 0 : ((Number) body.get("delayMs")).longValue());
        behaviours.set(unit, b);
        return b;
    }

    /**
     * Makes the bureau send a report now, in its own protocol: {@code {kind, taskId, ...}} in bureau-api field names.
     * Without its own time ({@code signedAt}, {@code reportedAt}, ...) the bureau stamps its clock ({@link
     * BureauAnswers#bureauTime}); with {@code "auto": true} the bureau writes the whole answer as it does by itself
     * (status, problems, KPI values of the task's measure, evidence) and the request's fields override it.
     */
    @PostMapping(path = "/sim/bureaus/{unit}/send", produces = MediaType.APPLICATION_JSON_VALUE)
    public ResponseEntity<Map<String, Object>> send(@PathVariable String unit, @RequestBody Map<String, Object> report) {
        bureaus.get(unit);
        Received assignment = lastAssignment(unit, report.get("taskId") == null ? null : report.get("taskId").toString());
        Map<String, Object> r = new LinkedHashMap<>();
        String kind = String.valueOf(report.get("kind"));
        if (Boolean.TRUE.equals(report.get("auto"))) {
            if (assignment == null) {
                return ResponseEntity.unprocessableEntity().body(Map.of("error",
                        unit + " received no assignment of task " + report.get("taskId") + " to answer"));
            }
            r.putAll(answers.answer(assignment, kind, unit + "-" + UUID.randomUUID(), Instant.now()));
        }
        report.forEach((k, v) -> {
            if (!"auto".equals(k)) {
                r.put(k, v);
            }
        });
        r.putIfAbsent("messageId", unit + "-" + UUID.randomUUID());
        r.putIfAbsent("unitCode", unit);
        if (List.of("SIGN_FOR", "PROGRESS", "SUBMISSION", "EXTENSION_REQUEST").contains(kind)
                && !r.containsKey(BureauAnswers.timeField(kind)) && !r.containsKey("rawFile") && !r.containsKey("rawMessage")) {
            // a retry with the same message id says the same (the hub's idempotency compares the message): its first time
            String time = stamped.computeIfAbsent(unit + "|" + r.get("messageId"),
                    k -> answers.bureauTime(unit, assignment == null ? null : assignment.at(), Instant.now()));
            r.put(BureauAnswers.timeField(kind), time);
        }
        return ResponseEntity.ok(sender.send(unit, r));
    }

    /** The time stamped on each (unit, message id) sent through {@link #send}, the latest 20,000. */
    private final Map<String, String> stamped = java.util.Collections.synchronizedMap(new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, String> eldest) {
            return size() > 20_000;
        }
    });

    private Received lastAssignment(String unit, String taskId) {
        if (taskId == null) {
            return null;
        }
        Received last = null;
        for (Received r : recorder.query(unit, taskId)) {
            if ("ASSIGNMENT".equals(r.kind()) && r.valid()) {
                last = r;
            }
        }
        return last;
    }

    static Map<String, Object> view(Received r) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seq", r.seq());
        m.put("unit", r.unit());
        m.put("protocol", r.protocol());
        m.put("kind", r.kind());
        m.put("messageId", r.messageId());
        m.put("taskId", r.taskId());
        m.put("at", r.at().toString());
        m.put("valid", r.valid());
        m.put("errors", r.errors());
        m.put("fields", r.fields());
        m.put("fileName", r.fileName());
        m.put("size", r.raw() == null ? 0 : r.raw().length);
        m.put("traceparent", r.traceparent());
        return m;
    }
}
