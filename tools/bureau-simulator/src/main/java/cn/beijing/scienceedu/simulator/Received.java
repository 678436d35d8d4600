package cn.beijing.scienceedu.simulator;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One thing a simulated bureau received (duplicates included: the simulator never deduplicates).
 *
 * @param fields the message's content in the hub's field names (read back from the bureau's shape)
 * @param raw    the bytes exactly as received
 */
public record Received(long seq, String unit, String protocol, String kind, String messageId, String taskId,
        Instant at, boolean valid, List<String> errors, Map<String, Object> fields, String fileName, byte[] raw,
        String traceparent) {
}
