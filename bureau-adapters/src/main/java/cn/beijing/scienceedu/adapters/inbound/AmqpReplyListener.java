package cn.beijing.scienceedu.adapters.inbound;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.beijing.scienceedu.adapters.dispatch.TaskEventIntake;
import cn.beijing.scienceedu.adapters.mapping.InboundReport;
import cn.beijing.scienceedu.adapters.mapping.MappingException;
import cn.beijing.scienceedu.adapters.mapping.PayloadMapper;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * Reads the AMQP bureaus' reply queues ({@code hub.bureau.<unit>.replies}, single active consumer):
 * each message is a report in the hub's field names ({@code BureauReport}); the unit is the queue's.
 */
@Configuration(proxyBeanMethods = false)
public class AmqpReplyListener {

    private static final Logger log = LoggerFactory.getLogger(AmqpReplyListener.class);

    @Bean
    public SimpleMessageListenerContainer bureauReplyContainer(ConnectionFactory cf, BureauRegistry registry,
            PayloadMapper mapper, InboundPipeline pipeline, InboundParking parking,
            @org.springframework.beans.factory.annotation.Value("${hub.adapters.amqp-replies.enabled:true}") boolean enabled,
            @org.springframework.beans.factory.annotation.Value("${hub.adapters.inbound.max-file-size:2MB}")
            org.springframework.util.unit.DataSize maxSize) {
        Map<String, Bureau> byQueue = registry.byProtocol(Protocol.AMQP).stream()
                .collect(Collectors.toMap(Bureau::replyQueue, b -> b));
        SimpleMessageListenerContainer c = new SimpleMessageListenerContainer(cf);
        if (byQueue.isEmpty() || !enabled) {
            c.setAutoStartup(false);
            return c;
        }
        c.setQueueNames(byQueue.keySet().toArray(String[]::new));
        c.setDefaultRequeueRejected(true);
        c.setPrefetchCount(20);
        c.setMessageListener((MessageListener) message -> {
            String queue = message.getMessageProperties().getConsumerQueue();
            Bureau b = byQueue.get(queue);
            byte[] body = message.getBody();
            Charset cs = b.charset();
            String id = message.getMessageProperties().getMessageId();
            String name = "amqp-" + (id != null ? id : MessageLog.sha256(body).substring(0, 16)) + ".json";
            if (body.length > maxSize.toBytes()) {
                parking.park(b, name, body, "oversize: " + body.length
                        + " bytes, more than hub.adapters.inbound.max-file-size (" + maxSize.toBytes() + " bytes)");
                return;
            }
            InboundReport report;
            try {
                // JSON in the hub's field names (XML is not a reply shape here: refused like any garbage)
                report = mapper.parseJsonReport(body, cs);
            } catch (MappingException e) {
                parking.park(b, name, body, e.getMessage());
                return;
            }
            Object tp = message.getMessageProperties().getHeaders().get("traceparent");
            pipeline.handle(b.code(), Protocol.AMQP, report, body, tp == null ? null : tp.toString());
        });
        return c;
    }
}
