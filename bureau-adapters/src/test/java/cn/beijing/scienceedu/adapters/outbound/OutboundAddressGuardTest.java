package cn.beijing.scienceedu.adapters.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.adapters.registry.BureauProperties;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;

/** Outbound SSRF guard: internal addresses refused at registry load and, after DNS resolution, at send time. */
class OutboundAddressGuardTest {

    private final OutboundAddressGuard strict = new OutboundAddressGuard(List.of());
    private final OutboundAddressGuard loopbackAllowed = new OutboundAddressGuard(List.of("127.0.0.0/8", "::1/128"));

    @Test
    void internalAddressesAreRefusedUnlessAllowListed() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8090/api",
                "http://10.1.2.3/api", "http://172.16.0.9/api", "http://192.168.1.1/api", "http://100.64.0.1/api",
                "http://0.0.0.0:8080/", "http://[::1]:8080/", "http://[fd00:ec2::254]/", "http://[fe80::1]/",
                "sftp://10.0.0.5:22/exchange", "http://[::ffff:169.254.169.254]/")) {
            assertThat(strict.literalProblem(url)).as(url).contains("forbidden address");
        }
        assertThat(strict.literalProblem("http://169.254.169.254/latest")).contains("link-local");
        assertThat(loopbackAllowed.literalProblem("http://127.0.0.1:8090/api")).isNull();
        assertThat(loopbackAllowed.literalProblem("http://169.254.169.254/")).contains("forbidden");
        assertThat(strict.literalProblem("https://203.0.113.10/api")).isNull();
        // names are judged when they are resolved, at send time
        assertThat(strict.literalProblem("https://sjw.example.gov.cn/api")).isNull();
    }

    @Test
    void aNameThatResolvesToAnInternalAddressIsRefusedAtSendTime() {
        assertThatThrownBy(() -> strict.checkBeforeSend("SJW", "http://localhost:8090/sim/rest/SJW"))
                .isInstanceOf(OutboundAddressGuard.ForbiddenAddressException.class)
                .isInstanceOf(PermanentDeliveryException.class)
                .hasMessageContaining("SJW").hasMessageContaining("resolves to forbidden address 127.0.0.1")
                .hasMessageContaining("loopback");
        loopbackAllowed.checkBeforeSend("SJW", "http://localhost:8090/sim/rest/SJW");
    }

    @Test
    void theRegistryRefusesToLoadABureauPointedAtTheMetadataAddress() {
        BureauProperties props = new BureauProperties();
        BureauProperties.Entry e = new BureauProperties.Entry();
        e.setProtocol(Protocol.REST);
        e.setEndpoint("http://169.254.169.254/latest/meta-data");
        e.setMappingFormat("hub-json");
        BureauProperties.Entry status = new BureauProperties.Entry();
        status.setProtocol(Protocol.REST);
        status.setEndpoint("https://203.0.113.10/api");
        status.setStatusEndpoint("http://10.0.0.7/status");
        status.setMappingFormat("hub-json");
        props.setBureaus(new java.util.LinkedHashMap<>(Map.of("EVIL", e, "SNEAKY", status)));
        assertThatThrownBy(() -> new BureauRegistry(props, loopbackAllowed))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EVIL: endpoint http://169.254.169.254/latest/meta-data: forbidden address 169.254.169.254")
                .hasMessageContaining("SNEAKY: endpoint http://10.0.0.7/status: forbidden address 10.0.0.7");
    }
}
