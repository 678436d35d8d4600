package cn.beijing.scienceedu.adapters.inbound;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.stereotype.Component;
import org.springframework.util.unit.DataSize;

import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.adapters.mapping.MappingException;
import cn.beijing.scienceedu.adapters.mapping.ReportReader;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.contracts.bureau.model.Evidence;

/**
 * Reads a whole bureau answer — a file from a FILE or SFTP outbox (with the evidence files of its
 * {@code <name>.evidence/} directory), or an AMQP reply — into its writes, or says why it must be parked: over
 * {@code hub.adapters.inbound.max-file-size}, not in the unit's charset, unparseable, or (files) one report in it
 * invalid (a missing or shifted CSV column, an unknown status, evidence whose bytes do not match), so none of it
 * takes effect. The same reading serves the
 * first pickup and an operator's replay of a parked answer, so a replay judges a file exactly as the pickup
 * would now (with the unit's current registry entry).
 */
@Component
public class AnswerReader {

    /** Its reports, or the reason to park it (then {@code reports} is empty). */
    public record Reading(List<BureauWrite> reports, String parkReason) {

        public boolean parked() {
            return parkReason != null;
        }
    }

    private static final ZoneId ZONE = ZoneId.of("Asia/Shanghai");
    private final ReportReader reader;
    private final long maxFileSize;

    public AnswerReader(ReportReader reader, @Value("${hub.adapters.inbound.max-file-size:8MB}") DataSize maxFileSize) {
        this.reader = reader;
        this.maxFileSize = maxFileSize.toBytes();
    }

    public long maxFileSize() {
        return maxFileSize;
    }

    public String oversize(long length) {
        return "oversize: " + length + " bytes, more than hub.adapters.inbound.max-file-size (" + maxFileSize + " bytes)";
    }

    public Reading read(Bureau b, String name, byte[] bytes) {
        return read(b, name, bytes, null);
    }

    /**
     * @param evidenceDir the directory {@code <answer file name>.evidence/} beside a FILE/SFTP answer (null: none): the
     *                    bytes of each evidence the answer names and does not carry inline
     */
    public Reading read(Bureau b, String name, byte[] bytes, Path evidenceDir) {
        if (bytes.length > maxFileSize) {
            return park(oversize(bytes.length));
        }
        OffsetDateTime receivedAt = OffsetDateTime.now(ZONE);
        if (b.protocol() == Protocol.AMQP) {
            // JSON in bureau-api field names (XML is not a reply shape here: refused like any garbage); a write that
            // parses is judged by the pipeline, which answers it with a (rejected) receipt naming its problems
            try {
                return new Reading(List.of(reader.readJson(b, bytes, receivedAt)), null);
            } catch (MappingException e) {
                return park(e.getMessage());
            }
        }
        List<BureauWrite> writes;
        try {
            writes = reader.readFile(b, bytes, name, receivedAt);
        } catch (MappingException e) {
            return park(e.getMessage());
        }
        List<String> problems = new ArrayList<>();
        if (evidenceDir != null) {
            List<BureauWrite> withBytes = new ArrayList<>();
            for (int i = 0; i < writes.size(); i++) {
                List<String> p = attachEvidence(writes.get(i), evidenceDir);
                withBytes.add(p.isEmpty() ? writes.get(i) : writes.get(i).withProblems(p));
            }
            writes = withBytes;
        }
        // all or nothing: one bad report parks the whole file before any of it takes effect
        for (int i = 0; i < writes.size(); i++) {
            for (String p : InboundPipeline.check(b.code(), writes.get(i))) {
                problems.add("report " + (i + 1) + ": " + p);
            }
        }
        if (!problems.isEmpty()) {
            return park("invalid report(s): " + String.join("; ", problems));
        }
        return new Reading(writes, null);
    }

    /** The directory of evidence files beside an answer file. */
    public static Path evidenceDir(Path answer) {
        return answer.resolveSibling(answer.getFileName() + ".evidence");
    }

    /**
     * Fills in the bytes of each evidence that names a file of the directory and brought none inline; a file over
     * 5 MiB is not read (refused by its size). Evidence with no file there stays a reference the bureau holds.
     */
    static List<String> attachEvidence(BureauWrite w, Path dir) {
        List<String> problems = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return problems;
        }
        for (Evidence e : w.evidence()) {
            if (e == null || e.getContent() != null || e.getName() == null) {
                continue;
            }
            Path f = dir.resolve(e.getName()).normalize();
            if (!f.getParent().equals(dir.normalize()) || e.getName().contains("/") || e.getName().contains("\\")) {
                problems.add("evidence '" + e.getName() + "': a plain file name expected");
                continue;
            }
            if (!Files.isRegularFile(f)) {
                continue;
            }
            try {
                long size = Files.size(f);
                if (size > InboundPipeline.MAX_EVIDENCE_BYTES) {
                    problems.add("evidence '" + e.getName() + "': " + size + " bytes, more than 5 MiB ("
                            + InboundPipeline.MAX_EVIDENCE_BYTES + ")");
                    continue;
                }
                e.setContent(Files.readAllBytes(f));
            } catch (IOException ex) {
                problems.add("evidence '" + e.getName() + "': cannot be read: " + ex.getMessage());
            }
        }
        return problems;
    }

    private static Reading park(String reason) {
        return new Reading(List.of(), reason);
    }
}
