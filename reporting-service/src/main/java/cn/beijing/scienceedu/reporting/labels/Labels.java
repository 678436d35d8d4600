package cn.beijing.scienceedu.reporting.labels;

import java.util.Locale;

import org.springframework.context.MessageSource;
import org.springframework.stereotype.Component;

/**
 * Chinese and English labels of the contracts' codes (statuses, roles, ratings, reasons, kinds), from contracts'
 * {@code i18n/enums*.properties} (keys {@code <Type>.<CODE>}) through the MessageSource (basenames
 * {@code i18n/messages, i18n/enums}); event types ({@code task.signed-for} …) from this service's messages
 * ({@code event.<type>}). A code without a label is shown as it is, never as an error.
 */
@Component
public class Labels {

    public static final Locale ZH = Locale.SIMPLIFIED_CHINESE;
    public static final Locale EN = Locale.ENGLISH;

    private static final java.time.format.DateTimeFormatter TIME =
            java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss");

    private final MessageSource messages;
    private final java.time.ZoneId zone;

    public Labels(MessageSource messages, cn.beijing.scienceedu.reporting.ReportingProperties properties) {
        this.messages = messages;
        this.zone = properties.zoneId();
    }

    /** The labels of one language. */
    public Lang lang(boolean en) {
        return new Lang(en ? EN : ZH);
    }

    public Lang lang(Locale locale) {
        return new Lang("en".equals(locale.getLanguage()) ? EN : ZH);
    }

    /** Labels in one language; every method takes a code (or null: empty). */
    public final class Lang {
        private final Locale locale;

        Lang(Locale locale) {
            this.locale = locale;
        }

        public boolean en() {
            return EN.equals(locale);
        }

        public Locale locale() {
            return locale;
        }

        /** The label of {@code type.code} (e.g. {@code TaskStatus}, {@code IN_PROGRESS}). */
        public String of(String type, String code) {
            if (code == null || code.isEmpty()) {
                return "";
            }
            return messages.getMessage(type + "." + code, null, code, locale);
        }

        public String status(String code) {
            return of("TaskStatus", code);
        }

        public String rating(String code) {
            return of("Rating", code);
        }

        public String reason(String code) {
            return of("RatingReason", code);
        }

        public String reportStatus(String code) {
            return of("ReportStatus", code);
        }

        public String role(String code) {
            return of("TaskRole", code);
        }

        public String kpiLevel(String code) {
            return of("KpiLevel", code);
        }

        public String extension(String code) {
            return of("ExtensionDecision", code);
        }

        public String delivery(String code) {
            return of("DeliveryStatus", code);
        }

        public String messageKind(String code) {
            return of("MessageKind", code);
        }

        /** An event type such as {@code task.returned}. */
        public String event(String type) {
            return of("event", type);
        }

        /** A time as people here read it: in the hub's zone (Asia/Shanghai), to the second; null: empty. */
        public String time(java.time.OffsetDateTime t) {
            return t == null ? "" : TIME.format(t.atZoneSameInstant(zone));
        }

        /** A message of this service's own (headings). */
        public String text(String key) {
            return messages.getMessage(key, null, key, locale);
        }
    }
}
