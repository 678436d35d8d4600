package cn.beijing.scienceedu.adapters.registry;

import java.nio.charset.Charset;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.ssrf.AddressPolicy;

/** The configured bureaus, validated at start-up: a bad entry stops the service with its name. */
@Component
public class BureauRegistry {

    private static final Logger log = LoggerFactory.getLogger(BureauRegistry.class);

    private final Map<String, Bureau> bureaus;
    private final BureauProperties properties;

    public BureauRegistry(BureauProperties properties, AddressPolicy addresses) {
        this.properties = properties;
        Map<String, Bureau> map = new LinkedHashMap<>();
        BureauProperties.Entry d = properties.getBureauDefaults();
        List<String> problems = new ArrayList<>();
        properties.getBureaus().forEach((code, e) -> {
            try {
                Bureau b = resolve(code, e, d);
                String ssrf = addressProblem(b, addresses);
                if (ssrf != null) {
                    throw new IllegalArgumentException(ssrf);
                }
                map.put(code, b);
            } catch (RuntimeException ex) {
                problems.add(code + ": " + ex.getMessage());
            }
        });
        if (!problems.isEmpty()) {
            throw new IllegalStateException("bureau registry invalid: " + problems);
        }
        this.bureaus = Collections.unmodifiableMap(map);
        log.info("bureau registry: {} bureaus {}", bureaus.size(), bureaus.keySet());
    }

    /** An endpoint into the hub's own network (SSRF) stops start-up like any other bad entry. */
    private static String addressProblem(Bureau b, AddressPolicy addresses) {
        List<String> urls = new ArrayList<>();
        if (b.protocol() == Protocol.REST || b.protocol() == Protocol.SOAP || b.protocol() == Protocol.SFTP) {
            urls.add(b.endpoint());
        }
        if (b.statusEndpoint() != null && !b.statusEndpoint().isBlank()) {
            urls.add(b.statusEndpoint());
        }
        for (String url : urls) {
            String p = addresses.literalProblem(url);
            if (p != null) {
                return p;
            }
        }
        return null;
    }

    private static Bureau resolve(String code, BureauProperties.Entry e, BureauProperties.Entry d) {
        if (!code.matches("[A-Z][A-Z0-9_]{0,31}")) {
            throw new IllegalArgumentException("unit code must be upper-case letters/digits");
        }
        Protocol protocol = pick(e, d, BureauProperties.Entry::getProtocol, "protocol");
        String endpoint = pick(e, d, BureauProperties.Entry::getEndpoint, protocol == Protocol.AMQP ? null : "endpoint");
        String format = pick(e, d, BureauProperties.Entry::getMappingFormat, "mappingFormat");
        if (!List.of("hub-json", "json-map", "xslt", "csv").contains(format)) {
            throw new IllegalArgumentException("mappingFormat must be hub-json, json-map, xslt or csv: " + format);
        }
        String file = e.getMappingFile();
        if (!"hub-json".equals(format) && (file == null || file.isBlank())) {
            throw new IllegalArgumentException("mappingFormat " + format + " needs mappingFile");
        }
        Charset charset = Charset.forName(Optional.ofNullable(pick(e, d, BureauProperties.Entry::getCharset, null)).orElse("UTF-8"));
        return new Bureau(code, Optional.ofNullable(e.getName()).orElse(code), e.getFullName(), protocol, endpoint,
                e.getStatusEndpoint(), new Bureau.Mapping(format, file), charset,
                pick(e, d, BureauProperties.Entry::getCredentialsRef, null),
                new Bureau.Schedule(orDefault(pick(e, d, BureauProperties.Entry::getPollInterval, null), Duration.ofSeconds(5))),
                new Bureau.Timeouts(orDefault(pick(e, d, BureauProperties.Entry::getConnectTimeout, null), Duration.ofSeconds(2)),
                        orDefault(pick(e, d, BureauProperties.Entry::getReadTimeout, null), Duration.ofSeconds(10))),
                new Bureau.Retry(orDefault(pick(e, d, BureauProperties.Entry::getMaxRedeliveries, null), 3),
                        orDefault(pick(e, d, BureauProperties.Entry::getInitialDelay, null), Duration.ofMillis(500)),
                        orDefault(pick(e, d, BureauProperties.Entry::getMultiplier, null), 2.0),
                        orDefault(pick(e, d, BureauProperties.Entry::getMaxDelay, null), Duration.ofMinutes(5)),
                        orDefault(pick(e, d, BureauProperties.Entry::getJitter, null), 0.25),
                        orDefault(pick(e, d, BureauProperties.Entry::getBreakerOpenFor, null), Duration.ofSeconds(30))));
    }

    private static <T> T pick(BureauProperties.Entry e, BureauProperties.Entry d, Function<BureauProperties.Entry, T> f,
            String required) {
        T v = f.apply(e);
        if (v == null) {
            v = f.apply(d);
        }
        if (v == null && required != null) {
            throw new IllegalArgumentException(required + " is required");
        }
        return v;
    }

    private static <T> T orDefault(T v, T fallback) {
        return v == null ? fallback : v;
    }

    public Optional<Bureau> find(String unitCode) {
        return Optional.ofNullable(bureaus.get(unitCode));
    }

    public Bureau require(String unitCode) {
        Bureau b = bureaus.get(unitCode);
        if (b == null) {
            throw new UnknownBureauException(unitCode);
        }
        return b;
    }

    public List<Bureau> all() {
        return List.copyOf(bureaus.values());
    }

    public List<Bureau> byProtocol(Protocol protocol) {
        return bureaus.values().stream().filter(b -> b.protocol() == protocol).toList();
    }

    public BureauProperties.Credentials credentials(Bureau bureau) {
        if (bureau.credentialsRef() == null) {
            return new BureauProperties.Credentials();
        }
        BureauProperties.Credentials c = properties.getCredentials().get(bureau.credentialsRef());
        return c == null ? new BureauProperties.Credentials() : c;
    }

    /** A unit code that no bureau entry configures. */
    public static class UnknownBureauException extends RuntimeException {
        public UnknownBureauException(String unit) {
            super("no bureau configured for unit " + unit);
        }
    }
}
