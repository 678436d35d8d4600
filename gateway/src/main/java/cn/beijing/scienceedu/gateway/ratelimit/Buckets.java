package cn.beijing.scienceedu.gateway.ratelimit;

import java.util.concurrent.CompletableFuture;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Where token buckets live: in this process, or in Redis shared by every gateway replica. */
interface Buckets {

    CompletableFuture<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration);

    static BucketConfiguration configuration(RateLimitProperties.Limit limit) {
        return BucketConfiguration.builder()
                .addLimit(l -> l.capacity(limit.getCapacity()).refillGreedy(limit.getCapacity(), limit.getPeriod()))
                .build();
    }
}
