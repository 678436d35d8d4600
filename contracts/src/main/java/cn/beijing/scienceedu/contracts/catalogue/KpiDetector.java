package cn.beijing.scienceedu.contracts.catalogue;

import cn.beijing.scienceedu.contracts.catalogue.model.KpiComparison;
import cn.beijing.scienceedu.contracts.catalogue.model.KpiLevel;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the quantitative targets in a measure's prose by phrase patterns. Each pattern carries the
 * comparison and a default level (a floor "至少…" binds each school, "打造 N 个" is a city-wide total,
 * a monitored rate is compiled per district); the overlay may override level and unit.
 */
final class KpiDetector {

  /** A KPI as read from the text, before the overlay names it. {@code term} is what overlay entries match. */
  record Found(int measureNo, int position, String term, String sourceText, BigDecimal target, String unit,
      KpiComparison comparison, KpiLevel level) {}

  private record Rule(Pattern pattern, KpiComparison comparison, KpiLevel level, boolean rates) {}

  /** The rest of a phrase: up to the next punctuation or bracket. */
  private static final String REST = "[^，,。；;、(（]*";

  // Order matters: a later rule skips text an earlier one took (每所…至少有1名 before 至少…1名).
  private static final List<Rule> RULES = List.of(
      new Rule(Pattern.compile("(?:不少于|不低于)\\s*(\\d+(?:\\.\\d+)?)\\s*(%)" + REST),
          KpiComparison.AT_LEAST, KpiLevel.SCHOOL, false),
      new Rule(Pattern.compile("(?:不超过|不高于)\\s*(\\d+(?:\\.\\d+)?)\\s*(%)" + REST),
          KpiComparison.AT_MOST, KpiLevel.SCHOOL, false),
      new Rule(Pattern.compile("每所[^，,。；;、\\d]*?至少有?\\s*(\\d+)\\s*([名所个家])" + REST),
          KpiComparison.AT_LEAST, KpiLevel.SCHOOL, false),
      new Rule(Pattern.compile("至少[^，,。；;、\\d]{0,4}?(\\d+)\\s*([名所个家])" + REST),
          KpiComparison.AT_LEAST, KpiLevel.SCHOOL, false),
      new Rule(Pattern.compile("(?:打造|建设|建成|培育|遴选|认定)\\s*(\\d+)\\s*([名所个家])" + REST),
          KpiComparison.AT_LEAST, KpiLevel.CITY, false),
      new Rule(Pattern.compile("开展([^，,。；;]*?率)监测"),
          KpiComparison.TRACKED, KpiLevel.DISTRICT, true));

  List<Found> detect(int measureNo, String text) {
    List<Found> found = new ArrayList<>();
    List<int[]> taken = new ArrayList<>();
    for (Rule rule : RULES) {
      Matcher m = rule.pattern().matcher(text);
      while (m.find()) {
        int start = m.start();
        int end = m.end();
        if (taken.stream().anyMatch(span -> start < span[1] && span[0] < end)) {
          continue;
        }
        taken.add(new int[] {start, end});
        String phrase = m.group().strip();
        if (rule.rates()) {
          // one KPI per monitored rate: 开展A达标率、使用率监测 -> 达标率, 使用率
          String[] rates = m.group(1).split("、");
          for (int i = 0; i < rates.length; i++) {
            if (rates[i].endsWith("率")) {
              found.add(new Found(measureNo, start + i, rates[i].strip(), phrase, null, "percent",
                  rule.comparison(), rule.level()));
            }
          }
        } else {
          found.add(new Found(measureNo, start, phrase, phrase, new BigDecimal(m.group(1)), unitOf(m.group(2)),
              rule.comparison(), rule.level()));
        }
      }
    }
    found.sort(Comparator.comparingInt(Found::position));
    return found;
  }

  private static String unitOf(String word) {
    return switch (word) {
      case "%" -> "percent";
      case "名" -> "persons";
      case "所", "家" -> "institutions";
      default -> "count";
    };
  }
}
