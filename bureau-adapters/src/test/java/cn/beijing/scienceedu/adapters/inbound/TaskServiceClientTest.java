package cn.beijing.scienceedu.adapters.inbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.security.oauth2.client.OAuth2AuthorizedClientManager;

import cn.beijing.scienceedu.adapters.mapping.BureauWrite;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import tools.jackson.databind.json.JsonMapper;

/**
 * A bureau write that cannot get the adapters' SERVICE token (issuer away or refusing) is a transient
 * failure — the REST bureau gets a 503 to retry, file and queue messages wait — never a bare 500.
 */
class TaskServiceClientTest {

    @Test
    void aMissingServiceTokenIsTransientNotAnError() {
        ServiceToken none = new ServiceToken("",
                new DefaultListableBeanFactory().getBeanProvider(OAuth2AuthorizedClientManager.class));
        TaskServiceClient client = new TaskServiceClient("http://127.0.0.1:9", Duration.ofSeconds(1), none,
                JsonMapper.builder().build());
        BureauWrite signFor = BureauWrite.of(BureauWrite.Kind.SIGN_FOR, "bj-sciedu-20-2024.M01.SJW", "SJW",
                new SignFor("msg-1").signedBy("张三"), java.time.OffsetDateTime.now());

        TaskServiceClient.Answer answer = client.forward("SJW", signFor, java.util.List.of(), "1", null);

        assertThat(answer.transientFailure()).isTrue();
        assertThat(answer.detail()).contains("no SERVICE token");
    }
}
