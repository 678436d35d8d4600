package cn.beijing.scienceedu.platform.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ByteArrayResource;

class RsaPublicKeysTest {

    @Test
    void readsAPemPublicKey() {
        assertThat(RsaPublicKeys.read(HubJwtDecodersTest.pem(HubJwtDecodersTest.KEYS)))
                .isEqualTo(HubJwtDecodersTest.KEYS.getPublic());
    }

    @Test
    void somethingElseIsAClearError() {
        assertThatThrownBy(() -> RsaPublicKeys.read(new ByteArrayResource("not a key".getBytes())))
                .isInstanceOf(IllegalStateException.class);
    }
}
