package cn.beijing.scienceedu.task;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;

import cn.beijing.scienceedu.testsupport.HubInfrastructure;

/** A direct connection to the test vhost (not through the proxy): reads what reached the broker. */
final class BrokerTap implements AutoCloseable {

    final Connection connection;
    final Channel channel;
    final List<String> received = new CopyOnWriteArrayList<>();
    final List<String> routingKeys = new CopyOnWriteArrayList<>();

    BrokerTap(HubInfrastructure.Broker broker) throws Exception {
        ConnectionFactory f = new ConnectionFactory();
        f.setHost(broker.host());
        f.setPort(broker.port());
        f.setUsername(broker.username());
        f.setPassword(broker.password());
        f.setVirtualHost(broker.virtualHost());
        connection = f.newConnection("task-service-test-tap");
        channel = connection.createChannel();
    }

    /** Binds a private queue to {@code exchange} with {@code key} and collects what arrives. */
    BrokerTap listen(String exchange, String key) throws Exception {
        channel.exchangeDeclare(exchange, "topic", true);
        String q = channel.queueDeclare().getQueue();
        channel.queueBind(q, exchange, key);
        channel.basicConsume(q, true, (tag, d) -> {
            received.add(new String(d.getBody(), StandardCharsets.UTF_8));
            routingKeys.add(d.getEnvelope().getRoutingKey());
        }, tag -> {
        });
        return this;
    }

    void publish(String exchange, String key, String body) throws Exception {
        var props = new com.rabbitmq.client.AMQP.BasicProperties.Builder()
                .contentType("application/cloudevents+json").deliveryMode(2).build();
        channel.basicPublish(exchange, key, props, body.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public void close() throws Exception {
        connection.close();
    }
}
