package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.util.List;

/** Says whether a started process is ready to serve. */
@FunctionalInterface
public interface ReadinessProbe {

    boolean isReady();

    /** Ready when GET {@code url} answers 2xx. */
    static ReadinessProbe http(URI url) {
        return () -> status(url) / 100 == 2;
    }

    /**
     * For Spring Boot services: ready when the first of {@code urls} that exists (is not 404) answers 2xx,
     * e.g. {@code /actuator/health/readiness}, then {@code /actuator/health}. When every one of them is
     * 404 the process answers HTTP but has no actuator: it counts as ready.
     */
    static ReadinessProbe firstExisting(List<URI> urls) {
        return () -> {
            for (URI url : urls) {
                int status = status(url);
                if (status == -1) {
                    return false; // not listening yet
                }
                if (status != 404) {
                    return status / 100 == 2;
                }
            }
            return true;
        };
    }

    /** Ready when something accepts TCP connections on localhost:{@code port}. */
    static ReadinessProbe tcp(int port) {
        return () -> Ports.isOpen("localhost", port, 300);
    }

    /** The HTTP status of GET url, or -1 when nothing answers. */
    static int status(URI url) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) url.toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(3000);
            connection.setInstanceFollowRedirects(false);
            connection.setRequestProperty("Accept", "application/json, */*");
            return connection.getResponseCode();
        } catch (IOException e) {
            return -1;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
