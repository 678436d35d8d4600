package cn.beijing.scienceedu.reporting.export;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.apache.poi.ss.usermodel.BorderStyle;
import org.apache.poi.ss.usermodel.Cell;
import org.apache.poi.ss.usermodel.CellStyle;
import org.apache.poi.ss.usermodel.FillPatternType;
import org.apache.poi.ss.usermodel.Font;
import org.apache.poi.ss.usermodel.IndexedColors;
import org.apache.poi.ss.usermodel.Row;
import org.apache.poi.ss.usermodel.Sheet;
import org.apache.poi.xssf.usermodel.XSSFWorkbook;
import org.apache.poi.xwpf.model.XWPFHeaderFooterPolicy;
import org.apache.poi.xwpf.usermodel.ParagraphAlignment;
import org.apache.poi.xwpf.usermodel.XWPFDocument;
import org.apache.poi.xwpf.usermodel.XWPFHeader;
import org.apache.poi.xwpf.usermodel.XWPFParagraph;
import org.apache.poi.xwpf.usermodel.XWPFRun;
import org.apache.poi.xwpf.usermodel.XWPFTable;
import org.apache.poi.xwpf.usermodel.XWPFTableRow;
import org.springframework.stereotype.Component;

import com.lowagie.text.Document;
import com.lowagie.text.DocumentException;
import com.lowagie.text.Element;
import com.lowagie.text.PageSize;
import com.lowagie.text.Paragraph;
import com.lowagie.text.Phrase;
import com.lowagie.text.Rectangle;
import com.lowagie.text.pdf.BaseFont;
import com.lowagie.text.pdf.PdfContentByte;
import com.lowagie.text.pdf.PdfGState;
import com.lowagie.text.pdf.PdfPCell;
import com.lowagie.text.pdf.PdfPTable;
import com.lowagie.text.pdf.PdfPageEventHelper;
import com.lowagie.text.pdf.PdfWriter;

import cn.beijing.scienceedu.contracts.reporting.model.Circular;
import cn.beijing.scienceedu.contracts.reporting.model.CircularEntry;
import cn.beijing.scienceedu.contracts.reporting.model.JointReport;
import cn.beijing.scienceedu.contracts.reporting.model.RiskItem;
import cn.beijing.scienceedu.reporting.labels.Labels;
import cn.beijing.scienceedu.reporting.ReportingProperties;
import cn.beijing.scienceedu.reporting.export.ReportTables.Table;

/**
 * Joint report as CSV, XLSX (a sheet per view) and PDF (Chinese, CJK font); the circular (final or draft) as DOCX and
 * PDF.
 */
@Component
public class ReportExporter {

    public static final String XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    public static final String DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private final ReportingProperties properties;
    private final Labels labels;
    private volatile BaseFont font;

    public ReportExporter(ReportingProperties properties, Labels labels) {
        this.properties = properties;
        this.labels = labels;
    }

    /** UTF-8 with a byte-order mark (so spreadsheet programs read the Chinese right), one section per view. */
    public byte[] csv(JointReport report, boolean en) {
        StringWriter out = new StringWriter();
        out.write('\uFEFF');
        try (CSVPrinter p = new CSVPrinter(out, CSVFormat.DEFAULT)) {
            p.printRecord(ReportTables.title(report, en));
            for (Table t : ReportTables.tables(report, labels.lang(en))) {
                p.println();
                p.printRecord("# " + t.title());
                p.printRecord(t.headers());
                for (List<Object> row : t.rows()) {
                    p.printRecord(row);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    public byte[] xlsx(JointReport report, boolean en) {
        try (XSSFWorkbook wb = new XSSFWorkbook(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            CellStyle head = wb.createCellStyle();
            Font bold = wb.createFont();
            bold.setBold(true);
            head.setFont(bold);
            head.setFillForegroundColor(IndexedColors.GREY_25_PERCENT.getIndex());
            head.setFillPattern(FillPatternType.SOLID_FOREGROUND);
            head.setBorderBottom(BorderStyle.THIN);
            CellStyle wrap = wb.createCellStyle();
            wrap.setWrapText(true);
            for (Table t : ReportTables.tables(report, labels.lang(en))) {
                Sheet sheet = wb.createSheet(t.title());
                int[] widths = new int[t.headers().size()];
                Row h = sheet.createRow(0);
                for (int i = 0; i < t.headers().size(); i++) {
                    Cell c = h.createCell(i);
                    c.setCellValue(t.headers().get(i));
                    c.setCellStyle(head);
                    widths[i] = displayWidth(t.headers().get(i));
                }
                int r = 1;
                for (List<Object> row : t.rows()) {
                    Row x = sheet.createRow(r++);
                    for (int i = 0; i < row.size(); i++) {
                        Cell c = x.createCell(i);
                        Object v = row.get(i);
                        if (v instanceof Number n) {
                            c.setCellValue(n.doubleValue());
                        } else {
                            c.setCellValue(String.valueOf(v));
                            c.setCellStyle(wrap);
                        }
                        widths[i] = Math.max(widths[i], displayWidth(String.valueOf(v)));
                    }
                }
                for (int i = 0; i < widths.length; i++) {
                    // characters → 1/256 of a character width, CJK counted double, capped at 60
                    sheet.setColumnWidth(i, Math.min(60, Math.max(8, widths[i] + 2)) * 256);
                }
                sheet.createFreezePane(0, 1);
            }
            wb.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] pdf(JointReport report, boolean en) {
        BaseFont bf = font();
        com.lowagie.text.Font titleFont = new com.lowagie.text.Font(bf, 16, com.lowagie.text.Font.BOLD);
        com.lowagie.text.Font headFont = new com.lowagie.text.Font(bf, 12, com.lowagie.text.Font.BOLD);
        com.lowagie.text.Font cellHead = new com.lowagie.text.Font(bf, 8, com.lowagie.text.Font.BOLD);
        com.lowagie.text.Font cellFont = new com.lowagie.text.Font(bf, 8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4.rotate(), 28, 28, 28, 28);
        try {
            PdfWriter.getInstance(doc, out);
            doc.addTitle(ReportTables.title(report, en));
            doc.open();
            Paragraph title = new Paragraph(ReportTables.title(report, en), titleFont);
            title.setAlignment(Element.ALIGN_CENTER);
            title.setSpacingAfter(8);
            doc.add(title);
            for (Table t : ReportTables.tables(report, labels.lang(en))) {
                Paragraph p = new Paragraph(t.title(), headFont);
                p.setSpacingBefore(10);
                p.setSpacingAfter(4);
                doc.add(p);
                PdfPTable table = new PdfPTable(t.headers().size());
                table.setWidthPercentage(100);
                float[] widths = new float[t.headers().size()];
                for (int i = 0; i < widths.length; i++) {
                    int w = displayWidth(t.headers().get(i));
                    for (List<Object> row : t.rows()) {
                        w = Math.max(w, displayWidth(String.valueOf(row.get(i))));
                    }
                    widths[i] = Math.min(40, Math.max(4, w));
                }
                table.setWidths(widths);
                table.setHeaderRows(1);
                for (String hdr : t.headers()) {
                    PdfPCell c = new PdfPCell(new Phrase(hdr, cellHead));
                    c.setBackgroundColor(new Color(230, 230, 230));
                    table.addCell(c);
                }
                for (List<Object> row : t.rows()) {
                    for (Object v : row) {
                        table.addCell(new PdfPCell(new Phrase(String.valueOf(v), cellFont)));
                    }
                }
                if (t.rows().isEmpty()) {
                    PdfPCell c = new PdfPCell(new Phrase(en ? "none" : "无", cellFont));
                    c.setColspan(t.headers().size());
                    table.addCell(c);
                }
                doc.add(table);
            }
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("PDF export failed", e);
        }
        return out.toByteArray();
    }

    /** The mark a draft circular carries on every page (its header line and its watermark). */
    public static final String DRAFT_MARK = "草稿 / DRAFT";

    /**
     * The circular (情况通报) as a Word document. A draft ({@code draft} true) is the same document with the draft
     * mark on every page — a header line and a diagonal watermark in the headers of every kind (default, first and
     * even pages) of its one section — "（草稿）" in its title and, in place of the close's time and hash, when its
     * figures are from.
     */
    public byte[] circularDocx(Circular c, String policyTitle) {
        boolean draft = Boolean.TRUE.equals(c.getDraft());
        try (XWPFDocument doc = new XWPFDocument(); ByteArrayOutputStream out = new ByteArrayOutputStream()) {
            if (draft) {
                draftHeaders(doc, c);
            }
            XWPFParagraph title = doc.createParagraph();
            title.setAlignment(ParagraphAlignment.CENTER);
            XWPFRun tr = title.createRun();
            tr.setBold(true);
            tr.setFontSize(18);
            tr.setFontFamily("SimSun");
            tr.setText(circularTitle(c, policyTitle));
            XWPFParagraph intro = doc.createParagraph();
            XWPFRun ir = intro.createRun();
            ir.setFontFamily("SimSun");
            ir.setText(circularIntro(c));
            XWPFTable table = doc.createTable(1, 8);
            XWPFTableRow h = table.getRow(0);
            for (int i = 0; i < CIRCULAR_HEADERS.length; i++) {
                h.getCell(i).setText(CIRCULAR_HEADERS[i]);
            }
            for (CircularEntry e : c.getEntries()) {
                XWPFTableRow r = table.createRow();
                String[] cells = entryCells(e);
                for (int i = 0; i < cells.length; i++) {
                    r.getCell(i).setText(cells[i]);
                }
            }
            atRiskSection(doc, c.getAtRisk());
            XWPFParagraph foot = doc.createParagraph();
            foot.createRun().setText(circularFoot(c));
            doc.write(out);
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The circular as PDF (A4, CJK font): the same text as the DOCX. Every page carries a header line — a draft's the
     * draft mark and when its figures are from, with a diagonal watermark under the page's content; the final one its
     * title and close — and its page number.
     */
    public byte[] circularPdf(Circular c, String policyTitle) {
        boolean draft = Boolean.TRUE.equals(c.getDraft());
        BaseFont bf = font();
        com.lowagie.text.Font titleFont = new com.lowagie.text.Font(bf, 16, com.lowagie.text.Font.BOLD);
        com.lowagie.text.Font headFont = new com.lowagie.text.Font(bf, 12, com.lowagie.text.Font.BOLD);
        com.lowagie.text.Font bold = new com.lowagie.text.Font(bf, 10, com.lowagie.text.Font.BOLD);
        com.lowagie.text.Font text = new com.lowagie.text.Font(bf, 10);
        com.lowagie.text.Font cellHead = new com.lowagie.text.Font(bf, 9, com.lowagie.text.Font.BOLD);
        com.lowagie.text.Font cellFont = new com.lowagie.text.Font(bf, 9);
        String headerLine = draft ? draftLine(c)
                : circularTitle(c, policyTitle) + "　正式通报 · 关账时间 " + beijing(c.getClosedAt());
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Document doc = new Document(PageSize.A4, 48, 48, 64, 48);
        try {
            PdfWriter writer = PdfWriter.getInstance(doc, out);
            writer.setPageEvent(new PdfPageEventHelper() {
                @Override
                public void onEndPage(PdfWriter w, Document d) {
                    Rectangle page = d.getPageSize();
                    PdfContentByte over = w.getDirectContent();
                    over.saveState();
                    over.beginText();
                    over.setFontAndSize(bf, 9);
                    over.setColorFill(draft ? new Color(180, 30, 30) : Color.DARK_GRAY);
                    over.showTextAligned(Element.ALIGN_CENTER, headerLine, page.getWidth() / 2, page.getHeight() - 36, 0);
                    over.setColorFill(Color.DARK_GRAY);
                    over.showTextAligned(Element.ALIGN_CENTER, "第 " + w.getPageNumber() + " 页", page.getWidth() / 2, 24, 0);
                    over.endText();
                    over.restoreState();
                    if (draft) {
                        PdfContentByte under = w.getDirectContentUnder();
                        under.saveState();
                        PdfGState faint = new PdfGState();
                        faint.setFillOpacity(0.12f);
                        under.setGState(faint);
                        under.beginText();
                        under.setFontAndSize(bf, 96);
                        under.setColorFill(new Color(180, 30, 30));
                        under.showTextAligned(Element.ALIGN_CENTER, "草稿 DRAFT", page.getWidth() / 2, page.getHeight() / 2, 45);
                        under.endText();
                        under.restoreState();
                    }
                }
            });
            doc.addTitle(circularTitle(c, policyTitle));
            doc.open();
            Paragraph title = new Paragraph(circularTitle(c, policyTitle), titleFont);
            title.setAlignment(Element.ALIGN_CENTER);
            title.setSpacingAfter(10);
            doc.add(title);
            Paragraph intro = new Paragraph(circularIntro(c), text);
            intro.setSpacingAfter(8);
            doc.add(intro);
            PdfPTable table = new PdfPTable(CIRCULAR_HEADERS.length);
            table.setWidthPercentage(100);
            table.setWidths(new float[] {4, 10, 5, 8, 8, 5, 5, 5});
            table.setHeaderRows(1);
            for (String hdr : CIRCULAR_HEADERS) {
                PdfPCell cell = new PdfPCell(new Phrase(hdr, cellHead));
                cell.setBackgroundColor(new Color(230, 230, 230));
                table.addCell(cell);
            }
            for (CircularEntry e : c.getEntries()) {
                for (String v : entryCells(e)) {
                    table.addCell(new PdfPCell(new Phrase(v, cellFont)));
                }
            }
            if (c.getEntries().isEmpty()) {
                PdfPCell none = new PdfPCell(new Phrase("无", cellFont));
                none.setColspan(CIRCULAR_HEADERS.length);
                table.addCell(none);
            }
            doc.add(table);
            if (c.getAtRisk() != null) {
                Paragraph h = new Paragraph(RISK_HEADING, headFont);
                h.setSpacingBefore(12);
                h.setSpacingAfter(4);
                doc.add(h);
                if (c.getAtRisk().isEmpty()) {
                    doc.add(new Paragraph(NO_RISK, text));
                }
                int i = 1;
                for (RiskItem x : c.getAtRisk()) {
                    Paragraph p = new Paragraph(riskTitle(i++, x), bold);
                    p.setSpacingBefore(6);
                    doc.add(p);
                    for (String[] l : riskLines(x)) {
                        doc.add(new Paragraph(l[0] + l[1], text));
                    }
                }
            }
            Paragraph foot = new Paragraph(circularFoot(c), text);
            foot.setSpacingBefore(12);
            doc.add(foot);
            doc.close();
        } catch (DocumentException e) {
            throw new IllegalStateException("PDF export failed", e);
        }
        return out.toByteArray();
    }

    /** Whether PDF can be made here (a CJK font is installed): the dashboard offers PDF only then. */
    public boolean pdfAvailable() {
        try {
            font();
            return true;
        } catch (IllegalStateException e) {
            return false;
        }
    }

    private static final String[] CIRCULAR_HEADERS = {"排名", "单位", "任务数", "按时签收率(%)", "按时报送率(%)", "逾期数", "退回数", "得分"};
    private static final String RISK_HEADING = "二、风险任务（黄/红）及存在问题";
    private static final String NO_RISK = "本期无风险任务。";

    private static String circularTitle(Circular c, String policyTitle) {
        String subject = policyTitle == null ? c.getPolicyId() : policyTitle;
        // a notice's title already reads "关于…": not "关于关于…"
        return (subject.startsWith("关于") ? "" : "关于") + subject + "落实情况的通报（" + c.getPeriod() + "）"
                + (Boolean.TRUE.equals(c.getDraft()) ? "（草稿）" : "");
    }

    private static String circularIntro(Circular c) {
        return "各有关单位：现将 " + c.getPeriod() + " 各责任单位任务签收、进展报送、逾期及退回情况通报如下。评分规则：基础分"
                + fmt(c.getScoringRule().getBase()) + "分，按时签收率×" + fmt(c.getScoringRule().getSignForOnTimeWeight())
                + "，按时报送率×" + fmt(c.getScoringRule().getReportOnTimeWeight()) + "，每项逾期扣"
                + fmt(c.getScoringRule().getOverduePenalty()) + "分，每次退回扣" + fmt(c.getScoringRule().getReturnedPenalty())
                + "分。";
    }

    private static String[] entryCells(CircularEntry e) {
        return new String[] {String.valueOf(e.getRank()), e.getShortName(), String.valueOf(e.getTaskCount()),
                fmt(e.getSignForOnTimeRate()), fmt(e.getReportOnTimeRate()), String.valueOf(e.getOverdueCount()),
                String.valueOf(e.getReturnedCount()), fmt(e.getScore())};
    }

    private String circularFoot(Circular c) {
        if (Boolean.TRUE.equals(c.getDraft())) {
            return DRAFT_MARK + "：本期尚未关账，本稿依据截至 " + beijing(c.getAsOf())
                    + "（北京时间）的数据生成，仅供审阅，不作为正式通报；正式通报在关账时印发，以关账冻结的数据为准。";
        }
        return "关账时间：" + c.getClosedAt() + "　快照哈希（SHA-256）：" + c.getContentHash();
    }

    private String draftLine(Circular c) {
        return DRAFT_MARK + "　非正式通报 · 数据截至 " + beijing(c.getAsOf()) + "（北京时间） · 以关账后的正式通报为准";
    }

    private String beijing(java.time.OffsetDateTime t) {
        return t == null ? "—" : t.atZoneSameInstant(properties.zoneId())
                .format(java.time.format.DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm"));
    }

    /**
     * The draft's marks in every header of its one section (default, first-page and even-page: whichever a reader's
     * settings use, every page shows them): POI's diagonal watermark and a line with the mark and the time of the
     * figures.
     */
    private void draftHeaders(XWPFDocument doc, Circular c) {
        XWPFHeaderFooterPolicy policy = doc.createHeaderFooterPolicy();
        policy.createWatermark("草稿 DRAFT");
        for (XWPFHeader header : List.of(policy.getDefaultHeader(), policy.getFirstPageHeader(), policy.getEvenPageHeader())) {
            XWPFParagraph p = header.createParagraph();
            p.setAlignment(ParagraphAlignment.CENTER);
            XWPFRun r = p.createRun();
            r.setBold(true);
            r.setColor("B41E1E");
            r.setFontFamily("SimSun");
            r.setText(draftLine(c));
        }
    }

    /** 风险任务: each task rated AMBER or RED with its 存在问题 and 下一步计划 as its bureau last reported them. */
    private void atRiskSection(XWPFDocument doc, List<RiskItem> atRisk) {
        if (atRisk == null) {
            return; // a circular frozen before tasks at risk were part of it
        }
        XWPFParagraph h = doc.createParagraph();
        XWPFRun hr = h.createRun();
        hr.setBold(true);
        hr.setFontFamily("SimSun");
        hr.setText(RISK_HEADING);
        if (atRisk.isEmpty()) {
            XWPFRun n = doc.createParagraph().createRun();
            n.setFontFamily("SimSun");
            n.setText(NO_RISK);
            return;
        }
        int i = 1;
        for (RiskItem x : atRisk) {
            XWPFParagraph p = doc.createParagraph();
            XWPFRun title = p.createRun();
            title.setBold(true);
            title.setFontFamily("SimSun");
            title.setText(riskTitle(i++, x));
            for (String[] l : riskLines(x)) {
                line(doc, l[0], l[1]);
            }
        }
    }

    private String riskTitle(int i, RiskItem x) {
        Labels.Lang zh = labels.lang(false);
        return i + ". " + x.getUnitShortName() + " · 措施" + x.getMeasureNo()
                + (x.getMeasureTitle() == null ? "" : " " + x.getMeasureTitle()) + "（" + zh.role(x.getRole()) + "）："
                + zh.rating(x.getRating().getValue())
                + (x.getRatingReason() == null ? "" : "，" + zh.reason(x.getRatingReason()))
                + "；状态 " + zh.status(x.getStatus()) + "，完成度 " + x.getPercentComplete() + "%"
                + (x.getBureauStatus() == null ? "" : "，自评 " + zh.reportStatus(x.getBureauStatus()))
                + (x.getDeadline() == null ? "" : "，截止 " + x.getDeadline()
                        + (Boolean.FALSE.equals(x.getCalendarKnown()) ? "（" + zh.text("calendar.unknown") + "）" : ""))
                + "。";
    }

    /** The lines under a task at risk: label and text (the text "（未填报）" where the bureau said nothing). */
    private static List<String[]> riskLines(RiskItem x) {
        List<String[]> lines = new java.util.ArrayList<>();
        lines.add(new String[] {"存在问题：", orNone(x.getProblems())});
        lines.add(new String[] {"下一步计划：", orNone(x.getNextSteps())});
        if (x.getEvidence() != null && !x.getEvidence().isEmpty()) {
            lines.add(new String[] {"佐证材料：", orNone(ReportTables.evidence(x.getEvidence()).replace("\n", "；"))});
        }
        if (x.getReporter() != null || x.getReportedAt() != null) {
            lines.add(new String[] {"填报：", orNone((x.getReporter() == null ? "" : x.getReporter() + " ")
                    + (x.getReportedAt() == null ? "" : x.getReportedAt().toString()))});
        }
        return lines;
    }

    private static String orNone(String text) {
        return text == null || text.isBlank() ? "（未填报）" : text;
    }

    private static void line(XWPFDocument doc, String label, String text) {
        XWPFRun r = doc.createParagraph().createRun();
        r.setFontFamily("SimSun");
        r.setText(label + text);
    }

    private static String fmt(Double d) {
        if (d == null) {
            return "";
        }
        return d == Math.rint(d) ? String.valueOf(d.longValue()) : String.valueOf(d);
    }

    private static int displayWidth(String s) {
        int w = 0;
        for (int i = 0; i < s.length(); i++) {
            w += s.charAt(i) > 0x2E80 ? 2 : 1;
        }
        return w;
    }

    BaseFont font() {
        BaseFont f = font;
        if (f != null) {
            return f;
        }
        for (String candidate : properties.pdf().fonts()) {
            String path = candidate.contains(",") ? candidate.substring(0, candidate.lastIndexOf(',')) : candidate;
            if (!new File(path).isFile()) {
                continue;
            }
            try {
                f = BaseFont.createFont(candidate, BaseFont.IDENTITY_H, BaseFont.EMBEDDED);
                font = f;
                return f;
            } catch (IOException | RuntimeException e) {
                // try the next one
            }
        }
        throw new IllegalStateException("no CJK font for PDF export; install fonts-wqy-zenhei or fonts-noto-cjk "
                + "(apt-get install) or set hub.reporting.pdf.fonts: " + properties.pdf().fonts());
    }
}
