package cn.beijing.scienceedu.gateway.ratelimit;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;

/** Buckets in this process: the local run, and the fallback while Redis cannot be reached. */
class LocalBuckets implements Buckets {

    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    @Override
    public CompletableFuture<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration) {
        Bucket bucket = buckets.computeIfAbsent(key, k -> {
            var builder = Bucket.builder();
            for (var bandwidth : configuration.getBandwidths()) {
                builder.addLimit(bandwidth);
            }
            return builder.build();
        });
        return CompletableFuture.completedFuture(bucket.tryConsumeAndReturnRemaining(1));
    }
}
