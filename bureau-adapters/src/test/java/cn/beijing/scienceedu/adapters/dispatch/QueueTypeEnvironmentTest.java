package cn.beijing.scienceedu.adapters.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

/** HUB_QUEUE_TYPE reaches the binder's own queue (hub.task-events.adapters), not only the declared ones. */
class QueueTypeEnvironmentTest {

    @Test
    void quorumMakesTheBinderDeclareAQuorumQueue() {
        assertThat(binderQuorum(Map.of("HUB_QUEUE_TYPE", "quorum"))).isEqualTo("true");
        assertThat(binderQuorum(Map.of("hub.queue-type", "QUORUM"))).isEqualTo("true");
        assertThat(binderQuorum(Map.of("HUB_QUEUE_TYPE", "classic"))).isEqualTo("false");
    }

    private static String binderQuorum(Map<String, Object> settings) {
        StandardEnvironment env = new StandardEnvironment();
        env.getPropertySources().addFirst(new MapPropertySource("test", settings));
        new QueueTypeEnvironment().postProcessEnvironment(env, null);
        return env.getProperty(QueueTypeEnvironment.BINDER_QUORUM);
    }
}
