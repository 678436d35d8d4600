package cn.beijing.scienceedu.adapters;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import java.util.Map;

import org.junit.jupiter.api.Test;

import tools.jackson.databind.JsonNode;

/**
 * DNS rebinding: a bureau's host name answers a public (here: allowed) address when the SSRF guard checks it
 * before the send and an internal one when the HTTP client resolves it to connect. The client resolves through
 * the guard, so the send is refused and parked with the reason, and no connection ever reaches the internal
 * address — a real listener there records every connection. Real delivery path: task event → outbox →
 * camel-http → parked delivery in the operations API.
 */
class DnsRebindingTest extends AdaptersIntegrationTest {

    private final RecordingBureau bureau = RecordingBureau.INSTANCE;

    @Test
    void aNameThatTurnsInternalBetweenTheCheckAndTheConnectionIsRefusedAndNeverConnectedTo() throws Exception {
        // control: the name answers the bureau's address at every lookup — delivered there, by that name
        TestDns.INSTANCE.answer(REBIND_HOST, "127.0.0.1");
        String kept = newTaskId("REBIND");
        publish("task.dispatched", kept, "REBIND", 1, Map.of());
        await().until(() -> "DELIVERED".equals(status(kept)));
        assertThat(bureau.received()).anyMatch(body -> body.contains(kept));

        // rebinding: the first lookup (the guard's check before the send) answers the allowed address,
        // every later one (the HTTP client's, when it connects) an internal address
        TestDns.INSTANCE.answer(REBIND_HOST, "127.0.0.1", "127.0.0.2");
        int lookupsBefore = TestDns.INSTANCE.lookups(REBIND_HOST);
        String rebound = newTaskId("REBIND");
        publish("task.dispatched", rebound, "REBIND", 1, Map.of());
        await().until(() -> "PARKED".equals(status(rebound)));

        assertThat(TestDns.INSTANCE.lookups(REBIND_HOST) - lookupsBefore)
                .as("the check before the send and the connection each looked the name up").isGreaterThanOrEqualTo(2);
        assertThat(bureau.internalConnections()).as("connections to the internal address").isEmpty();
        assertThat(bureau.received()).noneMatch(body -> body.contains(rebound));

        // what the operator sees: parked, with why
        HttpResponse<String> res = get("/api/v1/operations/parked-deliveries?unit=REBIND", operator());
        assertThat(res.statusCode()).isEqualTo(200);
        JsonNode parked = null;
        for (JsonNode d : json.readTree(res.body())) {
            if (rebound.equals(d.path("taskId").asString(null))) {
                parked = d;
            }
        }
        assertThat(parked).as("parked delivery of " + rebound).isNotNull();
        assertThat(parked.path("reason").asString() + " " + parked.path("lastError").asString())
                .contains("ForbiddenAddressException").contains(REBIND_HOST)
                .contains("forbidden address 127.0.0.2 (loopback").contains("refused before connecting");
        assertThat(parked.path("attempts").asInt()).isEqualTo(1);

        // the name answers the bureau again: a replay is delivered there, once
        TestDns.INSTANCE.answer(REBIND_HOST, "127.0.0.1");
        String id = parked.path("deliveryId").asString();
        assertThat(post("/api/v1/operations/parked-deliveries/" + id + "/replay", operator(), "").statusCode()).isEqualTo(200);
        await().until(() -> "DELIVERED".equals(status(rebound)));
        assertThat(bureau.received().stream().filter(body -> body.contains(rebound)).count()).isEqualTo(1);
        assertThat(bureau.internalConnections()).isEmpty();
    }

    private String status(String taskId) {
        return jdbc.queryForList("select status from delivery where task_id = ?", String.class, taskId).stream()
                .findFirst().orElse(null);
    }
}
