package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.contracts.operations.model.ChainResult;

/** The message log is hash-chained per unit; verify finds an edited or deleted record. */
class MessageLogTest extends AdaptersIntegrationTest {

    @Autowired
    MessageLog messageLog;

    @Test
    void archivedRecordsLeaveAnAnchorSoTheChainStillVerifies() {
        String t = newTaskId("SGW");
        publish("task.dispatched", t, "SGW", 1, Map.of());
        await().until(() -> !received("SGW", t, "ASSIGNMENT").isEmpty());
        await().until(() -> jdbc.queryForObject("select count(*) from message_log where task_id = ? and direction = 'OUT'",
                Integer.class, t) >= 1);
        await().until(() -> jdbc.queryForObject("select count(*) from delivery where unit_code = 'SGW' and status = 'PENDING'",
                Integer.class) == 0);
        long before = jdbc.queryForObject("select count(*) from message_log where unit_code = 'SGW'", Long.class);
        assertThat(before).isPositive();
        int archived = messageLog.archiveBefore(java.time.Instant.now().plusSeconds(1));
        assertThat(archived).isPositive();
        assertThat(jdbc.queryForObject("select count(*) from message_log where unit_code = 'SGW'", Long.class)).isZero();
        String file = jdbc.queryForObject("select archived_to from message_log_anchor where unit_code = 'SGW'", String.class);
        assertThat(java.nio.file.Files.exists(java.nio.file.Path.of(file))).isTrue();
        assertThat(messageLog.verify("SGW").get(0).getOk()).isTrue();
        // the chain goes on from the anchor
        String t2 = newTaskId("SGW");
        publish("task.dispatched", t2, "SGW", 1, Map.of());
        await().until(() -> !received("SGW", t2, "ASSIGNMENT").isEmpty());
        await().until(() -> jdbc.queryForObject("select count(*) from message_log where unit_code = 'SGW'", Long.class) > 0);
        assertThat(messageLog.verify("SGW").get(0).getOk()).isTrue();
    }

    private String[] cliArgs(String... extra) {
        var env = applicationContext.getEnvironment();
        java.util.List<String> a = new java.util.ArrayList<>(java.util.List.of("--verify",
                "--spring.datasource.url=" + env.getProperty("spring.datasource.url"),
                "--spring.datasource.username=" + env.getProperty("spring.datasource.username"),
                "--spring.datasource.password=" + env.getProperty("spring.datasource.password", ""),
                "--spring.rabbitmq.host=" + env.getProperty("spring.rabbitmq.host"),
                "--spring.rabbitmq.port=" + env.getProperty("spring.rabbitmq.port"),
                "--spring.rabbitmq.username=" + env.getProperty("spring.rabbitmq.username"),
                "--spring.rabbitmq.password=" + env.getProperty("spring.rabbitmq.password"),
                "--spring.rabbitmq.virtual-host=" + env.getProperty("spring.rabbitmq.virtual-host"),
                "--hub.adapters.message-log.checkpoint-file=" + env.getProperty("hub.adapters.message-log.checkpoint-file"),
                "--spring.main.banner-mode=off", "--spring.jmx.enabled=false"));
        a.addAll(java.util.List.of(extra));
        return a.toArray(String[]::new);
    }

    @Autowired
    org.springframework.context.ApplicationContext applicationContext;

    @Test
    void everyExchangeIsLoggedAndVerifyCatchesAnEditedRecord() throws Exception {
        String t = newTaskId("WXB");
        publish("task.dispatched", t, "WXB", 1, Map.of());
        await().until(() -> !received("WXB", t, "ASSIGNMENT").isEmpty());
        send("WXB", "SIGN_FOR", t, "wxb-" + t);
        await().until(() -> jdbc.queryForObject("select count(*) from message_log where task_id = ?", Integer.class, t) >= 4);

        HttpResponse<String> log = get("/api/v1/operations/message-log?unit=WXB&taskId=" + t, operator());
        assertThat(log.body()).contains("\"direction\":\"OUT\"").contains("\"direction\":\"IN\"").contains("\"payloadHash\"");
        messageLog.checkpoint();
        HttpResponse<String> ok = post("/api/v1/operations/message-log/verify?unit=WXB", operator(), "");
        assertThat(ok.body()).contains("\"ok\":true");

        Map<String, Object> rec = jdbc.queryForMap(
                "select id, seq, outcome from message_log where task_id = ? and direction = 'IN' order by seq limit 1", t);
        jdbc.update("update message_log set outcome = 'ACCEPTED_BY_HAND' where id = ?", rec.get("id"));
        HttpResponse<String> broken = post("/api/v1/operations/message-log/verify?unit=WXB", operator(), "");
        assertThat(broken.body()).contains("\"ok\":false").contains("\"brokenAtSeq\":" + rec.get("seq")).contains("edited");

        // the same finding from the command line (--verify exits 1 on a broken chain)
        assertThat(BureauAdaptersApplication.verify(cliArgs("--unit=WXB"))).isEqualTo(1);

        jdbc.update("update message_log set outcome = ? where id = ?", rec.get("outcome"), rec.get("id"));
        assertThat(BureauAdaptersApplication.verify(cliArgs("--unit=WXB"))).isZero();
        assertThat(post("/api/v1/operations/message-log/verify?unit=WXB", operator(), "").body()).contains("\"ok\":true");

        // deleting the newest record is caught by the checkpoint written outside the database
        long last = jdbc.queryForObject("select max(seq) from message_log where unit_code = 'WXB'", Long.class);
        Map<String, Object> lastRow = jdbc.queryForMap("select * from message_log where unit_code = 'WXB' and seq = ?", last);
        jdbc.update("delete from message_log where unit_code = 'WXB' and seq = ?", last);
        assertThat(messageLog.verify("WXB").get(0).getOk()).isFalse();
        jdbc.update("""
                insert into message_log(id, unit_code, seq, direction, protocol, message_id, message_kind, task_id, at, size,
                  payload_hash, outcome, prev_hash, record_hash) values (?,?,?,?,?,?,?,?,?,?,?,?,?,?)""",
                lastRow.get("id"), lastRow.get("unit_code"), lastRow.get("seq"), lastRow.get("direction"), lastRow.get("protocol"),
                lastRow.get("message_id"), lastRow.get("message_kind"), lastRow.get("task_id"), lastRow.get("at"),
                lastRow.get("size"), lastRow.get("payload_hash"), lastRow.get("outcome"), lastRow.get("prev_hash"),
                lastRow.get("record_hash"));
        assertThat(messageLog.verify("WXB").get(0).getOk()).isTrue();
    }

    // --- tampering in the real database: each time verify names the unit and the seq where the chain breaks

    /** A fresh chain of eight records for its own unit, checkpointed (outside the database) at seq 4 and 8. */
    private String chainOfEight() {
        String unit = "MLT" + Long.toString(System.nanoTime(), 36).toUpperCase();
        for (int i = 1; i <= 8; i++) {
            messageLog.append(new MessageLog.Entry(unit, i % 2 == 0 ? MessageLog.Direction.OUT : MessageLog.Direction.IN,
                    "REST", unit + "-m" + i, "PROGRESS", "T-" + unit, ("payload " + i).getBytes(), "ACCEPTED"));
            if (i == 4 || i == 8) {
                messageLog.checkpoint();
            }
        }
        assertThat(messageLog.verify(unit).get(0).getOk()).isTrue();
        return unit;
    }

    private ChainResult verifyOverApi(String unit) throws Exception {
        HttpResponse<String> res = post("/api/v1/operations/message-log/verify?unit=" + unit, operator(), "");
        assertThat(res.statusCode()).isEqualTo(200);
        var chain = json.readTree(res.body()).get("chains").get(0);
        assertThat(json.readTree(res.body()).get("ok").asBoolean()).isFalse();
        return new ChainResult(chain.get("unitCode").asString(), chain.get("ok").asBoolean(), chain.get("records").asLong())
                .brokenAtSeq(chain.get("brokenAtSeq").asLong()).problem(chain.get("problem").asString());
    }

    @Test
    void verifyNamesTheSeqOfAnEditedRecord() throws Exception {
        String unit = chainOfEight();
        jdbc.update("update message_log set outcome = 'REJECTED' where unit_code = ? and seq = 5", unit);
        ChainResult r = verifyOverApi(unit);
        assertThat(r.getUnitCode()).isEqualTo(unit);
        assertThat(r.getBrokenAtSeq()).isEqualTo(5);
        assertThat(r.getProblem()).contains("edited");
    }

    @Test
    void verifyNamesTheSeqOfADeletedRecord() throws Exception {
        String unit = chainOfEight();
        jdbc.update("delete from message_log where unit_code = ? and seq = 5", unit);
        ChainResult r = verifyOverApi(unit);
        assertThat(r.getBrokenAtSeq()).isEqualTo(5);
        assertThat(r.getProblem()).contains("missing");
    }

    @Test
    void verifyNamesTheSeqWhereTwoRecordsWereReordered() throws Exception {
        String unit = chainOfEight();
        // swap records 5 and 6 (their seq numbers), as someone reordering the log would
        jdbc.update("update message_log set seq = -5 where unit_code = ? and seq = 5", unit);
        jdbc.update("update message_log set seq = 5 where unit_code = ? and seq = 6", unit);
        jdbc.update("update message_log set seq = 6 where unit_code = ? and seq = -5", unit);
        ChainResult r = verifyOverApi(unit);
        assertThat(r.getBrokenAtSeq()).isEqualTo(5);
        assertThat(r.getProblem()).contains("previous-hash link broken");
    }

    @Test
    void aConsistentlyRewrittenChainIsCaughtByTheCheckpointsOutsideTheDatabase() throws Exception {
        String unit = chainOfEight();
        // edit record 5 and recompute every hash after it, head included: the chain holds together in the DB
        jdbc.update("update message_log set outcome = 'REJECTED' where unit_code = ? and seq = 5", unit);
        String prev = jdbc.queryForObject("select record_hash from message_log where unit_code = ? and seq = 4", String.class, unit);
        for (long seq = 5; seq <= 8; seq++) {
            Map<String, Object> r = jdbc.queryForMap("select * from message_log where unit_code = ? and seq = ?", unit, seq);
            long micros = java.time.temporal.ChronoUnit.MICROS.between(java.time.Instant.EPOCH,
                    ((java.sql.Timestamp) r.get("at")).toInstant());
            String material = String.join("|", prev, unit, Long.toString(seq), (String) r.get("direction"),
                    (String) r.get("protocol"), String.valueOf(r.get("message_id")), String.valueOf(r.get("message_kind")),
                    String.valueOf(r.get("task_id")), Long.toString(micros), String.valueOf(r.get("size")),
                    (String) r.get("payload_hash"), String.valueOf(r.get("outcome")));
            String hash = MessageLog.sha256(material.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            jdbc.update("update message_log set prev_hash = ?, record_hash = ? where unit_code = ? and seq = ?", prev, hash,
                    unit, seq);
            prev = hash;
        }
        jdbc.update("update message_log_head set hash = ? where unit_code = ?", prev, unit);

        ChainResult r = verifyOverApi(unit);
        assertThat(r.getBrokenAtSeq()).isEqualTo(5);
        assertThat(r.getProblem()).contains("rewritten").contains("checkpoint");

        // the operator's command line says the same and exits 1
        var out = new java.io.ByteArrayOutputStream();
        var original = System.out;
        int exit;
        System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            exit = BureauAdaptersApplication.verify(cliArgs("--unit=" + unit));
        } finally {
            System.setOut(original);
        }
        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("BROKEN " + unit).contains("at seq 5")
                .contains("message log BROKEN");
    }
}
