package cn.beijing.scienceedu.systemtests;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import cn.beijing.scienceedu.launcher.ManagedProcess;

/** Log and process checks shared by the suites: what a log gained during shutdown, resident memory. */
final class HubLogs {

    private HubLogs() {
    }

    static long size(Path file) {
        try {
            return Files.exists(file) ? Files.size(file) : 0;
        } catch (IOException e) {
            return 0;
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.UTF_8) : "";
        } catch (IOException e) {
            return "";
        }
    }

    /** The text a log gained after {@code offset} bytes. */
    static String since(Path file, long offset) {
        try {
            if (!Files.exists(file)) {
                return "";
            }
            byte[] all = Files.readAllBytes(file);
            int from = (int) Math.min(offset, all.length);
            return new String(all, from, all.length - from, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "";
        }
    }

    /** Lines of a stack trace ({@code at …} frames, {@code Caused by:}, exceptions logged at ERROR) in some log text. */
    static List<String> stackTraceLines(String text) {
        List<String> found = new ArrayList<>();
        for (String line : text.split("\n")) {
            String t = line.strip();
            if (t.startsWith("at ") && t.contains("(") || t.startsWith("Caused by:") || line.contains(" ERROR ")
                    || t.startsWith("Exception in thread")) {
                found.add(line);
            }
        }
        return found;
    }

    /** Resident memory of a process and all its descendants, in KiB. */
    static long residentKiBWithDescendants(long pid) {
        long sum = ManagedProcess.residentKiB(pid).orElse(0);
        for (ProcessHandle child : ProcessHandle.of(pid).map(p -> p.descendants().toList()).orElse(List.of())) {
            OptionalLong rss = ManagedProcess.residentKiB(child.pid());
            sum += rss.orElse(0);
        }
        return sum;
    }

    static Map<String, Long> residentKiB(List<ManagedProcess> processes) {
        Map<String, Long> out = new LinkedHashMap<>();
        for (ManagedProcess p : processes) {
            out.put(p.name(), residentKiBWithDescendants(p.pid()));
        }
        return out;
    }
}
