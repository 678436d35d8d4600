package cn.beijing.scienceedu.task;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPrivateKey;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.web.server.LocalServerPort;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;

import cn.beijing.scienceedu.task.ApiCalls.Answer;
import cn.beijing.scienceedu.task.ApiCalls.Call;
import cn.beijing.scienceedu.task.delivery.DeliveryInbox;
import cn.beijing.scienceedu.testsupport.TestTokens;
import tools.jackson.databind.JsonNode;

/**
 * The task-service enforces who may do what by itself, with the gateway bypassed: every operation of the contracts'
 * task API (read from the spec, so an operation added without a rule here fails) × every kind of caller, over real
 * HTTP. Another unit's task is a 404 indistinguishable from a task that does not exist; a bad token is a 401 problem;
 * a role reaching above itself is a 403 problem.
 */
class AccessControlTest extends IntegrationTest {

    /** Who may call an operation. */
    enum Rule {
        /** any role; a BUREAU caller only on its own unit's task (another unit's task is 404) */
        READ,
        /** LIAISON, ADMIN */
        LIAISON,
        /** the unit's own system (BUREAU) or bureau-adapters (SERVICE) acting for the unit */
        BUREAU_WRITE,
        /** the replay feed: OPERATOR, ADMIN, SERVICE, LIAISON (it carries every unit's tasks) */
        EVENTS
    }

    /** The rule of every operation of task-api.yaml. An operation missing here fails the test. */
    static final Map<String, Rule> RULES = Map.ofEntries(
            Map.entry("listPolicies", Rule.READ), Map.entry("importPolicy", Rule.LIAISON),
            Map.entry("getPolicy", Rule.READ), Map.entry("listUnits", Rule.READ),
            Map.entry("createPlan", Rule.LIAISON), Map.entry("updatePolicySettings", Rule.LIAISON),
            Map.entry("updateMeasureSettings", Rule.LIAISON), Map.entry("listMeasureStatus", Rule.READ),
            Map.entry("listTasks", Rule.READ), Map.entry("getTask", Rule.READ),
            Map.entry("getTaskHistory", Rule.READ), Map.entry("listProgressReports", Rule.READ),
            Map.entry("reportProgress", Rule.BUREAU_WRITE), Map.entry("dispatchPolicy", Rule.LIAISON),
            Map.entry("dispatchMeasure", Rule.LIAISON), Map.entry("dispatchTask", Rule.LIAISON),
            Map.entry("acceptTask", Rule.LIAISON), Map.entry("returnTask", Rule.LIAISON),
            Map.entry("urgeTask", Rule.LIAISON), Map.entry("cancelTask", Rule.LIAISON),
            Map.entry("setTaskDeadline", Rule.LIAISON), Map.entry("signForTask", Rule.BUREAU_WRITE),
            Map.entry("submitTask", Rule.BUREAU_WRITE), Map.entry("listExtensionRequests", Rule.READ),
            Map.entry("requestExtension", Rule.BUREAU_WRITE), Map.entry("decideExtension", Rule.LIAISON),
            Map.entry("uploadAttachment", Rule.BUREAU_WRITE), Map.entry("replayEvents", Rule.EVENTS));

    /** The callers, each with the rules under which it is let through. */
    enum Who {
        BUREAU_OWN(Rule.READ, Rule.BUREAU_WRITE),
        BUREAU_OTHER(Rule.READ, Rule.BUREAU_WRITE),
        LIAISON(Rule.READ, Rule.LIAISON, Rule.EVENTS),
        OPERATOR(Rule.READ, Rule.EVENTS),
        ADMIN(Rule.READ, Rule.LIAISON, Rule.EVENTS),
        SERVICE_FOR_OWN(Rule.READ, Rule.BUREAU_WRITE, Rule.EVENTS),
        SERVICE_FOR_OTHER(Rule.READ, Rule.BUREAU_WRITE, Rule.EVENTS),
        NO_ROLE(),
        BUREAU_WITHOUT_UNIT();

        final Set<Rule> allowed;

        Who(Rule... allowed) {
            this.allowed = allowed.length == 0 ? EnumSet.noneOf(Rule.class) : EnumSet.copyOf(List.of(allowed));
        }
    }

    static final String UNIT = "SJW";
    static final String OTHER = "SKW";

    @LocalServerPort
    int port;
    @Autowired
    DeliveryInbox inbox;
    ApiCalls api;

    @BeforeEach
    void setUp() {
        api = new ApiCalls(port, json);
    }

    /**
     * A policy of its own for each test (their writes must not meet), its 20 SJW tasks signed for and each with a
     * pending extension request, so that every operation finds the objects its path names.
     */
    private Map<Integer, ApiCalls.Objects> preparedPolicy(String id) throws Exception {
        String policy = freshPlannedPolicy(id);
        TaskActions actions = new TaskActions(mvc, json, inbox);
        Map<Integer, ApiCalls.Objects> byMeasure = new LinkedHashMap<>();
        for (int m = 1; m <= 20; m++) {
            String task = policy + ".M" + String.format("%02d", m) + "." + UNIT;
            actions.bringTo(task, "SIGNED_FOR");
            var r = actions.bureau(task, "extension-requests", Map.of("messageId", "x-" + UUID.randomUUID(),
                    "requestedDeadline", "2031-03-31", "reason", "需延期"), null).andReturn().getResponse();
            assertThat(r.getStatus()).as(r.getContentAsString()).isEqualTo(201);
            byMeasure.put(m, new ApiCalls.Objects(policy, task, m, json.readTree(r.getContentAsString()).get("id").asString()));
        }
        return byMeasure;
    }

    private static Call as(Who who, Call c) {
        return switch (who) {
            case BUREAU_OWN -> c.with("Authorization", bearer(TestTokens.bureau(UNIT)));
            case BUREAU_OTHER -> c.with("Authorization", bearer(TestTokens.bureau(OTHER)))
                    // the acting-unit header is honoured only from SERVICE: from a bureau it must not open the task
                    .with("X-Hub-Acting-Unit", UNIT);
            case LIAISON -> c.with("Authorization", bearer(TestTokens.liaison("liaison-acl")));
            case OPERATOR -> c.with("Authorization", bearer(TestTokens.operator("operator-acl")));
            case ADMIN -> c.with("Authorization", bearer(TestTokens.admin("admin-acl")));
            case SERVICE_FOR_OWN -> c.with("Authorization", bearer(TestTokens.service("bureau-adapters")))
                    .with("X-Hub-Acting-Unit", UNIT);
            case SERVICE_FOR_OTHER -> c.with("Authorization", bearer(TestTokens.service("bureau-adapters")))
                    .with("X-Hub-Acting-Unit", OTHER);
            case NO_ROLE -> c.with("Authorization", bearer(TestTokens.mint("some-client", b -> {
            })));
            case BUREAU_WITHOUT_UNIT -> c.with("Authorization", bearer(TestTokens.mint("bureau-x",
                    b -> b.claim("roles", List.of("BUREAU")))));
        };
    }

    @Test
    void everyOperationOfTheTaskApiHasAnAccessRule() {
        Set<String> inSpec = new TreeSet<>();
        TaskApiSpec.operations().forEach(op -> inSpec.add(op.id()));
        assertThat(inSpec).as("operations of task-api.yaml; give a new one its rule in AccessControlTest.RULES")
                .isEqualTo(new TreeSet<>(RULES.keySet()));
    }

    @Test
    void everyCallerGetsExactlyWhatItsRoleAndUnitAllowOnEveryOperation() throws Exception {
        Map<Integer, ApiCalls.Objects> prepared = preparedPolicy("test-access-matrix");
        List<String> failures = new ArrayList<>();
        int checked = 0;
        int index = 0;
        for (TaskApiSpec.Operation op : TaskApiSpec.operations()) {
            Rule rule = RULES.get(op.id());
            assertThat(rule).as("rule of " + op).isNotNull();
            ApiCalls.Objects objects = prepared.get(index++ % 20 + 1);
            // what a task that does not exist looks like to a caller, to compare another unit's task with
            ApiCalls.Objects missing = new ApiCalls.Objects(objects.policyId(), objects.policyId() + ".M01.NOSUCH",
                    objects.measureNo(), objects.extensionRequestId());
            for (Who who : Who.values()) {
                Answer a = api.send(as(who, api.valid(op, objects)));
                checked++;
                String what = op + " as " + who + ": ";
                if (a.status() >= 500 || !(a.status() < 400 || a.isProblem())) {
                    failures.add(what + "not a problem detail below 500: " + a);
                    continue;
                }
                boolean roleAllows = who.allowed.contains(rule);
                boolean otherUnit = (who == Who.BUREAU_OTHER || who == Who.SERVICE_FOR_OTHER)
                        && (rule == Rule.BUREAU_WRITE || (rule == Rule.READ && op.onTask()))
                        && !(who == Who.SERVICE_FOR_OTHER && rule == Rule.READ);
                if (!roleAllows) {
                    if (a.status() != 403) {
                        failures.add(what + "expected 403, got " + a);
                    }
                } else if (otherUnit) {
                    Answer none = api.send(as(who, api.valid(op, missing)));
                    if (a.status() != 404) {
                        failures.add(what + "another unit's task must be 404, got " + a);
                    } else if (!sameProblem(a, none, objects.taskId(), missing.taskId())) {
                        failures.add(what + "another unit's task must look like a missing one: " + a + " vs " + none);
                    }
                } else if (a.status() == 401 || a.status() == 403 || a.status() == 404) {
                    failures.add(what + "expected to be let through, got " + a);
                }
            }
        }
        assertThat(failures).isEmpty();
        assertThat(checked).isEqualTo(RULES.size() * Who.values().length);
    }

    /** Same status, same problem members, and the detail differs only by the task id the caller itself sent. */
    private boolean sameProblem(Answer a, Answer b, String idA, String idB) {
        JsonNode x = api.tree(a);
        JsonNode y = api.tree(b);
        Set<String> keysX = new TreeSet<>(x.propertyNames());
        Set<String> keysY = new TreeSet<>(y.propertyNames());
        return a.status() == b.status() && keysX.equals(keysY)
                && x.path("detail").asString("").replace(idA, "ID").equals(y.path("detail").asString("").replace(idB, "ID"))
                && x.path("title").asString("").equals(y.path("title").asString(""));
    }

    @Test
    void aBureauListsOnlyItsOwnUnitsTasksWhateverItAsksFor() throws Exception {
        String policy = freshPlannedPolicy("test-access-lists");
        String token = bearer(TestTokens.bureau(OTHER));
        for (String query : List.of("", "?unitCode=" + UNIT, "?policyId=" + policy + "&unitCode=" + UNIT, "?size=500")) {
            Answer a = api.send(new Call("GET", "/api/v1/tasks" + query, Map.of("Authorization", token), null));
            assertThat(a.status()).as(a.toString()).isEqualTo(200);
            api.tree(a).get("items").forEach(t -> assertThat(t.get("unitCode").asString()).as(query).isEqualTo(OTHER));
        }
        Answer rollUp = api.send(new Call("GET", "/api/v1/policies/" + policy + "/measures", Map.of("Authorization", token), null));
        int seen = 0;
        for (JsonNode m : api.tree(rollUp)) {
            seen += m.get("taskCount").asInt();
        }
        assertThat(seen).isEqualTo(jdbc.queryForObject("select count(*) from task where policy_id = ? and unit_code = ?",
                Integer.class, policy, OTHER));
    }

    @Test
    void anotherUnitReplayingAMessageKeyOfThisUnitGetsNothingBack() throws Exception {
        // the unit's own write, with its message id as the key ...
        String policy = freshPlannedPolicy("test-access-replay");
        String task = policy + ".M20." + UNIT;
        new TaskActions(mvc, json, inbox).bringTo(task, "DELIVERED");
        for (String opId : List.of("signForTask", "reportProgress", "requestExtension", "submitTask")) {
            TaskApiSpec.Operation op = TaskApiSpec.operations().stream().filter(o -> o.id().equals(opId)).findFirst().orElseThrow();
            Call own = as(Who.SERVICE_FOR_OWN, api.valid(op, new ApiCalls.Objects(policy, task, 20, null)));
            Answer first = api.send(own);
            assertThat(first.status()).as(op + " " + first).isBetween(200, 299);
            // ... replayed by another unit (its own token, or adapters acting for it) must not return the stored answer
            for (Who who : List.of(Who.BUREAU_OTHER, Who.SERVICE_FOR_OTHER)) {
                Answer replay = api.send(as(who, own));
                assertThat(replay.status()).as(op + " replayed as " + who + ": " + replay).isEqualTo(404);
                assertThat(replay.body()).doesNotContain("receivedAt", "version", "signedBy", "previousDeadline");
            }
        }
    }

    @Test
    void everyBadTokenIsA401ProblemOnEveryOperation() throws Exception {
        Map<String, String> bad = new LinkedHashMap<>();
        Instant now = Instant.now();
        bad.put("missing", null);
        bad.put("not a JWT", "Bearer not-a-jwt");
        bad.put("empty bearer", "Bearer ");
        bad.put("basic auth", "Basic bGlhaXNvbjpzZWNyZXQ=");
        bad.put("expired", bearer(TestTokens.mint("liaison-wang", b -> b.claim("roles", List.of("LIAISON"))
                .issueTime(Date.from(now.minusSeconds(3600))).notBeforeTime(Date.from(now.minusSeconds(3600)))
                .expirationTime(Date.from(now.minusSeconds(600))))));
        bad.put("not yet valid", bearer(TestTokens.mint("liaison-wang", b -> b.claim("roles", List.of("LIAISON"))
                .notBeforeTime(Date.from(now.plusSeconds(600))).expirationTime(Date.from(now.plusSeconds(1200))))));
        bad.put("wrong issuer", bearer(TestTokens.mint("liaison-wang", b -> b.claim("roles", List.of("LIAISON"))
                .issuer("https://evil.example.com"))));
        bad.put("wrong audience", bearer(TestTokens.mint("liaison-wang", b -> b.claim("roles", List.of("LIAISON"))
                .audience("another-app"))));
        bad.put("no audience", bearer(TestTokens.mint("liaison-wang", b -> b.claim("roles", List.of("LIAISON"))
                .audience(List.of()))));
        bad.put("forged signature", bearer(forged()));
        bad.put("alg none", bearer(new PlainJWT(claims(now)).serialize()));
        String valid = TestTokens.liaison("liaison-wang");
        bad.put("tampered payload", bearer(tamper(valid)));

        ApiCalls.Objects objects = preparedPolicy("test-access-tokens").get(19);
        String task = objects.taskId();
        long version = jdbc.queryForObject("select version from task where id = ?", Long.class, task);
        int policies = jdbc.queryForObject("select count(*) from policy", Integer.class);
        List<String> failures = new ArrayList<>();
        for (TaskApiSpec.Operation op : TaskApiSpec.operations()) {
            for (var e : bad.entrySet()) {
                Answer a = api.send(api.valid(op, objects).with("Authorization", e.getValue()));
                if (a.status() != 401 || !a.isProblem() || a.body().contains("Exception")) {
                    failures.add(op + " with a " + e.getKey() + " token: expected a 401 problem, got " + a);
                }
            }
        }
        assertThat(failures).isEmpty();
        // and none of them changed anything
        assertThat(jdbc.queryForObject("select version from task where id = ?", Long.class, task)).isEqualTo(version);
        assertThat(jdbc.queryForObject("select count(*) from policy", Integer.class)).isEqualTo(policies);
    }

    private static JWTClaimsSet claims(Instant now) {
        return new JWTClaimsSet.Builder().issuer(TestTokens.ISSUER).subject("liaison-wang").audience(TestTokens.AUDIENCE)
                .issueTime(Date.from(now)).expirationTime(Date.from(now.plusSeconds(300)))
                .claim("roles", List.of("ADMIN", "LIAISON")).build();
    }

    /** Well-formed, right claims, signed with a key that is not the issuer's. */
    private static String forged() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
        g.initialize(2048);
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("hub-test").build(), claims(Instant.now()));
        jwt.sign(new RSASSASigner((RSAPrivateKey) g.generateKeyPair().getPrivate()));
        return jwt.serialize();
    }

    /** A valid token whose payload is swapped for one granting ADMIN, the signature kept. */
    private static String tamper(String token) {
        String[] parts = token.split("\\.");
        String payload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString(claims(Instant.now()).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        return parts[0] + "." + payload + "." + parts[2];
    }
}
