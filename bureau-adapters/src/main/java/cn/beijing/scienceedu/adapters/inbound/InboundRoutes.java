package cn.beijing.scienceedu.adapters.inbound;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.dispatch.TaskEventIntake;
import cn.beijing.scienceedu.adapters.mapping.InboundReport;
import cn.beijing.scienceedu.adapters.mapping.MappingException;
import cn.beijing.scienceedu.adapters.mapping.PayloadMapper;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauProperties;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * Answer pickup, one route per FILE and SFTP bureau from the registry: the bureau's {@code outbox}
 * is polled on its schedule by one replica at a time ({@link LeaderPollStrategy}); each file is read
 * in the bureau's charset and every report in it goes through the {@link InboundPipeline}. A file that
 * cannot be read is answered with a rejected receipt; a task-service outage leaves the file for the
 * next poll.
 */
@Component
public class InboundRoutes extends RouteBuilder {

    private static final Logger log = LoggerFactory.getLogger(InboundRoutes.class);

    private final BureauRegistry registry;
    private final PayloadMapper mapper;
    private final InboundPipeline pipeline;
    private final MessageLog messageLog;
    private final TaskEventIntake intake;
    private final InboundParking parking;
    private final long maxFileSize;

    public InboundRoutes(BureauRegistry registry, PayloadMapper mapper, InboundPipeline pipeline, MessageLog messageLog,
            TaskEventIntake intake, InboundParking parking,
            @org.springframework.beans.factory.annotation.Value("${hub.adapters.inbound.max-file-size:2MB}")
            org.springframework.util.unit.DataSize maxFileSize) {
        this.parking = parking;
        this.maxFileSize = maxFileSize.toBytes();
        this.registry = registry;
        this.mapper = mapper;
        this.pipeline = pipeline;
        this.messageLog = messageLog;
        this.intake = intake;
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
        if (length != null && length > maxFileSize) {
            // never read into memory: streamed to the parked directory as it is
            parking.park(b, name, e.getIn().getBody(java.io.InputStream.class), "oversize: " + length
                    + " bytes, more than hub.adapters.inbound.max-file-size (" + maxFileSize + " bytes)");
            return;
        }
        byte[] bytes = e.getIn().getBody(byte[].class);
        if (bytes.length > maxFileSize) {
            parking.park(b, name, bytes, "oversize: " + bytes.length
                    + " bytes, more than hub.adapters.inbound.max-file-size (" + maxFileSize + " bytes)");
            return;
        }
        List<InboundReport> reports;
        try {
            reports = mapper.parseReportFile(b, bytes, name);
        } catch (MappingException ex) {
            parking.park(b, name, bytes, ex.getMessage());
            return;
        }
        // all or nothing: one bad report parks the whole file before any of it takes effect
        List<String> problems = new java.util.ArrayList<>();
        for (int i = 0; i < reports.size(); i++) {
            for (String p : InboundPipeline.check(b.code(), reports.get(i))) {
                problems.add("report " + (i + 1) + ": " + p);
            }
        }
        if (!problems.isEmpty()) {
            parking.park(b, name, bytes, "invalid report(s): " + String.join("; ", problems));
            return;
        }
        for (InboundReport r : reports) {
            pipeline.handle(b.code(), b.protocol(), r, bytes, null);
        }
    }
}
