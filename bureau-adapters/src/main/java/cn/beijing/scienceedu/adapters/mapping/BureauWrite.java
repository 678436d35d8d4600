package cn.beijing.scienceedu.adapters.mapping;

import java.time.OffsetDateTime;
import java.util.List;

import cn.beijing.scienceedu.contracts.bureau.model.Evidence;
import cn.beijing.scienceedu.contracts.bureau.model.ExtensionRequest;
import cn.beijing.scienceedu.contracts.bureau.model.KpiValue;
import cn.beijing.scienceedu.contracts.bureau.model.ProgressReport;
import cn.beijing.scienceedu.contracts.bureau.model.SignFor;
import cn.beijing.scienceedu.contracts.bureau.model.Submission;

/**
 * One bureau write, whatever the protocol brought it: what the bureau said is the bureau API's own type
 * ({@code body}: {@link SignFor}, {@link ProgressReport}, {@link Submission} or {@link ExtensionRequest}, generated
 * from contracts' bureau-api.yaml — never a copy of it); around it only what the protocol says besides (the task
 * of the path / message, the unit the bureau claims, when the hub received it) and what could not be read into the
 * type ({@code problems}: the write is refused with them, {@code body} may then be null).
 *
 * @param messageId  the bureau's message id (also in {@code body}; kept here for a receipt when body is null)
 * @param unitCode   the unit the message names (null where the protocol has none: REST, SOAP take the token's)
 * @param receivedAt the hub's receipt time: the bureau's time where it sent none
 */
public record BureauWrite(Kind kind, String messageId, String taskId, String unitCode, Object body,
        List<String> problems, OffsetDateTime receivedAt) {

    public BureauWrite {
        problems = problems == null ? List.of() : List.copyOf(problems);
    }

    /** A write read whole into its type. */
    public static BureauWrite of(Kind kind, String taskId, String unitCode, Object body, OffsetDateTime receivedAt) {
        return new BureauWrite(kind, messageIdOf(body), taskId, unitCode, body, List.of(), receivedAt);
    }

    public enum Kind {
        SIGN_FOR("sign-for"), PROGRESS("progress-reports"), SUBMISSION("submission"),
        EXTENSION_REQUEST("extension-requests");

        private final String path;

        Kind(String path) {
            this.path = path;
        }

        /** The task-service path segment ({@code /api/v1/tasks/{id}/<path>}). */
        public String path() {
            return path;
        }

        /** The bureau-api type of this kind's body. */
        public Class<?> type() {
            return switch (this) {
                case SIGN_FOR -> SignFor.class;
                case PROGRESS -> ProgressReport.class;
                case SUBMISSION -> Submission.class;
                case EXTENSION_REQUEST -> ExtensionRequest.class;
            };
        }

        /** The bureau-api name of the bureau's own time of this kind. */
        public String timeField() {
            return switch (this) {
                case SIGN_FOR -> "signedAt";
                case PROGRESS -> "reportedAt";
                case SUBMISSION -> "submittedAt";
                case EXTENSION_REQUEST -> "requestedAt";
            };
        }
    }

    static String messageIdOf(Object body) {
        if (body instanceof SignFor s) {
            return s.getMessageId();
        } else if (body instanceof ProgressReport p) {
            return p.getMessageId();
        } else if (body instanceof Submission s) {
            return s.getMessageId();
        } else if (body instanceof ExtensionRequest e) {
            return e.getMessageId();
        }
        return null;
    }

    /** The bureau's own time of the message (signedAt, reportedAt, submittedAt or requestedAt), null if it sent none. */
    public OffsetDateTime sentAt() {
        if (body instanceof SignFor s) {
            return s.getSignedAt();
        } else if (body instanceof ProgressReport p) {
            return p.getReportedAt();
        } else if (body instanceof Submission s) {
            return s.getSubmittedAt();
        } else if (body instanceof ExtensionRequest e) {
            return e.getRequestedAt();
        }
        return null;
    }

    /** The time kept for the message: the bureau's, or the hub's receipt time when the bureau sent none. */
    public OffsetDateTime keptTime() {
        OffsetDateTime t = sentAt();
        return t != null ? t : receivedAt;
    }

    public List<KpiValue> kpiValues() {
        List<KpiValue> k = body instanceof ProgressReport p ? p.getKpiValues()
                : body instanceof Submission s ? s.getKpiValues() : null;
        return k == null ? List.of() : k;
    }

    public List<Evidence> evidence() {
        List<Evidence> e = body instanceof ProgressReport p ? p.getEvidence()
                : body instanceof Submission s ? s.getEvidence() : null;
        return e == null ? List.of() : e;
    }

    /** The same write, refused for these reasons as well. */
    public BureauWrite withProblems(List<String> more) {
        List<String> all = new java.util.ArrayList<>(problems);
        all.addAll(more);
        return new BureauWrite(kind, messageId, taskId, unitCode, body, all, receivedAt);
    }
}
