package cn.beijing.scienceedu.contracts.catalogue;

import cn.beijing.scienceedu.contracts.catalogue.model.Action;
import cn.beijing.scienceedu.contracts.catalogue.model.Goal;
import cn.beijing.scienceedu.contracts.catalogue.model.Kpi;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads a joint notice of the form "addressees, preamble, issuer lines, date, title, basis paragraph,
 * action headings 一、坚持X，实施Y行动, numbered measures each ending with (责任单位:A、B…)" into a
 * {@link Policy}. The overlay adds what the text cannot give (codes, English names).
 */
public final class NoticeImporter {

  private static final Pattern DATE = Pattern.compile("^(\\d{4})年(\\d{1,2})月(\\d{1,2})日$");
  private static final Pattern ACTION_HEADING = Pattern.compile("^([一二三四五六七八九十]+)、(.+)$");
  private static final Pattern MEASURE_START = Pattern.compile("^(\\d{1,3})[.．、]\\s*(.*)$");
  private static final Pattern BASIS = Pattern.compile("\\p{IsHan}{1,10}〔\\d{4}〕\\d+号");
  private static final Pattern GOALS = Pattern.compile("围绕([^，,。；;]+?)([一二三四五六七八九十两]+|\\d+)大目标");
  private static final Pattern ACTIONS = Pattern.compile("推进([^，,。；;]+?)([一二三四五六七八九十两]+|\\d+)大行动");
  private static final Pattern MEASURE_COUNT = Pattern.compile("([一二三四五六七八九十两]+|\\d+)条");
  private static final String UNITS_MARK = "责任单位";

  private final KpiDetector kpiDetector = new KpiDetector();

  /** A measure's lines, joined before parsing: page breaks split sentences and even words. */
  private record MeasureDraft(int no, int actionNo, int line, StringBuilder raw) {}

  public Policy importNotice(String noticeText, CatalogueOverlay overlay) {
    if (noticeText == null || noticeText.isBlank()) {
      throw new CatalogueImportException("the notice is empty");
    }
    CatalogueOverlay extra = overlay == null ? CatalogueOverlay.empty() : overlay;
    List<String> lines = noticeText.lines().map(String::strip).toList();

    int dateLine = findDate(lines);
    LocalDate issuedOn = parseDate(lines.get(dateLine), dateLine);
    List<String> issuers = issuers(lines, dateLine);
    int titleLine = nextNonBlank(lines, dateLine + 1);
    if (titleLine < 0) {
      throw new CatalogueImportException("line " + (dateLine + 1) + ": no title after the date");
    }
    String title = lines.get(titleLine).replaceAll("[\\s\\u3000]+", "");

    // Preamble up to the first heading, then headings and measures.
    StringBuilder preamble = new StringBuilder();
    List<Action> actions = new ArrayList<>();
    List<MeasureDraft> drafts = new ArrayList<>();
    for (int i = titleLine + 1; i < lines.size(); i++) {
      String line = lines.get(i);
      if (line.isEmpty()) {
        continue;
      }
      Matcher heading = ACTION_HEADING.matcher(line);
      Matcher start = MEASURE_START.matcher(line);
      if (heading.matches()) {
        actions.add(action(heading, actions.size() + 1, i, extra));
      } else if (start.matches()) {
        int no = Integer.parseInt(start.group(1));
        if (no != drafts.size() + 1) {
          throw new CatalogueImportException("line " + (i + 1) + ": measure " + no + " follows measure " + drafts.size());
        }
        if (actions.isEmpty()) {
          throw new CatalogueImportException("line " + (i + 1) + ": measure " + no + " comes before any action heading");
        }
        drafts.add(new MeasureDraft(no, actions.size(), i + 1, new StringBuilder(start.group(2))));
      } else if (!drafts.isEmpty()) {
        drafts.get(drafts.size() - 1).raw().append(line); // a continuation: join without inserting characters
      } else if (actions.isEmpty()) {
        preamble.append(line);
      } else {
        throw new CatalogueImportException("line " + (i + 1) + ": text between an action heading and its first measure");
      }
    }
    if (drafts.isEmpty()) {
      throw new CatalogueImportException("no numbered measures (\"1. …\") found after the title");
    }
    checkCount(title, "条", MEASURE_COUNT, drafts.size(), "measures");
    checkCount(preamble.toString(), "大行动", ACTIONS, actions.size(), "action headings");

    UnitResolver units = new UnitResolver(issuers, extra);
    List<Measure> measures = new ArrayList<>();
    List<Kpi> kpis = new ArrayList<>();
    Set<String> kpiCodes = new HashSet<>();
    for (MeasureDraft draft : drafts) {
      Measure measure = measure(draft, units, extra);
      measures.add(measure);
      actions.get(draft.actionNo() - 1).addMeasureNosItem(draft.no());
      kpis.addAll(kpis(draft.no(), measure.getText(), extra, kpiCodes));
    }

    String id = extra.policyId() != null ? extra.policyId() : "policy-" + issuedOn;
    return new Policy(id, title, issuers, issuedOn, goals(preamble.toString(), extra), actions, measures,
        units.units(), kpis)
        .titleEn(extra.titleEn())
        .basisDocument(find(BASIS, preamble.toString()));
  }

  private static int findDate(List<String> lines) {
    for (int i = 0; i < lines.size(); i++) {
      if (DATE.matcher(lines.get(i)).matches()) {
        return i;
      }
    }
    throw new CatalogueImportException("no date line (YYYY年M月D日) after the issuer list");
  }

  private static int nextNonBlank(List<String> lines, int from) {
    for (int i = from; i < lines.size(); i++) {
      if (!lines.get(i).isEmpty()) {
        return i;
      }
    }
    return -1;
  }

  private static LocalDate parseDate(String line, int index) {
    Matcher m = DATE.matcher(line);
    m.matches();
    try {
      return LocalDate.of(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)));
    } catch (DateTimeException e) {
      throw new CatalogueImportException("line " + (index + 1) + ": '" + line + "' is not a valid date", e);
    }
  }

  /**
   * The issuer lines sit between the paragraph before them (ending in 。 or ：) and the date. A line in
   * brackets continues the issuer above it: 中共北京市委宣传部 / (首都精神文明建设委员会办公室) is one unit.
   */
  private static List<String> issuers(List<String> lines, int dateLine) {
    int first = dateLine;
    while (first > 0) {
      String above = lines.get(first - 1);
      if (above.endsWith("。") || above.endsWith("：") || above.endsWith(":")) {
        break;
      }
      first--;
    }
    List<String> issuers = new ArrayList<>();
    for (int i = first; i < dateLine; i++) {
      String line = lines.get(i);
      if (line.isEmpty()) {
        continue;
      }
      if ((line.startsWith("(") || line.startsWith("（")) && !issuers.isEmpty()) {
        issuers.set(issuers.size() - 1, issuers.get(issuers.size() - 1) + line);
      } else {
        issuers.add(line);
      }
    }
    if (issuers.isEmpty()) {
      throw new CatalogueImportException("line " + (dateLine + 1) + ": no issuer lines above the date");
    }
    return issuers;
  }

  /** Heading "一、坚持面向全体，实施学校科学教育提质行动": principle 坚持面向全体, title 学校科学教育提质行动. */
  private static Action action(Matcher heading, int expectedNo, int index, CatalogueOverlay overlay) {
    int no = chineseNumber(heading.group(1));
    if (no != expectedNo) {
      throw new CatalogueImportException("line " + (index + 1) + ": action heading " + heading.group(1)
          + " where action " + expectedNo + " was expected");
    }
    String rest = heading.group(2);
    String principle = null;
    String[] parts = rest.split("[,，]", 2);
    if (parts.length == 2 && parts[0].startsWith("坚持")) {
      principle = parts[0].strip();
      rest = parts[1].strip();
    }
    String title = rest.startsWith("实施") ? rest.substring(2) : rest;
    var entry = overlay.action(no);
    List<Integer> goalNos = entry.map(CatalogueOverlay.ActionEntry::goalNos).orElse(null);
    return new Action(no, title, new ArrayList<>(), goalNos == null ? new ArrayList<>() : new ArrayList<>(goalNos))
        .principle(principle)
        .titleEn(entry.map(CatalogueOverlay.ActionEntry::titleEn).orElse(null));
  }

  private static Measure measure(MeasureDraft draft, UnitResolver units, CatalogueOverlay overlay) {
    String raw = draft.raw().toString();
    String where = "measure " + draft.no() + " (line " + draft.line() + ")";
    int mark = raw.lastIndexOf(UNITS_MARK);
    if (mark < 1 || (raw.charAt(mark - 1) != '(' && raw.charAt(mark - 1) != '（')) {
      throw new CatalogueImportException(where + ": no responsible units \"(责任单位:…)\" found");
    }
    int close = closingBracket(raw, mark);
    if (close < 0) {
      throw new CatalogueImportException(where + ": the responsible-unit list is not closed");
    }
    String list = raw.substring(mark + UNITS_MARK.length(), close).replaceFirst("^[:：]", "");
    List<String> unitCodes = new ArrayList<>();
    for (String name : splitTopLevel(list)) {
      String code = units.resolve(name, draft.no());
      if (unitCodes.contains(code)) {
        throw new CatalogueImportException(where + ": unit '" + name + "' is listed twice");
      }
      unitCodes.add(code);
    }
    if (unitCodes.isEmpty()) {
      throw new CatalogueImportException(where + ": the responsible-unit list is empty");
    }

    String text = (raw.substring(0, mark - 1) + raw.substring(close + 1)).strip();
    List<String> sentences = sentences(text);
    if (sentences.isEmpty()) {
      throw new CatalogueImportException(where + ": the measure has no text");
    }
    String title = sentences.get(0).endsWith("。")
        ? sentences.get(0).substring(0, sentences.get(0).length() - 1) : sentences.get(0);
    return new Measure(draft.no(), draft.actionNo(), title, text,
        new ArrayList<>(sentences.subList(1, sentences.size())), unitCodes, unitCodes.get(0))
        .titleEn(overlay.measure(draft.no()).map(CatalogueOverlay.MeasureEntry::titleEn).orElse(null));
  }

  /** Index of the bracket closing the one just before {@code from}; nested brackets (首都精神文明办) count. */
  private static int closingBracket(String s, int from) {
    int depth = 1;
    for (int i = from; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '(' || c == '（') {
        depth++;
      } else if ((c == ')' || c == '）') && --depth == 0) {
        return i;
      }
    }
    return -1;
  }

  /** Splits at 、 outside brackets: 市教委、市委宣传部(首都精神文明办) is two names. */
  private static List<String> splitTopLevel(String list) {
    List<String> names = new ArrayList<>();
    int depth = 0;
    StringBuilder name = new StringBuilder();
    for (char c : list.toCharArray()) {
      if (c == '(' || c == '（') {
        depth++;
      } else if (c == ')' || c == '）') {
        depth--;
      }
      if (c == '、' && depth == 0) {
        names.add(name.toString().strip());
        name.setLength(0);
      } else {
        name.append(c);
      }
    }
    names.add(name.toString().strip());
    names.removeIf(String::isEmpty);
    return names;
  }

  private static List<String> sentences(String text) {
    List<String> sentences = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < text.length(); i++) {
      if (text.charAt(i) == '。') {
        sentences.add(text.substring(start, i + 1).strip());
        start = i + 1;
      }
    }
    if (!text.substring(start).isBlank()) {
      sentences.add(text.substring(start).strip());
    }
    return sentences;
  }

  /** "围绕A、B、C和D四大目标": the goals in order; the overlay adds English names. */
  private static List<Goal> goals(String preamble, CatalogueOverlay overlay) {
    Matcher m = GOALS.matcher(preamble);
    if (!m.find()) {
      return new ArrayList<>();
    }
    List<String> names = enumeration(m.group(1), chineseNumber(m.group(2)), "goals");
    List<Goal> goals = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      int no = i + 1;
      goals.add(new Goal(no, names.get(i))
          .nameEn(overlay.goal(no).map(CatalogueOverlay.GoalEntry::nameEn).orElse(null)));
    }
    return goals;
  }

  /** Splits "A、B、C和D" into {@code expected} items; the last pair may be joined by 和/与/及. */
  private static List<String> enumeration(String list, int expected, String what) {
    List<String> items = new ArrayList<>(List.of(list.split("、")));
    while (items.size() < expected) {
      String last = items.get(items.size() - 1);
      int at = Math.max(last.lastIndexOf('和'), Math.max(last.lastIndexOf('与'), last.lastIndexOf('及')));
      if (at <= 0) {
        break;
      }
      items.set(items.size() - 1, last.substring(0, at));
      items.add(last.substring(at + 1));
    }
    if (items.size() != expected) {
      throw new CatalogueImportException("the notice announces " + expected + " " + what + " but lists "
          + items.size() + ": " + list);
    }
    return items;
  }

  private List<Kpi> kpis(int measureNo, String text, CatalogueOverlay overlay, Set<String> codes) {
    List<Kpi> kpis = new ArrayList<>();
    for (KpiDetector.Found found : kpiDetector.detect(measureNo, text)) {
      var entry = overlay.kpis().stream()
          .filter(e -> e.measure() != null && e.measure() == measureNo && e.match() != null
              && found.term().contains(e.match()))
          .findFirst();
      String code = entry.map(CatalogueOverlay.KpiEntry::code)
          .orElse("M" + measureNo + "_K" + (kpis.size() + 1)); // fallback: stable within the notice
      if (!codes.add(code)) {
        throw new CatalogueImportException("measure " + measureNo + ": KPI code " + code + " is used twice");
      }
      kpis.add(new Kpi(code,
          entry.map(CatalogueOverlay.KpiEntry::description).orElse(found.term()),
          measureNo,
          entry.map(CatalogueOverlay.KpiEntry::unit).orElse(found.unit()),
          found.comparison(),
          entry.map(CatalogueOverlay.KpiEntry::level).orElse(found.level()),
          found.sourceText())
          .target(found.target())
          .descriptionEn(entry.map(CatalogueOverlay.KpiEntry::descriptionEn).orElse(null)));
    }
    return kpis;
  }

  /** Where the text announces a count ("二十条", "六大行动"), the parsed count must agree: a lost page shows. */
  private static void checkCount(String text, String marker, Pattern pattern, int actual, String what) {
    Matcher m = pattern.matcher(text);
    if (m.find() && m.group().endsWith(marker)) {
      int announced = chineseNumber(m.group(m.groupCount()));
      if (announced > 0 && announced != actual) {
        throw new CatalogueImportException("the notice announces " + announced + " " + what + " but "
            + actual + " were found");
      }
    }
  }

  private static String find(Pattern pattern, String text) {
    Matcher m = pattern.matcher(text);
    return m.find() ? m.group() : null;
  }

  /** 一 … 九十九, 两, or ASCII digits; -1 when it is not a number. */
  static int chineseNumber(String s) {
    if (s.chars().allMatch(Character::isDigit)) {
      return Integer.parseInt(s);
    }
    String digits = "零一二三四五六七八九";
    int value = 0;
    int current = 0;
    for (char c : s.toCharArray()) {
      if (c == '十') {
        value += (current == 0 ? 1 : current) * 10;
        current = 0;
      } else if (c == '两') {
        current = 2;
      } else if (digits.indexOf(c) >= 0) {
        current = digits.indexOf(c);
      } else {
        return -1;
      }
    }
    return value + current;
  }
}
