package cn.beijing.scienceedu.gateway.ratelimit;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.AsyncBucketProxy;
import io.github.bucket4j.distributed.proxy.AsyncProxyManager;
import io.github.bucket4j.distributed.proxy.RemoteAsyncBucketBuilder;
import io.github.bucket4j.distributed.proxy.optimization.DelayParameters;
import io.github.bucket4j.distributed.proxy.optimization.Optimizations;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.ClientOptions;
import io.lettuce.core.RedisClient;
import io.lettuce.core.RedisURI;
import io.lettuce.core.SocketOptions;
import io.lettuce.core.TimeoutOptions;
import io.lettuce.core.api.StatefulRedisConnection;
import io.lettuce.core.codec.ByteArrayCodec;
import io.lettuce.core.codec.RedisCodec;
import io.lettuce.core.codec.StringCodec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;

/**
 * Buckets in Redis (Bucket4j, compare-and-swap over Lettuce), so every gateway replica counts against the same
 * limit. Connects on first use; while Redis cannot be reached (or answers slower than 500 ms) the gateway counts in
 * memory instead (limits then hold per replica) rather than refusing or stalling traffic.
 *
 * <p>Round trips: a compare-and-swap costs two Redis round trips, and each hands the request to another thread; on
 * a busy machine those hand-offs were a large share of the gateway's latency (bench P1). For a large limit a replica
 * may therefore count up to {@code unsynchronized-share} of the capacity locally before it writes the sum to Redis
 * (Bucket4j's delaying optimization; also at the latest after {@code max-unsynchronized-time}). Small limits, such as a
 * bureau's 20/s, where that share is under one request, stay exact: every request is counted in Redis.
 */
class RedisBuckets implements Buckets, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(RedisBuckets.class);
    private static final long RETRY_NANOS = Duration.ofSeconds(5).toNanos();

    private final String url;
    private final String prefix;
    private static final int MAX_BUCKETS = 10_000;

    private final long unsynchronizedShareMillionths;
    private final Duration maxUnsynchronizedTime;
    private final LocalBuckets fallback = new LocalBuckets();
    /** One proxy per bucket key, so a bucket's unsynchronized local count survives between requests. */
    private final ConcurrentHashMap<String, AsyncBucketProxy> proxies = new ConcurrentHashMap<>();
    private final AtomicLong nextAttempt = new AtomicLong();
    private volatile RedisClient client;
    private volatile StatefulRedisConnection<String, byte[]> connection;
    private volatile AsyncProxyManager<String> buckets;

    RedisBuckets(String url, String prefix, double unsynchronizedShare, Duration maxUnsynchronizedTime) {
        this.url = url;
        this.prefix = prefix;
        this.unsynchronizedShareMillionths = Math.round(unsynchronizedShare * 1_000_000);
        this.maxUnsynchronizedTime = maxUnsynchronizedTime;
        nextAttempt.set(System.nanoTime() + RETRY_NANOS);
        connect(); // at startup, asynchronously: traffic is counted in Redis from the first request on
    }

    @Override
    public CompletableFuture<ConsumptionProbe> tryConsume(String key, BucketConfiguration configuration) {
        AsyncProxyManager<String> manager = manager();
        if (manager == null) {
            return fallback.tryConsume(key, configuration);
        }
        AsyncBucketProxy bucket = proxies.get(key);
        if (bucket == null) {
            if (proxies.size() >= MAX_BUCKETS) {
                proxies.clear();
            }
            bucket = proxies.computeIfAbsent(key, k -> proxy(manager, k, configuration));
        }
        return bucket.tryConsumeAndReturnRemaining(1)
                .exceptionallyCompose(e -> {
                    log.warn("Redis rate-limit store failed ({}); counting in memory for now", e.toString());
                    return fallback.tryConsume(key, configuration);
                });
    }

    private AsyncBucketProxy proxy(AsyncProxyManager<String> manager, String key, BucketConfiguration configuration) {
        long capacity = configuration.getBandwidths()[0].getCapacity();
        long unsynchronized = capacity * unsynchronizedShareMillionths / 1_000_000;
        RemoteAsyncBucketBuilder<String> builder = manager.builder();
        if (unsynchronized >= 1) {
            builder = builder.withOptimization(Optimizations.delaying(new DelayParameters(unsynchronized, maxUnsynchronizedTime)));
        }
        return builder.build(prefix + key, () -> CompletableFuture.completedFuture(configuration));
    }

    /**
     * The Redis-backed manager, or null while there is none yet. Connecting never blocks a request thread: the
     * first request starts an asynchronous connect (again at most every 5 s while it fails) and is counted in
     * memory meanwhile.
     */
    private AsyncProxyManager<String> manager() {
        AsyncProxyManager<String> current = buckets;
        if (current != null) {
            return current;
        }
        long now = System.nanoTime();
        long next = nextAttempt.get();
        if (now - next >= 0 && nextAttempt.compareAndSet(next, now + RETRY_NANOS)) {
            connect();
        }
        return null;
    }

    private synchronized void connect() {
        if (client == null) {
            client = RedisClient.create();
            client.setOptions(ClientOptions.builder()
                    .socketOptions(SocketOptions.builder().connectTimeout(Duration.ofSeconds(2)).build())
                    // while Redis is away, fail at once (and count in memory) rather than queue and wait
                    .disconnectedBehavior(ClientOptions.DisconnectedBehavior.REJECT_COMMANDS)
                    .timeoutOptions(TimeoutOptions.enabled(Duration.ofMillis(500)))
                    .build());
        }
        client.connectAsync(RedisCodec.of(StringCodec.UTF8, ByteArrayCodec.INSTANCE), RedisURI.create(url))
                .whenComplete((connected, error) -> {
                    if (error != null) {
                        log.warn("Redis for rate limits unreachable ({}); counting in memory, retrying in 5s", error.toString());
                        return;
                    }
                    connection = connected;
                    buckets = Bucket4jLettuce.casBasedBuilder(connected)
                            .expirationAfterWrite(ExpirationAfterWriteStrategy.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(30)))
                            .build()
                            .asAsync();
                    log.info("rate limits shared through Redis at {}", url.replaceAll("//[^@]*@", "//***@"));
                });
    }

    @Override
    public void destroy() {
        if (connection != null) {
            connection.close();
        }
        if (client != null) {
            client.shutdown();
        }
    }
}
