package cn.beijing.scienceedu.contracts.catalogue;

import static org.assertj.core.api.Assertions.assertThat;

import cn.beijing.scienceedu.contracts.catalogue.model.Action;
import cn.beijing.scienceedu.contracts.catalogue.model.Goal;
import cn.beijing.scienceedu.contracts.catalogue.model.Kpi;
import cn.beijing.scienceedu.contracts.catalogue.model.KpiComparison;
import cn.beijing.scienceedu.contracts.catalogue.model.KpiLevel;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** The committed catalogue against values read from the notice by hand. */
class DefaultCatalogueTest {

  private static final String XCB = "市委宣传部(首都精神文明办)";

  /** Responsible units per measure, in the notice's order (first = lead), as printed. */
  private static final Map<Integer, List<String>> UNITS = Map.ofEntries(
      Map.entry(1, List.of("市教委", "市科协")),
      Map.entry(2, List.of("市教委", "市科协")),
      Map.entry(3, List.of("市教委")),
      Map.entry(4, List.of("市教委")),
      Map.entry(5, List.of("市教委", "市科委中关村管委会", "市人力资源社会保障局", "市规划自然资源委", "市生态环境局",
          "市农业农村局", "市科学技术研究院", "团市委", "市妇联", "市科协", "市少工委")),
      Map.entry(6, List.of("市教委", "市科协")),
      Map.entry(7, List.of("市教委", "市科协", "市科委中关村管委会", "市科学技术研究院")),
      Map.entry(8, List.of("市教委", "市科协", "市科委中关村管委会")),
      Map.entry(9, List.of("市教委", "市人力资源社会保障局")),
      Map.entry(10, List.of("市教委", "市人力资源社会保障局")),
      Map.entry(11, List.of("市教委", "市科委中关村管委会", XCB, "市人力资源社会保障局", "市科协")),
      Map.entry(12, List.of("市教委", XCB, "市科委中关村管委会", "市科协", "团市委", "市少工委", "市妇联", "市科学技术研究院")),
      Map.entry(13, List.of("市教委", XCB, "市发展改革委", "市科委中关村管委会", "市规划自然资源委", "市生态环境局",
          "市农业农村局", "市科协", "团市委", "市少工委", "市妇联")),
      Map.entry(14, List.of("市科委中关村管委会", "市科协", "市教委", XCB, "市规划自然资源委", "市生态环境局",
          "市农业农村局", "市妇联", "团市委", "市少工委", "市科学技术研究院")),
      Map.entry(15, List.of("市教委", "市科委中关村管委会", "市科协", "市委网信办", "市通信管理局", "团市委", "市妇联", "市少工委")),
      Map.entry(16, List.of("市教委", "市委网信办", "市科委中关村管委会", "市科协", "团市委", "市妇联", "市少工委", "市科学技术研究院")),
      Map.entry(17, List.of("市教委", XCB, "市委网信办", "市发展改革委", "市科委中关村管委会", "市经济和信息化局", "市财政局",
          "市人力资源社会保障局", "市规划自然资源委", "市生态环境局", "市农业农村局", "市通信管理局", "市科学技术研究院",
          "团市委", "市妇联", "市科协", "市少工委")),
      Map.entry(18, List.of("市教委", "市妇联", XCB, "市委网信办", "市科委中关村管委会", "团市委", "市少工委")),
      Map.entry(19, List.of("市教委", "市科委中关村管委会", "市人力资源社会保障局", "市科协", "团市委", "市妇联", "市少工委")),
      Map.entry(20, List.of("市教委", XCB, "市委网信办", "市科委中关村管委会", "市人力资源社会保障局", "市科学技术研究院",
          "团市委", "市妇联", "市科协", "市少工委")));

  private final Policy policy = Catalogues.defaultPolicy();

  @Test
  void headerFields() {
    assertThat(policy.getId()).isEqualTo("bj-sciedu-20-2024");
    assertThat(policy.getTitle()).isEqualTo("关于加强新时代中小学科学教育工作的二十条措施");
    assertThat(policy.getIssuedOn()).isEqualTo(LocalDate.of(2024, 12, 24));
    assertThat(policy.getBasisDocument()).isEqualTo("教监管〔2023〕2号");
    assertThat(policy.getTitleEn()).isNotBlank();
  }

  @Test
  void seventeenIssuersInOrder() {
    assertThat(policy.getIssuers()).containsExactly(
        "北京市教育委员会",
        "中共北京市委宣传部(首都精神文明建设委员会办公室)",
        "中共北京市委网络安全和信息化委员会办公室",
        "北京市发展和改革委员会",
        "北京市科学技术委员会、中关村科技园区管理委员会",
        "北京市经济和信息化局",
        "北京市财政局",
        "北京市人力资源和社会保障局",
        "北京市规划和自然资源委员会",
        "北京市生态环境局",
        "北京市农业农村局",
        "北京市通信管理局",
        "北京市科学技术研究院",
        "共青团北京市委员会",
        "北京市妇女联合会",
        "北京市科学技术协会",
        "中国少年先锋队北京市工作委员会");
    assertThat(policy.getUnits()).extracting(Unit::getFullName).containsExactlyElementsOf(policy.getIssuers());
  }

  @Test
  void unitCodesFromTheOverlay() {
    assertThat(policy.getUnits()).extracting(Unit::getCode).containsExactly(
        "SJW", "XCB", "WXB", "FGW", "SKW", "JXJ", "CZJ", "RSJ", "GHZRW", "STHJJ", "NNJ", "TXGLJ", "KXY", "TSW", "FL",
        "SKX", "SGW");
    assertThat(policy.getUnits()).allSatisfy(u -> assertThat(u.getNameEn()).isNotBlank());
    assertThat(unit("SGW").getShortName()).isEqualTo("市少工委");
    assertThat(unit("SKW").getShortName()).isEqualTo("市科委中关村管委会");
  }

  @Test
  void responsibleUnitsOfAllTwentyMeasuresInOrder() {
    assertThat(policy.getMeasures()).extracting(Measure::getNo)
        .containsExactlyElementsOf(java.util.stream.IntStream.rangeClosed(1, 20).boxed().toList());
    for (Measure measure : policy.getMeasures()) {
      assertThat(shortNames(measure.getUnitCodes())).as("measure %d", measure.getNo())
          .containsExactlyElementsOf(UNITS.get(measure.getNo()));
      assertThat(measure.getLeadUnitCode()).as("lead of measure %d", measure.getNo())
          .isEqualTo(measure.getUnitCodes().get(0));
    }
  }

  @Test
  void leads() {
    Map<Integer, String> leads = policy.getMeasures().stream()
        .collect(Collectors.toMap(Measure::getNo, m -> unit(m.getLeadUnitCode()).getShortName()));
    for (int no = 1; no <= 20; no++) {
      assertThat(leads.get(no)).as("lead of measure %d", no).isEqualTo(no == 14 ? "市科委中关村管委会" : "市教委");
    }
  }

  @Test
  void oneHundredTwentyTwoTasks() {
    assertThat(policy.getMeasures().stream().mapToInt(m -> m.getUnitCodes().size()).sum()).isEqualTo(122);
    assertThat(UNITS.values().stream().mapToInt(List::size).sum()).isEqualTo(122);
  }

  @Test
  void bothBracketFormsAreOneUnit() {
    Unit xcb = unit("XCB");
    assertThat(xcb.getShortName()).isEqualTo(XCB);
    assertThat(xcb.getFullName()).isEqualTo("中共北京市委宣传部(首都精神文明建设委员会办公室)");
    assertThat(xcb.getAliases()).contains("市委宣传部(首都精神文明办)", "市委宣传部（首都精神文明办）");
    for (int no : List.of(11, 12, 13, 14)) { // 11-13 print half-width brackets, 14 full-width
      assertThat(measure(no).getUnitCodes()).as("measure %d", no).contains("XCB");
    }
  }

  @Test
  void fourGoals() {
    assertThat(policy.getGoals()).extracting(Goal::getNo, Goal::getName).containsExactly(
        org.assertj.core.groups.Tuple.tuple(1, "全员科学素养提升"),
        org.assertj.core.groups.Tuple.tuple(2, "科学家潜质培养"),
        org.assertj.core.groups.Tuple.tuple(3, "协同育人统一战线"),
        org.assertj.core.groups.Tuple.tuple(4, "家国情怀培育"));
    assertThat(policy.getGoals()).allSatisfy(g -> assertThat(g.getNameEn()).isNotBlank());
  }

  @Test
  void sixActionsWithTheirMeasureRanges() {
    assertThat(policy.getActions()).extracting(Action::getNo).containsExactly(1, 2, 3, 4, 5, 6);
    assertThat(policy.getActions()).extracting(Action::getMeasureNos).containsExactly(
        List.of(1, 2, 3, 4), List.of(5, 6, 7, 8), List.of(9, 10, 11), List.of(12, 13, 14), List.of(15, 16),
        List.of(17, 18, 19, 20));
    Action first = policy.getActions().get(0);
    assertThat(first.getPrinciple()).isEqualTo("坚持面向全体");
    assertThat(first.getTitle()).isEqualTo("学校科学教育提质行动");
    assertThat(policy.getActions().get(5).getTitle()).isEqualTo("学校家庭社会协同育人行动");
    assertThat(policy.getActions()).extracting(Action::getGoalNos)
        .containsExactly(List.of(1), List.of(2), List.of(), List.of(), List.of(), List.of(3));
    assertThat(policy.getMeasures()).allSatisfy(m ->
        assertThat(policy.getActions().get(m.getActionNo() - 1).getMeasureNos()).contains(m.getNo()));
  }

  @Test
  void measureOneWorkItemsAreItsSentencesWithThePageBreakJoined() {
    Measure m1 = measure(1);
    assertThat(m1.getTitle()).isEqualTo("健全科学课程体系");
    assertThat(m1.getWorkItems()).containsExactly(
        "基于集团化办学育人新载体,一体化设计成员校科学类课程、课后服务和课外实践活动,强化小初高学段衔接。",
        "全面落实课程方案、课程标准,用好新修订教材,开齐开足开好科学类国家课程。",
        "围绕数学、物理、化学等基础学科,以及人工智能、量子信息、生物技术等前沿技术领域,支持学校开发高质量的科学类校本课程和实践活动,"
            + "注重渗透科学思想、科学方法、科学思维、科学逻辑以及科学史等科学素养,浸润人文社会科学素养。",
        "开展中小学科学类课程实施监测,为科学教育提质提供规范支撑。");
    assertThat(m1.getText()).startsWith("健全科学课程体系。基于").doesNotContain("责任单位").doesNotContain("\n");
  }

  @Test
  void measuresSplitByPageBreaksAreWhole() {
    assertThat(measure(4).getText()).contains("笔试化、视频化和记忆化倾向");
    assertThat(measure(6).getText()).endsWith("形成以“两节两营”为支撑的青少年创新人才发现培养体系。");
    assertThat(measure(14).getText()).contains("鼓励学生勤于探索、勇于实践");
    assertThat(measure(18).getText()).contains("打造多渠道传播展示平台").endsWith("亲子科学研学等活动。");
    assertThat(measure(19).getTitle()).isEqualTo("发挥实验区(校)示范引领作用");
    assertThat(policy.getMeasures()).allSatisfy(m -> {
      assertThat(m.getText()).doesNotContain("责任单位");
      assertThat(m.getTitleEn()).isNotBlank();
    });
  }

  @Test
  void kpisAndTheirTargets() {
    Map<String, Kpi> kpis = policy.getKpis().stream().collect(Collectors.toMap(Kpi::getCode, Function.identity()));
    assertThat(policy.getKpis()).extracting(Kpi::getCode).containsExactly(
        "INTERDISCIPLINARY_HOURS_SHARE", "LAB_EQUIPMENT_COMPLIANCE_RATE", "LAB_EQUIPMENT_USAGE_RATE",
        "PRIMARY_STEM_MASTER_TEACHERS", "SCHOOL_SCIENCE_TUTORS", "SCHOOL_SCIENCE_OUTREACH_PARTNERS",
        "SCIENCE_EDUCATION_BRANDS");
    assertKpi(kpis.get("INTERDISCIPLINARY_HOURS_SHARE"), 3, "10", "percent", KpiComparison.AT_LEAST, KpiLevel.SCHOOL, "不少于10%的课时");
    assertKpi(kpis.get("LAB_EQUIPMENT_COMPLIANCE_RATE"), 4, null, "percent", KpiComparison.TRACKED, KpiLevel.DISTRICT, "实验教学装备配备达标率、使用率监测");
    assertKpi(kpis.get("LAB_EQUIPMENT_USAGE_RATE"), 4, null, "percent", KpiComparison.TRACKED, KpiLevel.DISTRICT, "实验教学装备配备达标率、使用率监测");
    assertKpi(kpis.get("PRIMARY_STEM_MASTER_TEACHERS"), 9, "1", "persons", KpiComparison.AT_LEAST, KpiLevel.SCHOOL, "每所小学至少有1名具有理工类硕士学位的科学教师");
    assertKpi(kpis.get("SCHOOL_SCIENCE_TUTORS"), 11, "1", "persons", KpiComparison.AT_LEAST, KpiLevel.SCHOOL, "至少设立1名科技辅导员");
    assertKpi(kpis.get("SCHOOL_SCIENCE_OUTREACH_PARTNERS"), 11, "1", "institutions", KpiComparison.AT_LEAST, KpiLevel.SCHOOL, "至少结对1所科普机构");
    assertKpi(kpis.get("SCIENCE_EDUCATION_BRANDS"), 19, "100", "count", KpiComparison.AT_LEAST, KpiLevel.CITY, "打造 100 个科学教育特色品牌");
    assertThat(policy.getKpis()).allSatisfy(k -> assertThat(k.getDescriptionEn()).isNotBlank());
  }

  private static void assertKpi(Kpi kpi, int measureNo, String target, String unit, KpiComparison comparison,
      KpiLevel level, String source) {
    assertThat(kpi).isNotNull();
    assertThat(kpi.getMeasureNo()).isEqualTo(measureNo);
    if (target == null) {
      assertThat(kpi.getTarget()).isNull();
    } else {
      assertThat(kpi.getTarget()).isEqualByComparingTo(new BigDecimal(target));
    }
    assertThat(kpi.getUnit()).isEqualTo(unit);
    assertThat(kpi.getComparison()).isEqualTo(comparison);
    assertThat(kpi.getLevel()).isEqualTo(level);
    assertThat(kpi.getSourceText()).contains(source);
  }

  @Test
  void committedNoticeIsTheSeedAsPublished() {
    assertThat(Catalogues.noticeText()).contains("门、工业和信息化主管部门").contains("浸润人文社会科\n\n学素养");
  }

  private Measure measure(int no) {
    return policy.getMeasures().get(no - 1);
  }

  private Unit unit(String code) {
    return policy.getUnits().stream().filter(u -> u.getCode().equals(code)).findFirst().orElseThrow();
  }

  private List<String> shortNames(List<String> codes) {
    return codes.stream().map(c -> unit(c).getShortName()).toList();
  }
}
