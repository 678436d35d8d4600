package cn.beijing.scienceedu.contracts.catalogue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import cn.beijing.scienceedu.contracts.catalogue.model.Kpi;
import cn.beijing.scienceedu.contracts.catalogue.model.Measure;
import cn.beijing.scienceedu.contracts.catalogue.model.Policy;
import cn.beijing.scienceedu.contracts.catalogue.model.Unit;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The importer on altered and other notices: it reads the text, it does not know this one notice. */
class NoticeImporterTest {

  private static final String MEASURE_3_UNITS = "综合素质。(责任单位:市教委)";

  private final NoticeImporter importer = new NoticeImporter();
  private final String notice = Catalogues.noticeText();
  private final CatalogueOverlay overlay = Catalogues.defaultOverlay();

  @Test
  void alteredUnitsYieldADifferentCatalogue() {
    String altered = replaceOnce(notice, MEASURE_3_UNITS, "综合素质。(责任单位:市科协、市教委)");
    Policy policy = importer.importNotice(altered, overlay);
    Measure m3 = policy.getMeasures().get(2);
    assertThat(m3.getUnitCodes()).containsExactly("SKX", "SJW");
    assertThat(m3.getLeadUnitCode()).isEqualTo("SKX");
    assertThat(policy.getMeasures().stream().mapToInt(m -> m.getUnitCodes().size()).sum()).isEqualTo(123);
    assertThat(policy).isNotEqualTo(Catalogues.defaultPolicy());
  }

  @Test
  void anUnknownUnitIsRejectedByName() {
    String altered = replaceOnce(notice, MEASURE_3_UNITS, "综合素质。(责任单位:市教委、市外星事务局)");
    assertThatThrownBy(() -> importer.importNotice(altered, overlay))
        .isInstanceOf(CatalogueImportException.class)
        .hasMessageContaining("measure 3")
        .hasMessageContaining("市外星事务局");
  }

  @Test
  void aMeasureWithoutUnitsIsRejected() {
    String altered = replaceOnce(notice, MEASURE_3_UNITS, "综合素质。");
    assertThatThrownBy(() -> importer.importNotice(altered, overlay))
        .isInstanceOf(CatalogueImportException.class)
        .hasMessageContaining("measure 3")
        .hasMessageContaining("责任单位");
  }

  @Test
  void malformedNoticesAreRejectedWithTheLine() {
    assertThatThrownBy(() -> importer.importNotice(notice.replace("2024年12月24日", "二〇二四年"), overlay))
        .isInstanceOf(CatalogueImportException.class).hasMessageContaining("date");
    assertThatThrownBy(() -> importer.importNotice(replaceOnce(notice, "\n8. 支持", "\n9. 支持"), overlay))
        .isInstanceOf(CatalogueImportException.class).hasMessageContaining("measure 9 follows measure 7");
    String lostPage = notice.substring(0, notice.indexOf("\n20. "));
    assertThatThrownBy(() -> importer.importNotice(lostPage, overlay))
        .isInstanceOf(CatalogueImportException.class).hasMessageContaining("announces 20 measures but 19");
    assertThatThrownBy(() -> importer.importNotice("  ", overlay)).isInstanceOf(CatalogueImportException.class);
  }

  @Test
  void withoutAnOverlayOnlyTheUnitItCannotMatchFails() {
    assertThatThrownBy(() -> importer.importNotice(notice, CatalogueOverlay.empty()))
        .isInstanceOf(CatalogueImportException.class)
        .hasMessageContaining("measure 5")
        .hasMessageContaining("市少工委");

    CatalogueOverlay onlyIssuer = CatalogueOverlay.read(yaml("""
        units:
          - {shortName: 市少工委, issuer: 中国少年先锋队北京市工作委员会}
        """));
    Policy policy = importer.importNotice(notice, onlyIssuer);
    assertThat(policy.getId()).isEqualTo("policy-2024-12-24");
    assertThat(policy.getUnits()).extracting(Unit::getCode).startsWith("U01", "U02").hasSize(17);
    assertThat(policy.getUnits()).extracting(Unit::getShortName).startsWith("市教委", "市委宣传部(首都精神文明办)");
    assertThat(policy.getKpis()).extracting(Kpi::getCode).containsExactly(
        "M3_K1", "M4_K1", "M4_K2", "M9_K1", "M11_K1", "M11_K2", "M19_K1");
    assertThat(CatalogueSchema.validate(policy)).isEmpty();
  }

  @Test
  void anotherNoticeOfTheSameFormNeedsNoCodeChange() {
    String other = """
        各区教委，有关单位：
        现印发给你们，请认真贯彻落实。

        北京市教育委员会
        北京市科学技术协会
        北京市体育局

        2025年3月1日

        关于加强中小学体育与科学融合的 三条措施

        根据《某意见》(教体艺〔2025〕7号),围绕体质提升和科学运动两大目标,统筹推进融合课程、校园赛事两大行动,制定以下措施。

        一、坚持健康第一,实施融合课程行动

        1. 开设运动科学课程。每所中学至少有2名运动科学教师。开展课程实施

        监测。(责任单位:市教委、市体育局)

        2. 建设实验室。打造 30 个运动科学实验室。（责任单位：市科协、市教委）

        二、坚持以赛促学,实施校园赛事行动

        3. 举办赛事。开展学生体质达标率监测。
        (责任单位:市体育局)
        """;
    Policy policy = importer.importNotice(other, CatalogueOverlay.empty());
    assertThat(policy.getIssuers()).containsExactly("北京市教育委员会", "北京市科学技术协会", "北京市体育局");
    assertThat(policy.getTitle()).isEqualTo("关于加强中小学体育与科学融合的三条措施");
    assertThat(policy.getBasisDocument()).isEqualTo("教体艺〔2025〕7号");
    assertThat(policy.getGoals()).extracting(g -> g.getName()).containsExactly("体质提升", "科学运动");
    assertThat(policy.getActions()).extracting(a -> a.getMeasureNos()).containsExactly(List.of(1, 2), List.of(3));
    assertThat(policy.getMeasures()).extracting(Measure::getLeadUnitCode).containsExactly("U01", "U02", "U03");
    assertThat(policy.getMeasures().get(0).getWorkItems())
        .containsExactly("每所中学至少有2名运动科学教师。", "开展课程实施监测。");
    assertThat(policy.getKpis()).extracting(Kpi::getSourceText).containsExactly(
        "每所中学至少有2名运动科学教师", "打造 30 个运动科学实验室", "开展学生体质达标率监测");
    assertThat(CatalogueSchema.validate(policy)).isEmpty();
  }

  @Test
  void chineseNumbers() {
    assertThat(NoticeImporter.chineseNumber("六")).isEqualTo(6);
    assertThat(NoticeImporter.chineseNumber("二十")).isEqualTo(20);
    assertThat(NoticeImporter.chineseNumber("十二")).isEqualTo(12);
    assertThat(NoticeImporter.chineseNumber("两")).isEqualTo(2);
  }

  private static String replaceOnce(String text, String from, String to) {
    assertThat(text.indexOf(from)).as("'%s' occurs once", from).isEqualTo(text.lastIndexOf(from)).isNotNegative();
    return text.replace(from, to);
  }

  private static ByteArrayInputStream yaml(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }
}
