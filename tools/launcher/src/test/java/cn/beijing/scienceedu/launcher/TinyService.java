package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import com.sun.net.httpserver.HttpServer;

/**
 * A trivial child process for the harness tests: serves /actuator/health/readiness (503 for the first
 * {@code readyAfterMillis}, then 200) and writes "stopped cleanly" to {@code marker} when it gets SIGTERM.
 * Arguments: port readyAfterMillis marker [exitAfterMillis]
 */
public final class TinyService {

    public static void main(String[] args) throws Exception {
        int port = Integer.parseInt(args[0]);
        long readyAt = System.currentTimeMillis() + Long.parseLong(args[1]);
        Path marker = Path.of(args[2]);
        if (args.length > 3) {
            Thread.sleep(Long.parseLong(args[3]));
            System.out.println("tiny service giving up on purpose");
            System.exit(3);
        }
        HttpServer server = HttpServer.create(new InetSocketAddress("localhost", port), 0);
        server.createContext("/actuator/health/readiness", exchange -> {
            boolean ready = System.currentTimeMillis() >= readyAt;
            byte[] body = (ready ? "{\"status\":\"UP\"}" : "{\"status\":\"OUT_OF_SERVICE\"}").getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(ready ? 200 : 503, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        System.out.println("tiny service listening on " + port + ", env HUB_MARK=" + System.getenv("HUB_MARK"));
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.stop(0);
            try {
                Files.writeString(marker, "stopped cleanly");
            } catch (IOException e) {
                // nothing
            }
        }));
        Thread.currentThread().join();
    }
}
