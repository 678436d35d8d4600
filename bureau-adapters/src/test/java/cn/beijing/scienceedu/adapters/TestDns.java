package cn.beijing.scienceedu.adapters;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;

import cn.beijing.scienceedu.adapters.outbound.OutboundAddressGuard;

/**
 * Name resolution of the adapters under test: the system's, except for names under {@code .bureau.test},
 * which answer what a test scripted — like a DNS server whose answer changes from one lookup to the next
 * (DNS rebinding). Every lookup of such a name is counted.
 */
public final class TestDns implements OutboundAddressGuard.HostResolver {

    public static final TestDns INSTANCE = new TestDns();

    private final Map<String, Deque<InetAddress[]>> answers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> lookups = new ConcurrentHashMap<>();

    private TestDns() {
    }

    /** The name's answers, one per lookup in turn; the last one stays. */
    public synchronized void answer(String host, String... addressesInTurn) {
        Deque<InetAddress[]> turn = new ArrayDeque<>();
        for (String a : addressesInTurn) {
            try {
                turn.add(new InetAddress[] {InetAddress.getByAddress(host, InetAddress.getByName(a).getAddress())});
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException(a, e);
            }
        }
        answers.put(host, turn);
    }

    public int lookups(String host) {
        return lookups.computeIfAbsent(host, h -> new AtomicInteger()).get();
    }

    @Override
    public synchronized InetAddress[] resolve(String host) throws UnknownHostException {
        if (!host.endsWith(".bureau.test")) {
            return InetAddress.getAllByName(host);
        }
        lookups.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        Deque<InetAddress[]> turn = answers.get(host);
        if (turn == null || turn.isEmpty()) {
            throw new UnknownHostException(host);
        }
        return turn.size() > 1 ? turn.poll() : turn.peek();
    }

    /** Puts it in the adapters' context (the guard takes a resolver bean when there is one). */
    @TestConfiguration(proxyBeanMethods = false)
    public static class Config {
        @Bean
        OutboundAddressGuard.HostResolver testDns() {
            return INSTANCE;
        }
    }
}
