package cn.beijing.scienceedu.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** External tools (wrk, pgbench, PerfTest, rabbitmqctl) and a small HTTP helper. */
final class Tools {

    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Tools() {
    }

    /** Runs a command, returns stdout+stderr; fails on a non-zero exit unless {@code check} is false. */
    static String run(List<String> command, Duration timeout, boolean check) {
        return run(command, Map.of(), timeout, check);
    }

    static String run(List<String> command, Map<String, String> env, Duration timeout, boolean check) {
        try {
            ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
            pb.environment().putAll(env);
            Process p = pb.start();
            byte[][] out = new byte[1][];
            Thread reader = new Thread(() -> {
                try {
                    out[0] = p.getInputStream().readAllBytes();
                } catch (IOException e) {
                    out[0] = new byte[0];
                }
            });
            reader.start();
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                p.destroyForcibly();
                p.waitFor(5, TimeUnit.SECONDS);
                reader.join(5000);
                throw new IllegalStateException("timed out after " + timeout + ": " + String.join(" ", command));
            }
            reader.join(10000);
            String text = out[0] == null ? "" : new String(out[0], StandardCharsets.UTF_8);
            if (check && p.exitValue() != 0) {
                throw new IllegalStateException("exit " + p.exitValue() + ": " + String.join(" ", command) + "\n" + tail(text, 2000));
            }
            return text;
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String tail(String s, int n) {
        return s.length() <= n ? s : s.substring(s.length() - n);
    }

    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(":")) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    // ---- wrk -------------------------------------------------------------------------------------------

    record WrkResult(double rps, double p99Ms, double p50Ms, long requests, long non2xx, long socketErrors) {
        double goodRps(double seconds) {
            return (requests - non2xx) / seconds;
        }
    }

    static WrkResult wrk(String url, Path script, int threads, int connections, int seconds) {
        List<String> cmd = new ArrayList<>(List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s",
                "--timeout", "10s", "--latency"));
        if (script != null) {
            cmd.add("-s");
            cmd.add(script.toString());
        }
        cmd.add(url);
        String out = run(cmd, Duration.ofSeconds(seconds + 60), true);
        double rps = number(out, "Requests/sec:\\s+([0-9.]+)");
        long requests = (long) number(out, "([0-9]+) requests in");
        double non2xx = numberOr(out, "Non-2xx or 3xx responses:\\s+([0-9]+)", 0);
        Matcher se = Pattern.compile("Socket errors: connect (\\d+), read (\\d+), write (\\d+), timeout (\\d+)").matcher(out);
        long socketErrors = se.find() ? Long.parseLong(se.group(1)) + Long.parseLong(se.group(2))
                + Long.parseLong(se.group(3)) + Long.parseLong(se.group(4)) : 0;
        return new WrkResult(rps, latencyMs(out, "99%"), latencyMs(out, "50%"), requests, (long) non2xx, socketErrors);
    }

    private static double latencyMs(String out, String pct) {
        Matcher m = Pattern.compile("\\s" + Pattern.quote(pct) + "\\s+([0-9.]+)(us|ms|s)").matcher(out);
        if (!m.find()) {
            return Double.NaN;
        }
        double v = Double.parseDouble(m.group(1));
        return switch (m.group(2)) {
            case "us" -> v / 1000;
            case "s" -> v * 1000;
            default -> v;
        };
    }

    static double number(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        if (!m.find()) {
            throw new IllegalStateException("no /" + regex + "/ in output:\n" + tail(text, 3000));
        }
        return Double.parseDouble(m.group(1));
    }

    static double numberOr(String text, String regex, double fallback) {
        Matcher m = Pattern.compile(regex).matcher(text);
        return m.find() ? Double.parseDouble(m.group(1)) : fallback;
    }

    // ---- HTTP --------------------------------------------------------------------------------------------

    static HttpResponse<String> send(String method, String url, String token, String body, Map<String, String> headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        headers.forEach(b::header);
        if (body != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        try {
            return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    static String expect(int status, HttpResponse<String> r) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(r.request().method() + " " + r.uri() + " answered " + r.statusCode()
                    + " (expected " + status + "): " + tail(r.body(), 600));
        }
        return r.body();
    }

    static double median(List<Double> values) {
        List<Double> v = values.stream().filter(d -> !Double.isNaN(d)).sorted().toList();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        int n = v.size();
        return n % 2 == 1 ? v.get(n / 2) : (v.get(n / 2 - 1) + v.get(n / 2)) / 2;
    }

    static double percentile(List<Double> values, double p) {
        List<Double> v = values.stream().sorted().toList();
        if (v.isEmpty()) {
            return Double.NaN;
        }
        int idx = (int) Math.ceil(p / 100.0 * v.size()) - 1;
        return v.get(Math.max(0, Math.min(v.size() - 1, idx)));
    }
}
