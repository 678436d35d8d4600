package cn.beijing.scienceedu.task.web;

import java.util.List;
import java.util.function.Supplier;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;
import org.springframework.transaction.support.TransactionTemplate;

import cn.beijing.scienceedu.contracts.task.model.Task;
import tools.jackson.databind.json.JsonMapper;

/**
 * Runs a write once per (scope, key) — the key being the {@code Idempotency-Key} header or the bureau's
 * message id. The first call's answer is stored in the same transaction as its effect; a repeat (even a
 * concurrent one, which waits on the key's row) gets that stored answer and changes nothing. A failed
 * call stores nothing, so it may be retried.
 */
@Component
public class Idempotency {

    private final JdbcTemplate jdbc;
    private final TransactionTemplate tx;
    private final JsonMapper json;

    public Idempotency(JdbcTemplate jdbc, TransactionTemplate tx, JsonMapper json) {
        this.jdbc = jdbc;
        this.tx = tx;
        this.json = json;
    }

    /** Runs {@code action} in one transaction; with a key, at most once. */
    public <T> ResponseEntity<T> run(String scope, String key, Class<T> type, Supplier<ResponseEntity<T>> action) {
        return run(scope, key, type, () -> {
        }, action);
    }

    /**
     * As {@link #run(String, String, Class, Supplier)}, but a repeat is answered only after {@code replayGuard} passes:
     * the stored answer belongs to whoever first used the key, so a caller who may not see the object (another unit
     * guessing or replaying a message id) must get the object's 404, not that answer.
     */
    public <T> ResponseEntity<T> run(String scope, String key, Class<T> type, Runnable replayGuard,
            Supplier<ResponseEntity<T>> action) {
        return tx.execute(status -> {
            if (key == null || key.isBlank()) {
                return action.get();
            }
            int inserted = jdbc.update("insert into idempotent_request (scope, key) values (?, ?) on conflict do nothing",
                    scope, key);
            if (inserted == 0) {
                replayGuard.run();
                List<ResponseEntity<T>> stored = jdbc.query(
                        "select status, body from idempotent_request where scope = ? and key = ?",
                        (rs, i) -> replay(rs.getInt(1), rs.getString(2), type), scope, key);
                if (stored.isEmpty()) {
                    throw ApiException.conflict("IN_PROGRESS", "the same request is being processed");
                }
                return stored.get(0);
            }
            ResponseEntity<T> answer = action.get();
            jdbc.update("update idempotent_request set status = ?, body = ? where scope = ? and key = ?",
                    answer.getStatusCode().value(), answer.getBody() == null ? null : json.writeValueAsString(answer.getBody()),
                    scope, key);
            return answer;
        });
    }

    private <T> ResponseEntity<T> replay(int status, String body, Class<T> type) {
        T value = body == null ? null : json.readValue(body, type);
        ResponseEntity.BodyBuilder b = ResponseEntity.status(status).header("Idempotent-Replayed", "true");
        if (value instanceof Task t && t.getVersion() != null) {
            b.eTag(ETags.of(t.getVersion()));
        }
        return b.body(value);
    }
}
