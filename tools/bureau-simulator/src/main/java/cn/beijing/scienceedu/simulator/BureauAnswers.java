package cn.beijing.scienceedu.simulator;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.contracts.catalogue.Catalogues;
import cn.beijing.scienceedu.contracts.catalogue.model.Kpi;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;

/**
 * What a simulated bureau says in its answers, in bureau-api field names (each protocol's shape is {@link Shapes}'
 * job): who signs and reports, the bureau's own time, its 自评 status with 存在问题 / 下一步计划, KPI values and
 * evidence (佐证材料). Everything is decided by the unit (and the task for the values), never at random, so a test
 * can predict it: {@link #STATUS} says which bureaus report AT_RISK, DELAYED or BLOCKED, {@link #EVIDENCE} which
 * attach evidence and how its bytes travel. KPI values: only the KPIs of the task's own measure (a bureau reports on
 * its task), at the level the catalogue gives each KPI, school-level ones for the schools of the
 * {@link SyntheticRegister}. With the catalogue's measures and units, the seven KPIs get values from REST (SJW,
 * SKX, TSW), SOAP (SKW, RSJ) and AMQP (XCB, FL, SGW) bureaus; no FILE or SFTP bureau is responsible for a measure
 * with a KPI, so their answers carry the 指标数据 column empty (the shape carries values: see ShapesAnswerTest).
 */
@Component
public class BureauAnswers {

    static final ZoneId SHANGHAI = ZoneId.of("Asia/Shanghai");
    /** The bureau's own times as it writes them: seconds, with its offset (xs:dateTime and ISO-8601 alike). */
    static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssXXX");

    /**
     * The bureau's own assessment (自评) in every progress report; a unit not listed reports ON_TRACK. At least one
     * bureau of each protocol says something other than ON_TRACK (REST FGW/TSW, SOAP JXJ/RSJ, FILE CSV STHJJ/CZJ,
     * FILE XML GHZRW, SFTP CSV NNJ, SFTP XML TXGLJ, AMQP WXB). A bureau that is not ON_TRACK does not submit.
     */
    static final Map<String, String> STATUS = Map.of(
            "FGW", "AT_RISK", "JXJ", "AT_RISK", "STHJJ", "AT_RISK", "TXGLJ", "AT_RISK", "WXB", "AT_RISK",
            "TSW", "DELAYED", "GHZRW", "DELAYED", "NNJ", "DELAYED",
            "CZJ", "BLOCKED", "RSJ", "BLOCKED");

    /** How a bureau's evidence bytes travel. */
    enum EvidenceMode {
        /** REST: uploaded first ({@code POST /api/v1/bureau/tasks/{taskId}/attachments}), referenced by attachmentId */
        UPLOAD_FIRST,
        /** base64 {@code content} in the message (REST/AMQP JSON, SOAP and file XML {@code Content}) */
        INLINE,
        /** FILE/SFTP CSV: a file in {@code <answer file name>.evidence/} beside the answer, written first */
        BESIDE
    }

    /** The bureaus that attach evidence to their progress reports and submissions; the others attach none. */
    static final Map<String, EvidenceMode> EVIDENCE = Map.of(
            "SJW", EvidenceMode.UPLOAD_FIRST, "FGW", EvidenceMode.INLINE, "SKW", EvidenceMode.INLINE,
            "CZJ", EvidenceMode.BESIDE, "GHZRW", EvidenceMode.INLINE, "NNJ", EvidenceMode.BESIDE,
            "TXGLJ", EvidenceMode.INLINE, "WXB", EvidenceMode.INLINE);

    /** Made-up people (合成): who signs for and fills in the reports at each bureau, chosen by the unit. */
    private static final List<String> PEOPLE = List.of("王芳", "李明", "张伟", "刘洋", "陈静", "杨帆", "赵磊", "黄敏", "周婷",
            "吴昊", "徐丽", "孙强", "马琳", "朱峰", "胡娟", "郭涛", "何雪");

    private static final Map<String, Integer> PERCENT = Map.of("ON_TRACK", 55, "AT_RISK", 35, "DELAYED", 20, "BLOCKED", 10);

    private static final Map<String, String> NARRATIVE = Map.of(
            "ON_TRACK", "已按方案推进：召开专题部署会，完成本季度各项工作节点。",
            "AT_RISK", "主体工作已启动，部分环节进度慢于计划。",
            "DELAYED", "受前期准备影响，本季度工作节点未能按期完成。",
            "BLOCKED", "关键环节停滞，需协调后方可继续推进。");
    private static final Map<String, String> PROBLEMS = Map.of(
            "AT_RISK", "配套经费尚未全部到位，部分区实验室改造进度偏慢，存在不能按期完成的风险。",
            "DELAYED", "项目招标流程延长约一个月，设备采购和场地改造顺延，进度滞后于计划。",
            "BLOCKED", "跨部门数据共享协议尚未签订，相关区县无法报送基础数据，工作受阻。");
    private static final Map<String, String> NEXT_STEPS = Map.of(
            "ON_TRACK", "按计划开展下一阶段工作，月底前完成阶段总结。",
            "AT_RISK", "协调财政部门加快经费拨付，两周内对进度偏慢的区开展专项督导。",
            "DELAYED", "压缩后续环节工期，申请延期一个月并每周报送进度。",
            "BLOCKED", "提请市级层面协调签订数据共享协议，协议签订后一周内恢复报送。");

    private final SyntheticRegister register;
    private final Map<Integer, Measure> measures = new LinkedHashMap<>();
    private final List<Kpi> kpis;

    public BureauAnswers(SyntheticRegister register) {
        this.register = register;
        Policy policy = Catalogues.defaultPolicy();
        policy.getMeasures().forEach(m -> measures.put(m.getNo(), m));
        this.kpis = List.copyOf(policy.getKpis());
    }

    /** The bureau's 自评 of its tasks. */
    public String status(String unit) {
        return STATUS.getOrDefault(unit, "ON_TRACK");
    }

    /** Only a bureau on track submits its results (the others are behind or stuck). */
    public boolean submits(String unit) {
        return "ON_TRACK".equals(status(unit));
    }

    public String person(String unit) {
        return PEOPLE.get(Math.floorMod(unit.hashCode(), PEOPLE.size()));
    }

    /** The bureau's own time field for each kind of answer. */
    static String timeField(String kind) {
        return switch (kind) {
            case "SIGN_FOR" -> "signedAt";
            case "PROGRESS" -> "reportedAt";
            case "SUBMISSION" -> "submittedAt";
            case "EXTENSION_REQUEST" -> "requestedAt";
            default -> throw new IllegalArgumentException("kind " + kind);
        };
    }

    /**
     * The bureau's own clock when it answers: a few seconds (1–20, by unit) before now — its system stamps the
     * answer when its user saves it, the message leaves a little later — but at most half the time since the bureau
     * received the assignment (so a sign-for stays before the progress report after it, and never before the
     * receipt: the hub refuses a time before the task was dispatched), in whole seconds with +08:00 (a CSV bureau
     * writes {@code yyyy-MM-dd HH:mm:ss}).
     */
    public String bureauTime(String unit, Instant assignmentReceived, Instant now) {
        Instant t = now.minusSeconds(1 + Math.floorMod(unit.hashCode(), 20));
        if (assignmentReceived != null && assignmentReceived.isBefore(now)) {
            Instant half = assignmentReceived.plus(Duration.between(assignmentReceived, now).dividedBy(2));
            if (t.isBefore(half)) {
                t = half;
            }
        }
        t = t.truncatedTo(ChronoUnit.SECONDS);
        if (assignmentReceived != null) {
            Instant notBefore = assignmentReceived.truncatedTo(ChronoUnit.SECONDS).plusSeconds(1);
            if (t.isBefore(notBefore)) {
                t = notBefore;
            }
        }
        return ISO_SECONDS.format(t.atZone(SHANGHAI));
    }

    /** The quarter of today in Beijing, as the hub names periods ({@code 2026-Q4}). */
    static String currentQuarter() {
        LocalDate d = LocalDate.now(SHANGHAI);
        return d.getYear() + "-Q" + ((d.getMonthValue() - 1) / 3 + 1);
    }

    /**
     * The whole answer of a kind to an assignment the bureau received, in bureau-api field names plus
     * {@code kind, taskId, unitCode} (and {@link Sender#UPLOAD_FIRST} for an upload-first bureau).
     */
    public Map<String, Object> answer(Received assignment, String kind, String messageId, Instant now) {
        String unit = assignment.unit();
        String taskId = assignment.taskId();
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("messageId", messageId);
        r.put("kind", kind);
        r.put("taskId", taskId);
        r.put("unitCode", unit);
        String status = status(unit);
        switch (kind) {
            case "SIGN_FOR" -> {
                r.put("signedBy", person(unit));
                r.put("note", "已签收，按要求落实（模拟）");
            }
            case "PROGRESS" -> {
                r.put("period", currentQuarter());
                r.put("percentComplete", PERCENT.get(status) + Math.floorMod(taskId == null ? 0 : taskId.hashCode(), 5));
                r.put("status", status);
                r.put("narrative", NARRATIVE.get(status));
                if (PROBLEMS.containsKey(status)) {
                    r.put("problems", PROBLEMS.get(status));
                }
                r.put("nextSteps", NEXT_STEPS.get(status));
                List<Map<String, Object>> values = kpiValues(unit, measureNo(assignment));
                if (!values.isEmpty()) {
                    r.put("kpiValues", values);
                }
                r.put("reporter", person(unit));
            }
            case "SUBMISSION" -> {
                r.put("period", currentQuarter());
                r.put("summary", "任务已完成，成果已报送（模拟）");
                r.put("reporter", person(unit));
            }
            case "EXTENSION_REQUEST" -> {
                r.put("requestedDeadline", LocalDate.now(SHANGHAI).plusMonths(7).toString());
                r.put("reason", PROBLEMS.getOrDefault(status, "工作量超出预期，申请延期。"));
                r.put("reporter", person(unit));
            }
            default -> throw new IllegalArgumentException("kind " + kind);
        }
        if (("PROGRESS".equals(kind) || "SUBMISSION".equals(kind)) && EVIDENCE.containsKey(unit)) {
            r.put("evidence", List.of(evidence(unit, taskId, kind)));
            if (EVIDENCE.get(unit) == EvidenceMode.UPLOAD_FIRST) {
                r.put(Sender.UPLOAD_FIRST, true);
            }
        }
        r.put(timeField(kind), bureauTime(unit, assignment.at(), now));
        return r;
    }

    static Integer measureNo(Received assignment) {
        Object m = assignment.fields() == null ? null : assignment.fields().get("measureNo");
        if (m == null) {
            return null;
        }
        try {
            return Integer.valueOf(m.toString().trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ KPI values

    /**
     * The values a unit reports for its task of measure {@code measureNo}: each catalogue KPI of that measure at the
     * KPI's own level — SCHOOL for schools of the register (the measure's lead unit for all of them, a cooperating
     * unit for six; a KPI "per primary school" (每所小学) for primary schools only), DISTRICT for the register's
     * districts (lead: all, others: four), CITY once. Values are functions of (KPI, unit, school/district), so the
     * same task always says the same.
     */
    public List<Map<String, Object>> kpiValues(String unit, Integer measureNo) {
        List<Map<String, Object>> out = new ArrayList<>();
        Measure m = measureNo == null ? null : measures.get(measureNo);
        if (m == null || !m.getUnitCodes().contains(unit)) {
            return out;
        }
        boolean lead = unit.equals(m.getLeadUnitCode());
        for (Kpi k : kpis) {
            if (!measureNo.equals(k.getMeasureNo())) {
                continue;
            }
            String level = k.getLevel().getValue();
            switch (level) {
                case "SCHOOL" -> {
                    List<SyntheticRegister.School> schools = register.schools().stream()
                            .filter(s -> !k.getDescription().contains("小学") || "PRIMARY".equals(s.stage())).toList();
                    for (SyntheticRegister.School s : pick(schools, lead ? schools.size() : 6, unit)) {
                        out.add(value(k, unit, level, s.districtCode(), s.code()));
                    }
                }
                case "DISTRICT" -> {
                    List<String> districts = register.schools().stream().map(SyntheticRegister.School::districtCode)
                            .distinct().toList();
                    for (String d : pick(districts, lead ? districts.size() : 4, unit)) {
                        out.add(value(k, unit, level, d, null));
                    }
                }
                default -> out.add(value(k, unit, level, null, null));
            }
        }
        return out;
    }

    private static <T> List<T> pick(List<T> all, int n, String unit) {
        if (n >= all.size()) {
            return all;
        }
        int start = Math.floorMod(unit.hashCode(), all.size());
        List<T> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(all.get((start + i * 5) % all.size()));
        }
        return out.stream().distinct().toList();
    }

    private static Map<String, Object> value(Kpi k, String unit, String level, String district, String school) {
        int h = Math.floorMod((k.getCode() + "|" + unit + "|" + district + "|" + school).hashCode(), 1000);
        BigDecimal target = k.getTarget();
        BigDecimal v;
        if ("percent".equals(k.getUnit())) {
            // around the target where there is one (some schools below it), else a usage-like 60–95 %
            v = target != null
                    ? target.multiply(BigDecimal.valueOf(60 + h % 100, 2)).setScale(1, RoundingMode.HALF_UP)
                    : BigDecimal.valueOf(600 + h % 350, 1);
        } else if ("CITY".equals(level)) {
            // a city count several units report their share of
            v = BigDecimal.valueOf(Math.max(1, (target == null ? 50 : target.intValue()) * (10 + h % 10) / 100));
        } else {
            // persons / institutions per school: 0 … target + 2 (some below the target)
            v = BigDecimal.valueOf(h % ((target == null ? 2 : target.intValue()) + 3));
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("code", k.getCode());
        m.put("value", v.stripTrailingZeros().scale() <= 0 ? v.setScale(0, RoundingMode.UNNECESSARY) : v.stripTrailingZeros());
        m.put("level", level);
        if (district != null) {
            m.put("districtCode", district);
        }
        if (school != null) {
            m.put("schoolCode", school);
        }
        return m;
    }

    // ------------------------------------------------------------------ evidence

    /**
     * One made-up file of evidence (合成): a one-page PDF or a UTF-8 text, different per task and kind, with its
     * size and lower-case SHA-256 and the bytes as base64 {@code content} (each protocol's sender moves them where
     * its protocol carries them). Files that go to disk (FILE/SFTP) have ASCII names: a host without a UTF-8 locale
     * cannot name a file in Chinese.
     */
    public Map<String, Object> evidence(String unit, String taskId, String kind) {
        boolean pdf = Math.floorMod(unit.hashCode(), 2) == 0;
        boolean onDisk = EVIDENCE.get(unit) == EvidenceMode.BESIDE;
        String what = "SUBMISSION".equals(kind) ? "成果材料" : "工作进展台账";
        String ascii = "SUBMISSION".equals(kind) ? "results" : "progress-ledger";
        String base = (onDisk ? ascii : what) + "-" + currentQuarter();
        byte[] bytes;
        String contentType;
        if (pdf) {
            bytes = SimplePdf.onePage(List.of("Synthetic evidence (simulated bureau " + unit + ")", "Task " + taskId,
                    "Kind " + kind + ", period " + currentQuarter(), "Not a real document."));
            contentType = "application/pdf";
        } else {
            bytes = ("佐证材料（模拟，合成数据）\n单位：" + unit + "\n任务：" + taskId + "\n类型：" + what + "\n报告期："
                    + currentQuarter() + "\n").getBytes(StandardCharsets.UTF_8);
            contentType = "text/plain";
        }
        return evidenceOf(base + (pdf ? ".pdf" : ".txt"), contentType, bytes);
    }

    static Map<String, Object> evidenceOf(String name, String contentType, byte[] bytes) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("name", name);
        e.put("contentType", contentType);
        e.put("size", bytes.length);
        e.put("sha256", sha256(bytes));
        e.put("content", Base64.getEncoder().encodeToString(bytes));
        return e;
    }

    static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The bureaus' statuses and evidence modes, for {@code GET /sim/answers} (tests predict with it). */
    public Map<String, Object> plan(Set<String> units) {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String u : units) {
            Map<String, Object> p = new LinkedHashMap<>();
            p.put("status", status(u));
            p.put("submits", submits(u));
            p.put("evidence", EVIDENCE.containsKey(u) ? EVIDENCE.get(u).name() : "NONE");
            p.put("person", person(u));
            p.put("timeBeforeNowSeconds", Duration.ofSeconds(1 + Math.floorMod(u.hashCode(), 20)).toSeconds());
            out.put(u, p);
        }
        return out;
    }
}
