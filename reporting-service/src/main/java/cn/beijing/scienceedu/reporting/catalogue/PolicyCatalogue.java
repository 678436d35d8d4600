package cn.beijing.scienceedu.reporting.catalogue;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Component;
import org.springframework.web.client.RestClient;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.task.client.ApiClient;
import cn.beijing.scienceedu.contracts.task.client.api.CatalogueApi;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * The policy catalogues the reports are laid out by (measures, actions, goals, units, KPIs). The
 * committed catalogue ({@link Catalogues#defaultPolicy()}) is always known; a policy imported later is
 * read once from the task-service ({@code GET /api/v1/policies/{policyId}}, with the caller's token)
 * and kept in {@code policy_catalogue}.
 */
@Component
public class PolicyCatalogue {

    private static final Logger log = LoggerFactory.getLogger(PolicyCatalogue.class);

    private final Map<String, Policy> cache = new ConcurrentHashMap<>();
    private final JdbcClient jdbc;
    private final ReportingProperties properties;
    private final JsonMapper mapper = JsonMapper.builder()
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES).build();

    public PolicyCatalogue(JdbcClient jdbc, ReportingProperties properties) {
        this.jdbc = jdbc;
        this.properties = properties;
        Policy def = Catalogues.defaultPolicy();
        cache.put(def.getId(), def);
    }

    /** The policy, or empty when neither the contracts jar, the database nor the task-service knows it. */
    public Optional<Policy> find(String policyId, String bearerToken) {
        Policy p = cache.get(policyId);
        if (p != null) {
            return Optional.of(p);
        }
        Optional<String> body = jdbc.sql("select body from policy_catalogue where policy_id = :id and body is not null")
                .param("id", policyId).query(String.class).optional();
        if (body.isPresent()) {
            Policy parsed = mapper.readValue(body.get(), Policy.class);
            cache.put(policyId, parsed);
            return Optional.of(parsed);
        }
        if (bearerToken == null) {
            return Optional.empty();
        }
        try {
            ApiClient client = new ApiClient(RestClient.builder()
                    .defaultHeader("Authorization", "Bearer " + bearerToken).build());
            client.setBasePath(properties.taskServiceUrl());
            Object fetched = new CatalogueApi(client).getPolicy(policyId);
            String json = mapper.writeValueAsString(fetched);
            Policy parsed = mapper.readValue(json, Policy.class);
            jdbc.sql("""
                    insert into policy_catalogue (policy_id, title, body, imported_at) values (:id, :title, :body, now())
                    on conflict (policy_id) do update set body = excluded.body""")
                    .param("id", policyId).param("title", parsed.getTitle()).param("body", json).update();
            cache.put(policyId, parsed);
            return Optional.of(parsed);
        } catch (RuntimeException e) {
            log.info("policy {} not readable from the task-service: {}", policyId, e.getMessage());
            return Optional.empty();
        }
    }

    public Policy defaultPolicy() {
        return cache.get(properties.defaultPolicy());
    }
}
