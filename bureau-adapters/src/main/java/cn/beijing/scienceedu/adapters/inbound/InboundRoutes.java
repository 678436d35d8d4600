package cn.beijing.scienceedu.adapters.inbound;

import java.net.URI;

import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.mapping.InboundReport;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauProperties;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * Answer pickup, one route per FILE and SFTP bureau from the registry: the bureau's {@code outbox}
 * is polled on its schedule by one replica at a time ({@link LeaderPollStrategy}); each file is read
 * in the bureau's charset ({@link AnswerReader}) and every report in it goes through the
 * {@link InboundPipeline}. A file that cannot be taken is parked whole ({@link InboundParking}) and answered
 * with a rejected receipt; a task-service outage leaves the file for the next poll.
 */
@Component
public class InboundRoutes extends RouteBuilder {

    private final BureauRegistry registry;
    private final InboundPipeline pipeline;
    private final InboundParking parking;
    private final AnswerReader reader;

    public InboundRoutes(BureauRegistry registry, InboundPipeline pipeline, InboundParking parking, AnswerReader reader) {
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
        if (length != null && length > reader.maxFileSize()) {
            // never read into memory: streamed to the parked directory as it is
            parking.park(b, name, e.getIn().getBody(java.io.InputStream.class), reader.oversize(length));
            return;
        }
        byte[] bytes = e.getIn().getBody(byte[].class);
        AnswerReader.Reading reading = reader.read(b, name, bytes);
        if (reading.parked()) {
            parking.park(b, name, bytes, reading.parkReason());
            return;
        }
        for (InboundReport r : reading.reports()) {
            pipeline.handle(b.code(), b.protocol(), r, bytes, null);
        }
    }
}
