package dev.leakdx.report;

import dev.leakdx.explain.Report;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.CustomNode;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.Node;
import org.commonmark.parser.Parser;
import org.commonmark.renderer.html.HtmlRenderer;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Markdown report parsed as GitHub renders it (CommonMark with GFM tables): values from a
 * capture (case.yaml, file names, cited lines) carrying {@code <script>}, {@code <img onerror>},
 * backticks and {@code |} become text, never HTML, never a broken code span or table.
 */
class MarkdownReportTest {
    static final String TICKS = "a`b``c` | d";
    static final Parser PARSER = Parser.builder().extensions(List.of(TablesExtension.create())).build();

    static Report hostile() {
        Report e = HtmlReportTest.evil();
        String payload = HtmlReportTest.EVIL + TICKS;
        Map<String, Report.HostValue> host = new java.util.LinkedHashMap<>(e.host());
        host.put("hostname", new Report.HostValue(payload, "case.yaml host: " + payload, "case.yaml:2"));
        var d = e.diagnostics();
        List<Report.FileView> files = new ArrayList<>(d.files());
        files.add(new Report.FileView("proc/" + TICKS + "<img src=x onerror=alert(2)>", "meminfo", 10, 0, 0));
        return new Report(e.schema(), e.tool(), "capture " + payload, host, e.budget(), e.verdicts(), e.considered(), e.findings(),
                new Report.Diagnostics(files, d.messages(), d.unknownSections(), List.of(new Report.Missing("in|put " + payload, "hint " + payload))),
                e.exitCode());
    }

    @Test void captureValuesAreTextNeverHtml() {
        String md = MarkdownReport.render(hostile());
        Node doc = PARSER.parse(md);
        List<String> html = new ArrayList<>();
        doc.accept(new AbstractVisitor() {
            @Override public void visit(HtmlInline n) { html.add(n.getLiteral()); }
            @Override public void visit(HtmlBlock n) { html.add(n.getLiteral()); }
        });
        // the only HTML is the report's own collapsible explanation trees
        for (String h : html)
            assertTrue(h.strip().matches("(?s)(<details><summary>Explanation tree</summary>|</details>)\\s*"), "HTML from the capture: " + h);
        String rendered = HtmlRenderer.builder().build().render(doc);
        assertFalse(rendered.contains("<script"), "no script element");
        assertFalse(rendered.contains("<img"), "no img element");
        assertTrue(rendered.contains("&lt;script&gt;alert('x')&lt;/script&gt;") || rendered.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
                "the payload is shown as text");
    }

    @Test void backticksStayInsideTheirCodeSpan() {
        String md = MarkdownReport.render(hostile());
        List<String> codes = new ArrayList<>();
        PARSER.parse(md).accept(new AbstractVisitor() {
            @Override public void visit(Code c) { codes.add(c.getLiteral()); }
        });
        String file = "proc/" + TICKS + "<img src=x onerror=alert(2)>";
        assertTrue(codes.contains(file), "the file name is one code span, whole: " + codes);
        assertTrue(codes.contains(HtmlReportTest.EVIL + ":7"), "a cite with HTML in it is one code span: " + codes);
    }

    @Test void pipesDoNotBreakTables() {
        String md = MarkdownReport.render(hostile());
        List<Integer> widths = new ArrayList<>();
        List<String> cellTexts = new ArrayList<>();
        PARSER.parse(md).accept(new AbstractVisitor() {
            @Override public void visit(CustomBlock b) {
                if (b instanceof TableBlock) {
                    int first = -1;
                    for (Node row = b.getFirstChild().getFirstChild(); row != null; row = row.getNext()) { // header section rows
                        first = cells(row).size();
                    }
                    check(b, first);
                }
                visitChildren(b);
            }

            void check(Node n, int expected) {
                for (Node c = n.getFirstChild(); c != null; c = c.getNext()) {
                    if (c instanceof TableRow row) {
                        widths.add(cells(row).size() - expected);
                        for (Node cell : cells(row)) cellTexts.add(text(cell));
                    } else check(c, expected);
                }
            }
        });
        assertTrue(widths.size() > 8, "rows checked: " + widths.size());
        assertTrue(widths.stream().allMatch(w -> w == 0), "every row has its header's cells: " + widths);
        assertTrue(cellTexts.stream().anyMatch(t -> t.contains("in|put")), "a | in a value stays in its cell: " + cellTexts);
    }

    static List<Node> cells(Node row) {
        List<Node> out = new ArrayList<>();
        for (Node c = row.getFirstChild(); c != null; c = c.getNext()) if (c instanceof TableCell) out.add(c);
        return out;
    }

    static String text(Node n) {
        StringBuilder b = new StringBuilder();
        n.accept(new AbstractVisitor() {
            @Override public void visit(org.commonmark.node.Text t) { b.append(t.getLiteral()); }
            @Override public void visit(Code c) { b.append(c.getLiteral()); }
        });
        return b.toString();
    }

    @Test void escapingHelpers() {
        assertEquals("&lt;img src=x onerror=alert(1)&gt; a\\|b \\`c\\`", MarkdownReport.esc("<img src=x onerror=alert(1)> a|b `c`"));
        assertEquals("``a`b``", MarkdownReport.code("a`b", false));
        assertEquals("``` `x``y` ```", MarkdownReport.code("`x``y`", false), "a span that starts with a backtick is padded");
        assertEquals("`a\\|b`", MarkdownReport.code("a|b", true));
    }

    @Test void theAnswerComesFirst() {
        String md = MarkdownReport.render(HtmlReportTest.evil());
        String[] l = md.split("\n");
        assertTrue(l[2].startsWith("**1 finding: CRITICAL CODE&lt;script&gt;"), l[2]);
        assertTrue(md.indexOf("## 1. ") < md.indexOf("## Host") && md.indexOf("## Host") < md.indexOf("## Input"));
    }
}
