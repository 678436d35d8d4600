package cn.beijing.scienceedu.adapters.inbound;

import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import cn.beijing.scienceedu.adapters.mapping.InboundReport;
import cn.beijing.scienceedu.adapters.mapping.MappingException;
import cn.beijing.scienceedu.adapters.mapping.PayloadMapper;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * Reads a whole bureau answer — a file from a FILE or SFTP outbox, or an AMQP reply — into its reports, or
 * says why it must be parked: over {@code hub.adapters.inbound.max-file-size}, not in the unit's charset,
 * unparseable, or (files) one report in it invalid, so none of it takes effect. The same reading serves the
 * first pickup and an operator's replay of a parked answer, so a replay judges a file exactly as the pickup
 * would now (with the unit's current registry entry).
 */
@Component
public class AnswerReader {

    /** Its reports, or the reason to park it (then {@code reports} is empty). */
    public record Reading(List<InboundReport> reports, String parkReason) {

        public boolean parked() {
            return parkReason != null;
        }
    }

    private final PayloadMapper mapper;
    private final long maxFileSize;

    public AnswerReader(PayloadMapper mapper, @Value("${hub.adapters.inbound.max-file-size:2MB}") DataSize maxFileSize) {
        this.mapper = mapper;
        this.maxFileSize = maxFileSize.toBytes();
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    public String oversize(long length) {
        return "oversize: " + length + " bytes, more than hub.adapters.inbound.max-file-size (" + maxFileSize + " bytes)";
    }

    public Reading read(Bureau b, String name, byte[] bytes) {
        if (bytes.length > maxFileSize) {
            return park(oversize(bytes.length));
        }
        if (b.protocol() == Protocol.AMQP) {
            // JSON in the hub's field names (XML is not a reply shape here: refused like any garbage); a report
            // that parses is judged by the pipeline, which answers it with a receipt
            try {
                return new Reading(List.of(mapper.parseJsonReport(bytes, b.charset())), null);
            } catch (MappingException e) {
                return park(e.getMessage());
            }
        }
        List<InboundReport> reports;
        try {
            reports = mapper.parseReportFile(b, bytes, name);
        } catch (MappingException e) {
            return park(e.getMessage());
        }
        // all or nothing: one bad report parks the whole file before any of it takes effect
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            for (String p : InboundPipeline.check(b.code(), reports.get(i))) {
                problems.add("report " + (i + 1) + ": " + p);
            }
        }
        if (!problems.isEmpty()) {
            return park("invalid report(s): " + String.join("; ", problems));
        }
        return new Reading(reports, null);
    }

    private static Reading park(String reason) {
        return new Reading(List.of(), reason);
    }
}
