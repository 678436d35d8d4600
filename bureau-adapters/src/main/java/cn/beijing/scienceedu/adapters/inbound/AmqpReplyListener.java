package cn.beijing.scienceedu.adapters.inbound;

import java.util.Map;
import java.util.stream.Collectors;

import org.springframework.amqp.core.MessageListener;
import org.springframework.amqp.rabbit.connection.ConnectionFactory;
import org.springframework.amqp.rabbit.listener.SimpleMessageListenerContainer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;

/**
 * Reads the AMQP bureaus' reply queues ({@code hub.bureau.<unit>.replies}, single active consumer):
 * each message is a write in bureau-api field names plus {@code kind}, {@code taskId}, {@code unitCode} (evidence
 * bytes inline, base64); the unit is the queue's.
 */
@Configuration(proxyBeanMethods = false)
public class AmqpReplyListener {

    @Bean
    public SimpleMessageListenerContainer bureauReplyContainer(ConnectionFactory cf, BureauRegistry registry,
            AnswerReader reader, InboundPipeline pipeline, InboundParking parking,
            @org.springframework.beans.factory.annotation.Value("${hub.adapters.amqp-replies.enabled:true}") boolean enabled) {
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
            String id = message.getMessageProperties().getMessageId();
            String name = "amqp-" + (id != null ? id : MessageLog.sha256(body).substring(0, 16)) + ".json";
            AnswerReader.Reading reading = reader.read(b, name, body);
            if (reading.parked()) {
                parking.park(b, name, body, reading.parkReason());
                return;
            }
            BureauWrite report = reading.reports().get(0);
            Object tp = message.getMessageProperties().getHeaders().get("traceparent");
            pipeline.handle(b.code(), Protocol.AMQP, report, body, tp == null ? null : tp.toString());
        });
        return c;
    }
}
