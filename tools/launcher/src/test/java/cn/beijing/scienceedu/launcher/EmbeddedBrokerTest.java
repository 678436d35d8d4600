package cn.beijing.scienceedu.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.BuiltinExchangeType;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.GetResponse;
import com.rabbitmq.client.MessageProperties;

class EmbeddedBrokerTest {

    @TempDir
    Path work;

    @Test
    void confirmedPersistentMessageSurvivesABrokerRestart() throws Exception {
        int port = Ports.findFree();
        Path store = work.resolve("broker");

        try (EmbeddedBroker broker = new EmbeddedBroker(port, store).start()) {
            try (Connection connection = connect(port); Channel channel = connection.createChannel()) {
                channel.confirmSelect();
                channel.exchangeDeclare("hub.task-events", BuiltinExchangeType.TOPIC, true);
                channel.queueDeclare("hub.task-events.reporting", true, false, false, Map.of());
                channel.queueBind("hub.task-events.reporting", "hub.task-events", "task.#");
                channel.basicPublish("hub.task-events", "task.signed-for",
                        MessageProperties.PERSISTENT_BASIC.builder().contentType("application/cloudevents+json").build(),
                        "{\"id\":\"e-1\"}".getBytes(StandardCharsets.UTF_8));
                channel.waitForConfirmsOrDie(Duration.ofSeconds(10).toMillis());
            }
        }
        assertThat(Ports.isFree(port)).as("port released after stop").isTrue();

        try (EmbeddedBroker broker = new EmbeddedBroker(port, store).start()) {
            try (Connection connection = connect(port); Channel channel = connection.createChannel()) {
                GetResponse message = channel.basicGet("hub.task-events.reporting", true);
                assertThat(message).as("the message queued before the restart").isNotNull();
                assertThat(new String(message.getBody(), StandardCharsets.UTF_8)).isEqualTo("{\"id\":\"e-1\"}");
                AMQP.BasicProperties props = message.getProps();
                assertThat(props.getContentType()).isEqualTo("application/cloudevents+json");
                assertThat(message.getEnvelope().getRoutingKey()).isEqualTo("task.signed-for");
            }
        }
    }

    @Test
    void refusesAPortThatIsTaken() throws Exception {
        int port = Ports.findFree();
        try (java.net.ServerSocket taken = new java.net.ServerSocket(port)) {
            EmbeddedBroker broker = new EmbeddedBroker(port, work.resolve("b2"));
            org.assertj.core.api.Assertions.assertThatThrownBy(broker::start)
                    .hasMessageContaining("port " + port);
        }
    }

    private static Connection connect(int port) throws Exception {
        ConnectionFactory factory = new ConnectionFactory();
        factory.setHost("localhost");
        factory.setPort(port);
        factory.setUsername(EmbeddedBroker.USERNAME);
        factory.setPassword(EmbeddedBroker.PASSWORD);
        factory.setVirtualHost("/");
        return factory.newConnection("launcher-test");
    }
}
