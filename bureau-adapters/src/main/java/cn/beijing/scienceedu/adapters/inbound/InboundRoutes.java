package cn.beijing.scienceedu.adapters.inbound;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauProperties;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * Answer pickup, one route per FILE and SFTP bureau from the registry: the bureau's {@code outbox}
 * is polled on its schedule by one replica at a time ({@link LeaderPollStrategy}); each file is read
 * in the bureau's charset ({@link AnswerReader}), with the evidence files of its {@code <name>.evidence/} directory
 * (SFTP: copied first, {@link SftpEvidence}), and every report in it goes through the
 * {@link InboundPipeline}. A file that cannot be taken is parked whole ({@link InboundParking}) and answered
 * with a rejected receipt; a task-service outage leaves the file for the next poll.
 */
@Component
public class InboundRoutes extends RouteBuilder {

    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(InboundRoutes.class);

    private final BureauRegistry registry;
    private final InboundPipeline pipeline;
    private final InboundParking parking;
    private final AnswerReader reader;
    private final SftpEvidence sftpEvidence;

    public InboundRoutes(BureauRegistry registry, InboundPipeline pipeline, InboundParking parking, AnswerReader reader,
            SftpEvidence sftpEvidence) {
        this.sftpEvidence = sftpEvidence;
        this.parking = parking;
        this.reader = reader;
        this.registry = registry;
        this.pipeline = pipeline;
    }

    @Override
    public void configure() {
        for (Bureau b : registry.byProtocol(Protocol.FILE)) {
            from("file:" + b.endpoint() + "/outbox?delete=true&autoCreate=true&include=.*\\.(csv|xml|json)"
                    + "&pollStrategy=#leaderPoll&initialDelay=500&delay=" + b.schedule().pollInterval().toMillis())
                    .routeId("in-file-" + b.code())
                    .process(e -> handle(b, e));
        }
        for (Bureau b : registry.byProtocol(Protocol.SFTP)) {
            URI uri = URI.create(b.endpoint());
            BureauProperties.Credentials c = registry.credentials(b);
            String dir = uri.getPath().replaceAll("^/+", "");
            from("sftp://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 22 : uri.getPort()) + "/"
                    + (dir.isEmpty() ? "" : dir + "/") + "outbox"
                    + "?username=" + (c.getUsername() == null ? b.code() : c.getUsername())
                    + "&password=RAW(" + (c.getPassword() == null ? "" : c.getPassword()) + ")"
                    + "&delete=true&autoCreate=true&binary=true&include=.*\\.(csv|xml|json)"
                    + "&strictHostKeyChecking=no&useUserKnownHostsFile=false&throwExceptionOnConnectFailed=false"
                    // connects through the SSRF guard (an answer server that now resolves inside is refused)
                    + "&proxy=#guardedSftpConnection"
                    + "&connectTimeout=" + b.timeouts().connect().toMillis()
                    + "&pollStrategy=#leaderPoll&initialDelay=500&delay=" + b.schedule().pollInterval().toMillis())
                    .routeId("in-sftp-" + b.code())
                    .process(e -> handle(b, e));
        }
    }

    void handle(Bureau b, Exchange e) {
        String name = e.getIn().getHeader(Exchange.FILE_NAME_ONLY, String.class);
        Long length = e.getIn().getHeader(Exchange.FILE_LENGTH, Long.class);
        // the evidence files a bureau put beside its answer (<answer>.evidence/): FILE in place, SFTP copied here first
        Path evidence = null;
        boolean staged = false;
        if (b.protocol() == Protocol.FILE) {
            String path = e.getIn().getHeader("CamelFileAbsolutePath", String.class);
            evidence = path == null ? null : AnswerReader.evidenceDir(Path.of(path));
        } else if (b.protocol() == Protocol.SFTP) {
            try {
                evidence = sftpEvidence.stage(b, name);
                staged = evidence != null;
            } catch (IOException ex) {
                // the answer stays in the outbox and is read again on the next poll
                throw new InboundTransientException("evidence of " + name + " not fetched: " + ex.getMessage());
            }
        }
        try {
            if (length != null && length > reader.maxFileSize()) {
                // never read into memory: streamed to the parked directory as it is
                keepEvidence(parking.park(b, name, e.getIn().getBody(java.io.InputStream.class), reader.oversize(length)),
                        evidence);
                removeRemote(b, name);
                return;
            }
            byte[] bytes = e.getIn().getBody(byte[].class);
            AnswerReader.Reading reading = reader.read(b, name, bytes, evidence);
            if (reading.parked()) {
                keepEvidence(parking.park(b, name, bytes, reading.parkReason()), evidence);
                removeRemote(b, name);
                return;
            }
            for (BureauWrite r : reading.reports()) {
                pipeline.handle(b.code(), b.protocol(), r, bytes, null);
            }
            // taken (the answer file is deleted by the consumer): its evidence is with the task-service now
            deleteTree(evidence);
            removeRemote(b, name);
        } finally {
            if (staged) {
                deleteTree(evidence); // the local copy, unless it went beside a parked answer
            }
        }
    }

    private void removeRemote(Bureau b, String name) {
        if (b.protocol() != Protocol.SFTP) {
            return;
        }
        try {
            sftpEvidence.remove(b, name);
        } catch (IOException ex) {
            log.warn("{} evidence directory of {} not removed from the server: {}", b.code(), name, ex.getMessage());
        }
    }

    /** A parked answer keeps its evidence directory beside it, so a replay reads both as the pickup did. */
    static void keepEvidence(Path parked, Path evidence) {
        if (evidence == null || !Files.isDirectory(evidence) || parked == null) {
            return;
        }
        Path target = AnswerReader.evidenceDir(parked);
        try {
            Files.move(evidence, target);
        } catch (IOException notARename) {
            // another volume: file by file
            try (var files = Files.list(evidence)) {
                Files.createDirectories(target);
                for (Path f : files.toList()) {
                    Files.copy(f, target.resolve(f.getFileName().toString()), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                deleteTree(evidence);
            } catch (IOException ex) {
                log.warn("evidence {} not kept beside the parked answer {}: {}", evidence, parked, ex.getMessage());
            }
        }
    }

    static void deleteTree(Path dir) {
        if (dir == null || !Files.isDirectory(dir)) {
            return;
        }
        try (var files = Files.list(dir)) {
            for (Path f : files.toList()) {
                Files.deleteIfExists(f);
            }
            Files.deleteIfExists(dir);
        } catch (IOException ex) {
            log.warn("evidence directory {} not removed: {}", dir, ex.getMessage());
        }
    }
}
