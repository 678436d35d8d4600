package cn.beijing.scienceedu.bench;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One scenario's outcome: the hub's figure, the reference measured in the same run, their ratio, the
 * target and whether it was met. A scenario that could not run says why in {@code status} and carries no
 * figures (never invented ones).
 */
final class Result {

    final String id;
    final String title;
    String status = "ran";          // "ran", or "not run: <why>", or "failed: <why>"
    String hub = "";                // e.g. "1234 req/s"
    String reference = "";          // e.g. "5678 req/s"
    Double hubValue;                // the headline numbers (null when not run)
    Double referenceValue;
    Double ratio;
    String target = "";
    Boolean pass;                   // null = no verdict (not run / interim)
    String note = "";
    final Map<String, Object> figures = new LinkedHashMap<>();

    Result(String id, String title, String target) {
        this.id = id;
        this.title = title;
        this.target = target;
    }

    boolean ran() {
        return "ran".equals(status);
    }

    static String f(double v) {
        if (Double.isNaN(v)) {
            return "n/a";
        }
        if (Math.abs(v) >= 100) {
            return String.format(Locale.ROOT, "%.0f", v);
        }
        if (Math.abs(v) >= 10) {
            return String.format(Locale.ROOT, "%.1f", v);
        }
        return String.format(Locale.ROOT, "%.2f", v);
    }

    static String table(List<Result> results) {
        String[] head = {"id", "scenario", "hub", "reference", "ratio", "target", "verdict"};
        List<String[]> rows = new java.util.ArrayList<>();
        rows.add(head);
        for (Result r : results) {
            String verdict = !r.ran() ? r.status : r.pass == null ? "no verdict" : r.pass ? "PASS" : "MISS";
            rows.add(new String[] {r.id, r.title, r.hub, r.reference, r.ratio == null ? "" : f(r.ratio), r.target, verdict});
        }
        int[] w = new int[head.length];
        for (String[] row : rows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = Math.max(w[i], Math.min(60, width(row[i])));
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int n = 0; n < rows.size(); n++) {
            String[] row = rows.get(n);
            sb.append("| ");
            for (int i = 0; i < w.length; i++) {
                sb.append(row[i]).append(" ".repeat(Math.max(0, w[i] - width(row[i])))).append(" | ");
            }
            sb.setLength(sb.length() - 1);
            sb.append('\n');
            if (n == 0) {
                sb.append('|');
                for (int x : w) {
                    sb.append("-".repeat(x + 2)).append('|');
                }
                sb.append('\n');
            }
        }
        for (Result r : results) {
            if (!r.note.isBlank()) {
                sb.append(r.id).append(": ").append(r.note).append('\n');
            }
        }
        return sb.toString();
    }

    /** Display width: CJK characters take two columns. */
    private static int width(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); i++) {
            w += s.charAt(i) >= 0x2E80 ? 2 : 1;
        }
        return w;
    }

    String json() {
        StringBuilder sb = new StringBuilder("{");
        field(sb, "id", id).append(',');
        field(sb, "scenario", title).append(',');
        field(sb, "status", status).append(',');
        field(sb, "hub", hub).append(',');
        field(sb, "reference", reference).append(',');
        sb.append("\"hubValue\":").append(num(hubValue)).append(',');
        sb.append("\"referenceValue\":").append(num(referenceValue)).append(',');
        sb.append("\"ratio\":").append(num(ratio)).append(',');
        field(sb, "target", target).append(',');
        sb.append("\"pass\":").append(pass == null ? "null" : pass.toString()).append(',');
        field(sb, "note", note).append(',');
        sb.append("\"figures\":{");
        boolean first = true;
        for (Map.Entry<String, Object> e : figures.entrySet()) {
            if (!first) {
                sb.append(',');
            }
            first = false;
            sb.append(quote(e.getKey())).append(':').append(value(e.getValue()));
        }
        return sb.append("}}").toString();
    }

    private static String value(Object v) {
        if (v instanceof Number n) {
            return num(n.doubleValue());
        }
        if (v instanceof List<?> list) {
            StringBuilder sb = new StringBuilder("[");
            for (int i = 0; i < list.size(); i++) {
                if (i > 0) {
                    sb.append(',');
                }
                sb.append(value(list.get(i)));
            }
            return sb.append(']').toString();
        }
        return v == null ? "null" : quote(v.toString());
    }

    private static String num(Double d) {
        return d == null || d.isNaN() || d.isInfinite() ? "null" : String.format(Locale.ROOT, "%.4f", d);
    }

    private static StringBuilder field(StringBuilder sb, String k, String v) {
        return sb.append(quote(k)).append(':').append(quote(v));
    }

    static String quote(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                default -> {
                    if (c < 0x20) {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
