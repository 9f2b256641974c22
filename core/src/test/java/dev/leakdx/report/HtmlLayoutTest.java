package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import static dev.leakdx.report.HtmlReportTest.xml;
import static dev.leakdx.report.HtmlReportTest.xpath;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report on narrow screens and its figures (issue 14): the chart legible at 760 px and on
 * a phone, "confidence" explained wherever it is shown, and one rendering per byte count across
 * the whole page, on several real cases.
 */
class HtmlLayoutTest {
    /** kmem -i with two verdicts and a set-aside one, meminfo with a THP verdict, a crash pfrag case, a hugetlb meminfo, a healthy host. */
    static final List<String> CASES = List.of("case1-seed", "lab-thp-proc", "lab-pfrag", "hugetlb-idle-meminfo", "case2-proc", "healthy-pcp-002-xeon128g");
    static final Map<String, Report> reports = new LinkedHashMap<>();
    static final Map<String, String> pages = new LinkedHashMap<>();
    static final Pattern FIGURE = Pattern.compile("(?<![\\w.])\\d+(?:\\.\\d+)? (?:B|KiB|MiB|GiB|TiB)(?![\\w])");

    @BeforeAll
    static void render() throws Exception {
        for (String c : CASES) {
            Report r = HtmlReportTest.diagnose(HtmlReportTest.CASES.resolve(c));
            reports.put(c, r);
            pages.put(c, HtmlReport.render(r));
        }
    }

    /** A 360 px phone: its viewport less main's 12 px padding (narrow media rule) and the figure's 16 px padding and border on each side. */
    static final double PHONE_CHART_PX = 360 - 2 * 12 - 2 * 16 - 2;
    /** At 760 px: main keeps its 28 px padding; the compact drawing is capped at 560 px by the CSS. */
    static final double AT_760_CHART_PX = Math.min(560, 760 - 2 * 28 - 2 * 16 - 2);
    /** The narrowest screen that gets the wide drawing. */
    static final double WIDE_MIN_CHART_PX = HtmlReport.NARROW - 2 * 28 - 2 * 16 - 2;

    @Test
    void theCssSwapsTheWideChartForTheCompactOneOnNarrowScreens() {
        String css = HtmlReport.CSS;
        assertTrue(css.contains("svg.budget.compact{display:none}"), css);
        assertTrue(css.contains("@media (max-width:" + (HtmlReport.NARROW - 1) + "px){svg.budget.wide{display:none}svg.budget.compact{display:block;max-width:560px}}"), css);
        assertTrue(css.indexOf("svg.budget.compact{display:none}") < css.indexOf("@media (max-width:979px)"), "the media rule comes after the default");
        assertTrue(css.contains("svg.budget{display:block;width:100%;height:auto;"), "both drawings scale to their container");
        assertTrue(pages.get("case1-seed").contains("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />"), "phones lay the page out at their width");
    }

    @Test
    void everyChartHasAWideAndACompactDrawingWhoseTextStaysLegible() {
        int charts = 0;
        for (var e : pages.entrySet()) {
            Document d = xml(e.getValue());
            for (Element fig : xpath(d, "//figure[@class='chart']")) {
                List<Element> wide = xpath(fig, ".//svg[@class='budget wide']"), compact = xpath(fig, ".//svg[@class='budget compact']");
                if (wide.isEmpty() && compact.isEmpty()) continue; // an empty budget draws nothing
                assertEquals(1, wide.size(), e.getKey());
                assertEquals(1, compact.size(), e.getKey());
                assertEquals(wide.get(0).getAttribute("data-basis"), compact.get(0).getAttribute("data-compact-basis"));
                double wideW = Double.parseDouble(wide.get(0).getAttribute("viewBox").split(" ")[2]);
                double compactW = Double.parseDouble(compact.get(0).getAttribute("viewBox").split(" ")[2]);
                assertEquals(960, wideW);
                assertEquals(HtmlReport.COMPACT_W, compactW);
                // the same parts, the same verdict marks
                assertEquals(xpath(wide.get(0), ".//rect[@class='part']").stream().map(x -> x.getAttribute("data-key")).toList(),
                        xpath(compact.get(0), ".//rect[@class='part']").stream().map(x -> x.getAttribute("data-key")).toList());
                assertEquals(xpath(wide.get(0), ".//text[@class='marktext']").stream().map(x -> x.getAttribute("data-code")).toList(),
                        xpath(compact.get(0), ".//text[@class='marktext']").stream().map(x -> x.getAttribute("data-code")).toList());
                double minWide = minFont(wide.get(0)), minCompact = minFont(compact.get(0));
                // rendered text height = font size x (drawn width / viewBox width)
                assertTrue(minCompact * PHONE_CHART_PX / compactW >= 9.5, e.getKey() + ": " + minCompact * PHONE_CHART_PX / compactW + " px on a phone");
                assertTrue(minCompact * AT_760_CHART_PX / compactW >= 12, e.getKey() + ": " + minCompact * AT_760_CHART_PX / compactW + " px at 760");
                assertTrue(minWide * WIDE_MIN_CHART_PX / wideW >= 11, e.getKey() + ": " + minWide * WIDE_MIN_CHART_PX / wideW + " px at 980");
                // compact mark lines are cut to the drawing's width (7.2 units a character at 13)
                for (Element t : xpath(compact.get(0), ".//text[@class='marktext']/tspan[@dy]"))
                    assertTrue(t.getTextContent().length() * 7.2 <= compactW - 16, t.getTextContent());
                charts++;
            }
        }
        assertTrue(charts >= 5, "charts seen: " + charts);
    }

    static double minFont(Element svg) {
        double min = Double.MAX_VALUE;
        for (Element t : xpath(svg, ".//text[@font-size]")) min = Math.min(min, Double.parseDouble(t.getAttribute("font-size")));
        return min;
    }

    @Test
    void confidenceIsExplainedWhereverItIsShown() {
        for (var e : pages.entrySet()) {
            Report r = reports.get(e.getKey());
            Document d = xml(e.getValue());
            List<Element> labels = new ArrayList<>();
            for (Element x : xpath(d, "//*[normalize-space(text())='confidence']")) labels.add(x);
            int shown = r.verdicts().size() + r.considered().size() + (r.verdicts().isEmpty() ? 0 : 1); // each card, and the table's column
            assertEquals(shown, labels.size(), e.getKey());
            for (Element x : labels) {
                Element abbr = ancestor(x, "abbr");
                assertNotNull(abbr, e.getKey() + ": a 'confidence' without its explanation");
                assertEquals(Answer.LEGEND, abbr.getAttribute("title"));
            }
            if (shown > 0) {
                List<Element> legend = xpath(d, "//*[@id='confidence']");
                assertEquals(1, legend.size(), e.getKey());
                assertEquals(Answer.LEGEND, legend.get(0).getTextContent());
                assertTrue(xpath(d, "//a[@href='#confidence']").size() >= r.verdicts().size() + r.considered().size(), e.getKey());
            }
        }
    }

    static Element ancestor(Node n, String tag) {
        for (Node p = n; p != null; p = p.getParentNode()) if (p instanceof Element el && el.getTagName().equals(tag)) return el;
        return null;
    }

    @Test
    void aByteCountAlwaysRendersTheSameText() {
        Map<Long, Set<String>> seen = new TreeMap<>();
        int figures = 0;
        for (var e : pages.entrySet()) {
            Document d = xml(e.getValue());
            for (Element x : xpath(d, "//*[@data-bytes]")) {
                seen.computeIfAbsent(Long.parseLong(x.getAttribute("data-bytes")), k -> new TreeSet<>()).add(x.getTextContent());
                figures++;
            }
            // every figure in the verdicts table, the budget tables and the charts' legends carries its byte count
            for (Element x : xpath(d, "//table[@class='glance']//td[contains(@class,'num')] | //details[@class='lines']//td[@class='num'] | //g[@class='legend']/text"))
                if (FIGURE.matcher(x.getTextContent()).find())
                    assertTrue(x.hasAttribute("data-bytes") || !xpath(x, ".//*[@data-bytes]").isEmpty(), e.getKey() + ": " + x.getTextContent());
            // a verdict's memory is one text in the table, its card and its chart marks
            Report r = reports.get(e.getKey());
            for (Report.Verdict v : r.verdicts()) {
                if (v.bytes() <= 0) continue;
                String want = Units.bytes(v.bytes());
                assertEquals(want, xpath(d, "//table[@class='glance']//td[@data-bytes='" + v.bytes() + "']").get(0).getTextContent());
                for (Element m : xpath(d, "//text[@class='marktext'][@data-code='" + v.code() + "']"))
                    assertEquals(want, xpath(m, "./tspan[@data-bytes]").get(0).getTextContent(), e.getKey() + " " + v.code());
            }
        }
        assertTrue(figures > 300, "figures: " + figures);
        for (var f : seen.entrySet()) {
            assertEquals(1, f.getValue().size(), f.getKey() + " bytes shown as " + f.getValue());
            assertEquals(Units.bytes(f.getKey()), f.getValue().iterator().next());
        }
    }

    /** The page at 760 px in headless Chromium: the compact chart is the one drawn, and its colours are painted. */
    @Test
    void at760PixelsChromiumDrawsTheCompactChart(@TempDir Path tmp) throws Exception {
        String bin = HtmlReportTest.chromium();
        assumeTrue(bin != null, "no chromium on the PATH (apt-get install chromium)");
        Path page = tmp.resolve("case1.html");
        Files.writeString(page, pages.get("case1-seed"));
        for (int width : new int[] {760, 1280}) {
            Path png = tmp.resolve("case1-" + width + ".png");
            HtmlReportTest.runChromium(bin, tmp, page.toUri().toString(), "--screenshot=" + png, "--window-size=" + width + ",1600", "--hide-scrollbars");
            BufferedImage img = ImageIO.read(png.toFile());
            assertEquals(width, img.getWidth());
            // the hugetlb part's amber: the bar spans the chart's width, so its painted width tells which drawing is shown
            int minX = Integer.MAX_VALUE, maxX = -1;
            for (int y = 0; y < img.getHeight(); y++)
                for (int x = 0; x < img.getWidth(); x++)
                    if (HtmlReportTest.near(img.getRGB(x, y), 0xf2c46d)) { minX = Math.min(minX, x); maxX = Math.max(maxX, x); }
            assertTrue(maxX > minX, width + ": the hugetlb segment is painted");
            int bar = maxX - minX;
            if (width == 760) assertTrue(bar <= 560, "at 760 px the compact drawing (at most 560 px wide) is shown: " + bar);
            else assertTrue(bar > 560, "at 1280 px the wide drawing is shown: " + bar);
            if (width == 760) {
                Files.createDirectories(Path.of("core/target"));
                Files.copy(png, Path.of("core/target/report-case1-760.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
    }
}
