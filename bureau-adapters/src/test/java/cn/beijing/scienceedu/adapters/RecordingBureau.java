package cn.beijing.scienceedu.adapters;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import com.sun.net.httpserver.HttpServer;

/**
 * A REST bureau on 127.0.0.1 (allowed in the tests) and, on the same port of 127.0.0.2 (loopback, not
 * allowed), a listener that records every connection made to it: what the hub must never reach.
 */
public final class RecordingBureau {

    public static final RecordingBureau INSTANCE = start();

    private final HttpServer bureau;
    private final ServerSocket internal;
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final List<String> internalConnections = new CopyOnWriteArrayList<>();

    private RecordingBureau(HttpServer bureau, ServerSocket internal) {
        this.bureau = bureau;
        this.internal = internal;
        bureau.createContext("/rest/tasks", exchange -> {
            received.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            byte[] ack = "{\"accepted\":true,\"bureauReference\":\"REBIND-1\"}".getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            // no pooled connection: every send opens (and resolves) anew
            exchange.getResponseHeaders().add("Connection", "close");
            exchange.sendResponseHeaders(200, ack.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(ack);
            }
        });
        bureau.start();
        Thread accept = new Thread(() -> {
            while (!internal.isClosed()) {
                try (Socket s = internal.accept()) {
                    internalConnections.add(String.valueOf(s.getRemoteSocketAddress()));
                } catch (IOException e) {
                    // closed
                }
            }
        }, "internal-listener");
        accept.setDaemon(true);
        accept.start();
    }

    private static RecordingBureau start() {
        for (int attempt = 0; ; attempt++) {
            HttpServer http = null;
            try {
                http = HttpServer.create(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 0);
                int port = http.getAddress().getPort();
                ServerSocket internal = new ServerSocket();
                internal.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.2"), port));
                return new RecordingBureau(http, internal);
            } catch (IOException e) {
                if (http != null) {
                    http.stop(0);
                }
                if (attempt > 20) {
                    throw new IllegalStateException("no port free on both 127.0.0.1 and 127.0.0.2", e);
                }
            }
        }
    }

    public int port() {
        return bureau.getAddress().getPort();
    }

    /** Bodies the bureau (127.0.0.1) received. */
    public List<String> received() {
        return received;
    }

    /** Connections made to the internal address (127.0.0.2). */
    public List<String> internalConnections() {
        return internalConnections;
    }
}
