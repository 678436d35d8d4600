package cn.beijing.scienceedu.adapters.outbound;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.adapters.registry.BureauProperties;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;
import cn.beijing.scienceedu.adapters.registry.Protocol;
import cn.beijing.scienceedu.adapters.ssrf.AddressPolicy;

/**
 * Outbound SSRF guard: internal addresses refused at registry load, after DNS resolution at send time, and in
 * the connection itself (one lookup, checked, and only its addresses connected to: no DNS rebinding).
 */
class OutboundAddressGuardTest {

    private final OutboundAddressGuard strict = new OutboundAddressGuard(List.of());
    private final OutboundAddressGuard loopbackAllowed = new OutboundAddressGuard(List.of("127.0.0.0/8", "::1/128"));
    /** What the registry checks at load: the policy alone (IP literals). */
    private final AddressPolicy strictPolicy = new AddressPolicy(List.of());
    private final AddressPolicy loopbackAllowedPolicy = new AddressPolicy(List.of("127.0.0.0/8", "::1/128"));

    @Test
    void internalAddressesAreRefusedUnlessAllowListed() {
        for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://127.0.0.1:8090/api",
                "http://10.1.2.3/api", "http://172.16.0.9/api", "http://192.168.1.1/api", "http://100.64.0.1/api",
                "http://0.0.0.0:8080/", "http://[::1]:8080/", "http://[fd00:ec2::254]/", "http://[fe80::1]/",
                "sftp://10.0.0.5:22/exchange", "http://[::ffff:169.254.169.254]/")) {
            assertThat(strictPolicy.literalProblem(url)).as(url).contains("forbidden address");
        }
        assertThat(strictPolicy.literalProblem("http://169.254.169.254/latest")).contains("link-local");
        assertThat(loopbackAllowedPolicy.literalProblem("http://127.0.0.1:8090/api")).isNull();
        assertThat(loopbackAllowedPolicy.literalProblem("http://169.254.169.254/")).contains("forbidden");
        assertThat(strictPolicy.literalProblem("https://203.0.113.10/api")).isNull();
        // names are judged when they are resolved, at send time
        assertThat(strictPolicy.literalProblem("https://sjw.example.gov.cn/api")).isNull();
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
        assertThatThrownBy(() -> new BureauRegistry(props, loopbackAllowedPolicy))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("EVIL: endpoint http://169.254.169.254/latest/meta-data: forbidden address 169.254.169.254")
                .hasMessageContaining("SNEAKY: endpoint http://10.0.0.7/status: forbidden address 10.0.0.7");
    }

    /** A name whose first answer is allowed and every later one internal (DNS rebinding). */
    private static OutboundAddressGuard.HostResolver rebinding(AtomicInteger lookups) {
        return host -> {
            int n = lookups.incrementAndGet();
            return new InetAddress[] {InetAddress.getByAddress(host, n == 1 ? new byte[] {127, 0, 0, 1} : new byte[] {127, 0, 0, 2})};
        };
    }

    @Test
    void theResolverUsedToConnectChecksItsOwnAnswer() throws Exception {
        AtomicInteger lookups = new AtomicInteger();
        OutboundAddressGuard guard = new OutboundAddressGuard(List.of("127.0.0.1/32"), rebinding(lookups));
        guard.checkBeforeSend("NNJ", "sftp://sftp.bureau.test:2222/exchange");
        assertThatThrownBy(() -> guard.dnsResolver().resolve("sftp.bureau.test"))
                .isInstanceOf(OutboundAddressGuard.ForbiddenAddressException.class)
                .hasMessageContaining("host sftp.bureau.test resolves to forbidden address 127.0.0.2 (loopback")
                .hasMessageContaining("refused before connecting");
        assertThat(lookups).hasValue(2);
    }

    @Test
    void anSftpConnectionGoesOnlyToTheAddressTheGuardChecked() throws Exception {
        try (Listener allowed = new Listener("127.0.0.1", 0); Listener internal = new Listener("127.0.0.2", allowed.port())) {
            AtomicInteger lookups = new AtomicInteger();
            GuardedSftpConnection connection = new GuardedSftpConnection(
                    new OutboundAddressGuard(List.of("127.0.0.1/32"), rebinding(lookups)));
            // first lookup: the allowed address — connected there, by the name
            connection.connect(null, "sftp.bureau.test", allowed.port(), 2000);
            assertThat(connection.getSocket().getInetAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(connection.getInputStream()).isNotNull();
            assertThat(connection.getOutputStream()).isNotNull();
            connection.getSocket().close();
            // the same name now answers an internal address: refused, and nothing reaches it
            assertThatThrownBy(() -> connection.connect(null, "sftp.bureau.test", internal.port(), 2000))
                    .isInstanceOf(OutboundAddressGuard.ForbiddenAddressException.class)
                    .hasMessageContaining("forbidden address 127.0.0.2");
            org.awaitility.Awaitility.await().until(() -> allowed.accepted.size() == 1);
            Thread.sleep(200); // a connection to the internal address, had one been opened, is accepted by now
            assertThat(internal.accepted).isEmpty();
            assertThat(lookups).hasValue(2);
        }
    }

    /** A real listener recording each connection made to it. */
    static final class Listener implements AutoCloseable {
        final List<String> accepted = new CopyOnWriteArrayList<>();
        private final ServerSocket server;

        Listener(String address, int port) throws IOException {
            server = new ServerSocket();
            server.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            Thread t = new Thread(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        accepted.add(String.valueOf(s.getRemoteSocketAddress()));
                    } catch (IOException e) {
                        // closed
                    }
                }
            });
            t.setDaemon(true);
            t.start();
        }

        int port() {
            return server.getLocalPort();
        }

        @Override
        public void close() throws IOException {
            server.close();
        }
    }
}
