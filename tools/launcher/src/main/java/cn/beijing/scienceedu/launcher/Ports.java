package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

/** Small helpers about local TCP ports. */
public final class Ports {

    private Ports() {
    }

    /** True when nothing listens on {@code port} on this machine (checked by connecting and by binding). */
    public static boolean isFree(int port) {
        if (isOpen("localhost", port, 300)) {
            return false;
        }
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** True when something accepts a TCP connection on host:port within {@code timeoutMillis}. */
    public static boolean isOpen(String host, int port, int timeoutMillis) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), timeoutMillis);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    public static boolean awaitOpen(String host, int port, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (isOpen(host, port, 300)) {
                return true;
            }
            sleep(100);
        }
        return false;
    }

    /** A port nothing listens on right now (for tests and throw-away processes). */
    public static int findFree() {
        try (ServerSocket socket = new ServerSocket(0)) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException("no free local port", e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
