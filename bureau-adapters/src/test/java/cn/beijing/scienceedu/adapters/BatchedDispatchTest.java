package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.contracts.operations.model.ChainResult;
import cn.beijing.scienceedu.simulator.Behaviours;
import cn.beijing.scienceedu.simulator.Received;

/**
 * A burst to one REST bureau goes out four calls at a time and is recorded in batches (one transaction per
 * batch of finished calls: message-log records, delivery updates, bureau state); what a user relies on still
 * holds: every message delivered once and in order per task, exactly one message-log record per send, in a
 * chain that verifies, and one {@code delivery.succeeded} per delivery.
 */
class BatchedDispatchTest extends AdaptersIntegrationTest {

    @Autowired
    MessageLog messageLog;

    @Autowired
    org.springframework.transaction.support.TransactionTemplate tx;

    @Test
    void aBurstIsDeliveredOnceInOrderPerTaskWithOneChainedLogRecordAndOneEventPerDelivery() {
        deliveryEvents(); // what earlier tests left
        // slow enough that the four lanes overlap and their calls finish close together (batches of several)
        SimulatorHarness.behaviours().set("FGW", new Behaviours.Behaviour(Behaviours.Mode.SLOW, 60));
        List<String> tasks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            tasks.add(newTaskId("FGW"));
        }
        for (String t : tasks) {
            publish("task.dispatched", t, "FGW", 1, Map.of());
        }
        for (String t : tasks) {
            publish("task.urged", t, "FGW", 2, Map.of("urging", Map.of("kind", "URGING", "level", 1, "note", "请尽快签收")));
        }
        for (String t : tasks) {
            publish("task.cancelled", t, "FGW", 3, Map.of());
        }
        for (String t : tasks) {
            await().untilAsserted(() -> assertThat(received("FGW", t).stream().map(Received::kind).toList())
                    .containsExactly("ASSIGNMENT", "URGING", "CANCELLATION"));
        }
        String in = "'" + String.join("','", tasks) + "'";
        await().untilAsserted(() -> assertThat(jdbc.queryForObject(
                "select count(*) from delivery where task_id in (" + in + ") and status = 'DELIVERED'", Integer.class))
                .isEqualTo(24));
        ProtocolRoundTripTest.sleep(500);
        for (String t : tasks) {
            assertThat(received("FGW", t)).hasSize(3);
        }

        // exactly one OUT record per delivery, saying DELIVERED, committed with the delivery's status
        List<Map<String, Object>> rows = jdbc.queryForList("""
                select d.id, d.status, count(m.id) records, min(m.outcome) outcome from delivery d
                left join message_log m on m.unit_code = d.unit_code and m.message_id = d.id and m.direction = 'OUT'
                where d.task_id in (""" + in + ") group by d.id, d.status");
        assertThat(rows).hasSize(24).allSatisfy(r -> {
            assertThat(((Number) r.get("records")).intValue()).isEqualTo(1);
            assertThat(r.get("outcome")).isEqualTo("DELIVERED");
        });
        // the unit's chain has no gap and verifies, also against a checkpoint taken after the burst
        List<Long> seqs = jdbc.queryForList("select seq from message_log where unit_code = 'FGW' order by seq", Long.class);
        assertThat(seqs).isNotEmpty();
        assertThat(seqs.get(seqs.size() - 1) - seqs.get(0) + 1).isEqualTo(seqs.size());
        messageLog.checkpoint();
        assertThat(messageLog.verify("FGW").get(0).getOk()).isTrue();

        // one delivery.succeeded per delivery (publisher-confirmed, in batches)
        List<Map<String, Object>> events = new ArrayList<>();
        await().untilAsserted(() -> {
            events.addAll(deliveryEvents());
            assertThat(events.stream().filter(e -> tasks.contains(e.get("subject")))
                    .filter(e -> "cn.beijing.scienceedu.hub.delivery.succeeded.v1".equals(e.get("type")))).hasSize(24);
        });
        ProtocolRoundTripTest.sleep(500);
        events.addAll(deliveryEvents());
        assertThat(events.stream().filter(e -> tasks.contains(e.get("subject")))).hasSize(24);
    }

    @Test
    void recordsAppendedTogetherFormOneChainThatVerifiesAndATamperedOneIsFoundAtItsSeq() throws Exception {
        String unit = "MLB" + Long.toString(System.nanoTime(), 36).toUpperCase();
        List<MessageLog.Entry> batch = new ArrayList<>();
        for (int i = 1; i <= 5; i++) {
            batch.add(new MessageLog.Entry(unit, MessageLog.Direction.OUT, "REST", unit + "-d" + i, "ASSIGNMENT",
                    "T-" + unit + "-" + i, ("payload " + i).getBytes(), "DELIVERED"));
        }
        tx.executeWithoutResult(s -> messageLog.appendAll(unit, batch.subList(0, 3)));
        messageLog.append(new MessageLog.Entry(unit, MessageLog.Direction.IN, "REST", unit + "-m1", "SIGN_FOR",
                "T-" + unit + "-1", "signed".getBytes(), "RECEIVED"));
        tx.executeWithoutResult(s -> messageLog.appendAll(unit, batch.subList(3, 5)));
        assertThat(jdbc.queryForList("select seq from message_log where unit_code = ? order by seq", Long.class, unit))
                .containsExactly(1L, 2L, 3L, 4L, 5L, 6L);
        assertThat(jdbc.queryForList("select message_id from message_log where unit_code = ? order by seq", String.class, unit))
                .containsExactly(unit + "-d1", unit + "-d2", unit + "-d3", unit + "-m1", unit + "-d4", unit + "-d5");
        assertThat(messageLog.verify(unit).get(0).getOk()).isTrue();

        // a batch whose transaction rolls back leaves nothing behind: the chain goes on from where it was
        try {
            tx.executeWithoutResult(s -> {
                messageLog.appendAll(unit, List.of(new MessageLog.Entry(unit, MessageLog.Direction.OUT, "REST",
                        unit + "-lost", "ASSIGNMENT", "T-" + unit + "-9", new byte[0], "DELIVERED")));
                throw new IllegalStateException("the delivery updates failed");
            });
        } catch (IllegalStateException expected) {
            // rolled back
        }
        assertThat(jdbc.queryForObject("select seq from message_log_head where unit_code = ?", Long.class, unit)).isEqualTo(6L);
        assertThat(jdbc.queryForObject("select count(*) from message_log where unit_code = ?", Integer.class, unit)).isEqualTo(6);
        assertThat(messageLog.verify(unit).get(0).getOk()).isTrue();

        // outside a transaction a batch is refused: its records must commit with what they record
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> messageLog.appendAll(unit, batch.subList(0, 1)))
                .isInstanceOf(org.springframework.transaction.IllegalTransactionStateException.class);

        // an edited record in the middle of a batch is named by its seq
        jdbc.update("update message_log set outcome = 'PARKED' where unit_code = ? and seq = 2", unit);
        ChainResult r = messageLog.verify(unit).get(0);
        assertThat(r.getOk()).isFalse();
        assertThat(r.getBrokenAtSeq()).isEqualTo(2L);
        assertThat(r.getProblem()).contains("edited");
    }
}
