package cn.beijing.scienceedu.reporting.export;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.text.PDFTextStripper;
import org.apache.poi.xwpf.extractor.XWPFWordExtractor;
import org.apache.poi.xwpf.model.XWPFHeaderFooterPolicy;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFHeader;
import org.junit.jupiter.api.Test;
import org.springframework.context.support.ResourceBundleMessageSource;

import cn.beijing.scienceedu.contracts.reporting.model.Circular;
import cn.beijing.scienceedu.contracts.reporting.model.CircularEntry;
import cn.beijing.scienceedu.contracts.reporting.model.RiskItem;
import cn.beijing.scienceedu.contracts.reporting.model.ScoringRule;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.labels.Labels;

/**
 * Plain JUnit: the circular's documents. A draft carries its mark on every page — in the PDF, checked page by page
 * with PDFBox; in the DOCX, in every kind of header of its one section (default, first and even pages), with the
 * watermark — the final one none of it; the same tables and text otherwise. PDF is offered only with a CJK font.
 */
class CircularDocumentsTest {

    private static final List<String> FONTS = List.of("/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc,0",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc,2");

    private final ReportExporter exporter = exporter(FONTS);

    @Test
    void aDraftIsMarkedOnEveryPageOfItsPdfAndInEveryHeaderOfItsDocx() throws Exception {
        Circular draft = circular(true);
        byte[] pdf = exporter.circularPdf(draft, "科学教育二十条");
        try (PDDocument doc = Loader.loadPDF(pdf)) {
            assertThat(doc.getNumberOfPages()).isGreaterThanOrEqualTo(3);
            for (int page = 1; page <= doc.getNumberOfPages(); page++) {
                PDFTextStripper s = new PDFTextStripper();
                s.setStartPage(page);
                s.setEndPage(page);
                assertThat(s.getText(doc)).as("page " + page).contains(ReportExporter.DRAFT_MARK).contains("非正式通报")
                        .contains("2025-03-20 17:30").contains("第 " + page + " 页");
            }
            assertThat(new PDFTextStripper().getText(doc)).contains("（草稿）").contains("问题 40").contains("市教委");
        }
        byte[] docx = exporter.circularDocx(draft, "科学教育二十条");
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(docx));
                XWPFWordExtractor x = new XWPFWordExtractor(doc)) {
            XWPFHeaderFooterPolicy policy = new XWPFHeaderFooterPolicy(doc);
            for (XWPFHeader h : new XWPFHeader[] {policy.getDefaultHeader(), policy.getFirstPageHeader(),
                    policy.getEvenPageHeader()}) {
                assertThat(h).isNotNull();
                assertThat(h.getText()).contains(ReportExporter.DRAFT_MARK).contains("2025-03-20 17:30");
                assertThat(h._getHdrFtr().xmlText()).contains("PowerPlusWaterMarkObject");
            }
            assertThat(doc.getParagraphs()).allSatisfy(p -> assertThat(
                    p.getCTP().getPPr() == null || p.getCTP().getPPr().getSectPr() == null).isTrue());
            assertThat(x.getText()).contains("（草稿）").contains("问题 40").doesNotContain("关账时间");
            assertThat(doc.getTables().get(0).getRows()).hasSize(4);
        }
    }

    @Test
    void theFinalCircularCarriesNoDraftMark() throws Exception {
        Circular fin = circular(false);
        try (XWPFDocument doc = new XWPFDocument(new ByteArrayInputStream(exporter.circularDocx(fin, "科学教育二十条")));
                XWPFWordExtractor x = new XWPFWordExtractor(doc)) {
            assertThat(doc.getHeaderList()).isEmpty();
            assertThat(x.getText()).doesNotContain("草稿").doesNotContain("DRAFT").contains("关账时间").contains("abc123")
                    .contains("问题 40");
            assertThat(doc.getTables().get(0).getRows()).hasSize(4);
        }
        try (PDDocument doc = Loader.loadPDF(exporter.circularPdf(fin, "科学教育二十条"))) {
            for (int page = 1; page <= doc.getNumberOfPages(); page++) {
                PDFTextStripper s = new PDFTextStripper();
                s.setStartPage(page);
                s.setEndPage(page);
                assertThat(s.getText(doc)).as("page " + page).contains("正式通报").doesNotContain("草稿")
                        .doesNotContain("DRAFT");
            }
        }
    }

    @Test
    void pdfIsOfferedOnlyWithACjkFont() {
        assertThat(exporter.pdfAvailable()).isTrue();
        assertThat(exporter(List.of("/nonexistent/font.ttc,0")).pdfAvailable()).isFalse();
    }

    private static ReportExporter exporter(List<String> fonts) {
        ReportingProperties props = new ReportingProperties(null, null, null, null, null, null,
                new ReportingProperties.Pdf(fonts), null, null, null);
        ResourceBundleMessageSource messages = new ResourceBundleMessageSource();
        messages.setBasenames("i18n/messages", "i18n/enums");
        messages.setDefaultEncoding("UTF-8");
        messages.setFallbackToSystemLocale(false);
        return new ReportExporter(props, new Labels(messages, props));
    }

    private static Circular circular(boolean draft) {
        Circular c = new Circular();
        c.setPolicyId("bj-sciedu-20-2024");
        c.setPeriod("2025-Q1");
        c.setDraft(draft);
        if (draft) {
            c.setAsOf(OffsetDateTime.of(2025, 3, 20, 9, 30, 0, 0, ZoneOffset.UTC));
        } else {
            c.setClosedAt(OffsetDateTime.of(2025, 4, 1, 1, 0, 0, 0, ZoneOffset.UTC));
            c.setContentHash("abc123");
        }
        ScoringRule rule = new ScoringRule();
        rule.setBase(60.0);
        rule.setSignForOnTimeWeight(20.0);
        rule.setReportOnTimeWeight(20.0);
        rule.setOverduePenalty(2.0);
        rule.setReturnedPenalty(1.0);
        c.setScoringRule(rule);
        List<CircularEntry> entries = new ArrayList<>();
        String[][] units = {{"SJW", "市教委"}, {"SKX", "市科协"}, {"TSW", "团市委"}};
        for (int i = 0; i < units.length; i++) {
            CircularEntry e = new CircularEntry();
            e.setRank(i + 1);
            e.setUnitCode(units[i][0]);
            e.setShortName(units[i][1]);
            e.setTaskCount(3);
            e.setSignForOnTimeRate(100.0);
            e.setReportOnTimeRate(50.0);
            e.setOverdueCount(i);
            e.setReturnedCount(0);
            e.setScore(90.0 - 2 * i);
            entries.add(e);
        }
        c.setEntries(entries);
        List<RiskItem> risks = new ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            RiskItem r = new RiskItem();
            r.setTaskId("t-" + i);
            r.setMeasureNo(1 + i % 20);
            r.setMeasureTitle("措施标题");
            r.setUnitCode("SJW");
            r.setUnitShortName("市教委");
            r.setRole("LEAD");
            r.setStatus("IN_PROGRESS");
            r.setPercentComplete(40);
            r.setRating(RiskItem.RatingEnum.AMBER);
            r.setRatingReason("BUREAU_AT_RISK");
            r.setBureauStatus("AT_RISK");
            r.setProblems("问题 " + i + "：场馆资源对接进度慢，两区尚未提供名单，经费拨付仍在办理。");
            r.setNextSteps("下一步 " + i + "：召开推进会，完成剩余区的资源清单。");
            risks.add(r);
        }
        c.setAtRisk(risks);
        return c;
    }
}
