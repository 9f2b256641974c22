package dev.leakdx.report;

import dev.leakdx.TestKnowledge;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import dev.leakdx.facts.Units;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NamedNodeMap;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.imageio.ImageIO;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.xpath.XPathConstants;
import javax.xml.xpath.XPathFactory;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The HTML report of real cases: verdicts and numbers present, one SVG rect per budget part
 * with its label, every cite a link to an anchor that exists, nothing loaded from anywhere,
 * capture text escaped; and the page rendered by a real headless Chromium (skipped when no
 * chromium is on the PATH; .ci/run installs Debian's).
 */
class HtmlReportTest {
    static final Path CASES = Path.of("cases");
    static Report case1, thp;
    static String case1Html, thpHtml;

    @BeforeAll
    static void render() throws IOException {
        case1 = diagnose(CASES.resolve("case1-seed"));
        thp = diagnose(CASES.resolve("lab-thp-proc"));
        case1Html = HtmlReport.render(case1);
        thpHtml = HtmlReport.render(thp);
    }

    static Report diagnose(Path dir) throws IOException {
        try (Capture c = CaptureOpener.open(dir)) {
            return new Explainer(TestKnowledge.diagnoser().diagnose(c), "t").explain();
        }
    }

    // ------------------------------------------------------------------ helpers

    static Document xml(String html) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setNamespaceAware(false);
            f.setValidating(false);
            f.setExpandEntityReferences(false);
            f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            return f.newDocumentBuilder().parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
        } catch (Exception e) {
            throw new AssertionError("the page is not well-formed: " + e.getMessage(), e);
        }
    }

    static List<Element> xpath(Node doc, String expr) {
        try {
            NodeList nl = (NodeList) XPathFactory.newInstance().newXPath().evaluate(expr, doc, XPathConstants.NODESET);
            List<Element> out = new ArrayList<>();
            for (int i = 0; i < nl.getLength(); i++) out.add((Element) nl.item(i));
            return out;
        } catch (Exception e) {
            throw new AssertionError(expr + ": " + e.getMessage(), e);
        }
    }

    static List<Element> all(Document d) {
        return xpath(d, "//*");
    }

    static String text(List<Element> es) {
        StringBuilder b = new StringBuilder();
        for (Element e : es) b.append(e.getTextContent()).append('\n');
        return b.toString();
    }

    /** Every href is a fragment that names an element of the page, and ids are unique. */
    static void linksResolve(Document d) {
        Set<String> ids = new HashSet<>();
        for (Element e : all(d)) if (e.hasAttribute("id")) assertTrue(ids.add(e.getAttribute("id")), "duplicate id " + e.getAttribute("id"));
        List<Element> links = xpath(d, "//a[@href]");
        assertFalse(links.isEmpty());
        for (Element a : links) {
            String href = a.getAttribute("href");
            assertTrue(href.startsWith("#"), "link leaves the page: " + href);
            assertTrue(ids.contains(href.substring(1)), "link to a missing anchor: " + href);
        }
    }

    /** Nothing that could load a resource: no src, no external href, no url() but fragment ones, a CSP that forbids it. */
    static void selfContained(String html, Document d) {
        assertFalse(html.contains("http://"), "http:// in the page");
        assertFalse(html.contains("https://"), "https:// in the page");
        assertFalse(html.contains("@import"));
        Matcher url = Pattern.compile("url\\(([^)]*)\\)").matcher(html);
        while (url.find()) assertTrue(url.group(1).startsWith("#"), "url() that is not a fragment: " + url.group());
        for (Element e : all(d)) {
            assertFalse(Set.of("img", "iframe", "object", "embed", "link", "image", "use", "video", "audio", "source", "form")
                    .contains(e.getTagName()), "resource-loading element <" + e.getTagName() + ">");
            NamedNodeMap at = e.getAttributes();
            for (int i = 0; i < at.getLength(); i++) {
                String n = at.item(i).getNodeName().toLowerCase();
                assertFalse(n.equals("src") || n.equals("srcset") || n.equals("xlink:href") || n.equals("background") || n.equals("poster"),
                        "<" + e.getTagName() + " " + n + ">");
                assertFalse(n.startsWith("on"), "event handler attribute " + n + " on <" + e.getTagName() + ">");
            }
        }
        List<Element> scripts = xpath(d, "//script");
        assertEquals(1, scripts.size(), "exactly one (inline) script");
        assertFalse(scripts.get(0).hasAttribute("src"));
        assertEquals(HtmlReport.SCRIPT, scripts.get(0).getTextContent());
        List<Element> csp = xpath(d, "//meta[@http-equiv='Content-Security-Policy']");
        assertEquals(1, csp.size());
        String policy = csp.get(0).getAttribute("content");
        assertTrue(policy.startsWith("default-src 'none';"), policy);
        assertTrue(policy.contains("script-src '" + HtmlReport.scriptHash() + "'"), policy);
    }

    static Element svg(Document d, String basis) {
        List<Element> s = xpath(d, "//svg[@data-basis='" + basis + "']");
        assertEquals(1, s.size(), "one chart for " + basis);
        return s.get(0);
    }

    /** The chart of one basis: a rect per part in order, with the label, bytes and share of each in its legend, then the gap. */
    static void chartMatchesBudget(Document d, Report r, String basis) {
        Element svg = svg(d, basis);
        List<Report.BudgetLine> lines = r.budget().stream().filter(l -> l.basis().equals(basis)).toList();
        List<Report.BudgetLine> parts = lines.stream().filter(l -> l.kind().equals("part")).toList();
        Report.BudgetLine total = lines.stream().filter(l -> l.kind().equals("total")).findFirst().orElseThrow();
        Report.BudgetLine gap = lines.stream().filter(l -> l.kind().equals("gap")).findFirst().orElseThrow();
        List<Element> rects = xpath(svg, ".//rect[@class='part']");
        assertEquals(parts.size(), rects.size(), basis + ": one rect per budget part");
        double x = Double.parseDouble(rects.get(0).getAttribute("x")), widths = 0;
        for (int i = 0; i < parts.size(); i++) {
            Element rect = rects.get(i);
            Report.BudgetLine p = parts.get(i);
            assertEquals(p.key(), rect.getAttribute("data-key"));
            assertEquals(x, Double.parseDouble(rect.getAttribute("x")), 0.02, "parts laid end to end");
            double w = Double.parseDouble(rect.getAttribute("width"));
            x += w;
            widths += w;
            assertTrue(rect.getTextContent().contains(p.label() + ": " + Units.bytes(p.bytes())), rect.getTextContent());
            // the legend row of this part: label, bytes, share
            String row = text(xpath(svg, ".//g[@class='legend'][@data-kind='part'][" + (i + 1) + "]"));
            assertTrue(row.contains(p.label()), row);
            assertTrue(row.contains(Units.bytes(p.bytes())), row);
            assertTrue(row.contains(HtmlReport.pct(p.bytes() / (double) total.bytes())), row);
        }
        List<Element> gapRect = xpath(svg, ".//rect[@class='gap']");
        assertEquals(1, gapRect.size());
        assertEquals(x, Double.parseDouble(gapRect.get(0).getAttribute("x")), 0.02, "the gap follows the parts");
        widths += Double.parseDouble(gapRect.get(0).getAttribute("width"));
        long sum = parts.stream().mapToLong(Report.BudgetLine::bytes).sum() + gap.bytes();
        assertEquals(HtmlReport.BAR_WIDTH * sum / Math.max(sum, total.bytes()), widths, 0.1, "bar widths are proportional to bytes");
        String gapRow = text(xpath(svg, ".//g[@class='legend'][@data-kind='gap']"));
        assertTrue(gapRow.contains(Units.bytes(gap.bytes())), gapRow);
        String caption = text(xpath(svg, ".//text[@class='gapcap']"));
        assertTrue(caption.contains("unexplained " + Units.bytes(gap.bytes())), caption);
        assertTrue(caption.contains(HtmlReport.pct(gap.bytes() / (double) total.bytes())), caption);
    }

    /** Every line of the basis but the total (parts, overlaps, gap) is in the legend with its label and bytes. */
    static void legendHasEveryLine(String legend, Report r, String basis) {
        for (Report.BudgetLine l : r.budget()) {
            if (!l.basis().equals(basis) || l.kind().equals("total")) continue;
            assertTrue(legend.contains(l.label()), l.label() + " in the legend");
            assertTrue(legend.contains(Units.bytes(l.bytes())), Units.bytes(l.bytes()) + " (" + l.label() + ") in the legend");
        }
    }

    /** The mark of a verdict on a chart: its code and bytes, and the x range it spans. */
    static double[] mark(Element svg, Report.Verdict v) {
        List<Element> t = xpath(svg, ".//text[@class='marktext'][@data-code='" + v.code() + "']");
        assertEquals(1, t.size(), v.code() + " is marked on the chart");
        assertTrue(t.get(0).getTextContent().contains(v.code() + " " + Units.bytes(v.bytes())), t.get(0).getTextContent());
        Node n = t.get(0).getPreviousSibling();
        while (n != null && !(n instanceof Element e && e.getTagName().equals("path"))) n = n.getPreviousSibling();
        assertNotNull(n, "the bracket before the mark's text");
        Element path = (Element) n;
        Matcher m = Pattern.compile("M([\\d.]+) [\\d.]+ V[\\d.]+ H([\\d.]+)").matcher(path.getAttribute("d"));
        assertTrue(m.find(), path.getAttribute("d"));
        return new double[] {Double.parseDouble(m.group(1)), Double.parseDouble(m.group(2))};
    }

    static double[] span(Element rect) {
        double x = Double.parseDouble(rect.getAttribute("x"));
        return new double[] {x, x + Double.parseDouble(rect.getAttribute("width"))};
    }

    // ------------------------------------------------------------------ case 1

    @Test
    void case1VerdictsComeFirstWithTheirNumbers() {
        Document d = xml(case1Html);
        List<Element> rows = xpath(d, "//table[@class='glance']/tbody/tr");
        assertEquals(List.of("NIC_RX_RING_PAGES", "HUGETLB_RESERVED_IDLE"), case1.verdicts().stream().map(Report.Verdict::code).toList());
        assertEquals(2, rows.size());
        String first = rows.get(0).getTextContent(), second = rows.get(1).getTextContent();
        // byte figures as Units prints them (40.4 GiB, 467 GiB), from expected.yaml's exact byte counts
        assertEquals(661713L * 65536, case1.verdicts().get(0).bytes());
        assertEquals(934L * 512 * 1024 * 1024, case1.verdicts().get(1).bytes());
        String nicBytes = Units.bytes(661713L * 65536), poolBytes = Units.bytes(934L * 512 * 1024 * 1024);
        assertTrue(first.contains("CRITICAL") && first.contains("NIC_RX_RING_PAGES") && first.contains(nicBytes) && first.contains("0.98"), first);
        assertTrue(second.contains("WARNING") && second.contains("HUGETLB_RESERVED_IDLE") && second.contains(poolBytes) && second.contains("0.99"), second);
        assertTrue(first.contains(case1.verdicts().get(0).summary()), "the summary is in the table");
        // verdicts come before the chart, the chart before the evidence
        int glance = case1Html.indexOf("class=\"glance\""), chart = case1Html.indexOf("<svg"), detail = case1Html.indexOf("id=\"details\"");
        assertTrue(glance > 0 && glance < chart && chart < detail, glance + " " + chart + " " + detail);

        // the verdict cards: badge, code, title, bytes, pages, confidence
        Element nic = xpath(d, "//article[contains(@class,'verdict')][@id='v1-NIC_RX_RING_PAGES']").get(0);
        assertTrue(nic.getAttribute("class").contains("critical"));
        String nicText = nic.getTextContent();
        for (String s : List.of("CRITICAL", "Pages held by NIC RX ring buffers", nicBytes, "661,713", "0.98"))
            assertTrue(nicText.contains(s), s);
        Element huge = xpath(d, "//article[@id='v2-HUGETLB_RESERVED_IDLE']").get(0);
        assertTrue(huge.getTextContent().contains("934"));
        assertTrue(huge.getAttribute("class").contains("warning"));
    }

    @Test
    void case1EvidenceShowsEveryCitedLineWithItsFact() {
        Document d = xml(case1Html);
        Report.Verdict nic = case1.verdicts().get(0);
        Element card = xpath(d, "//article[@id='v1-NIC_RX_RING_PAGES']").get(0);
        List<Element> items = xpath(card, ".//ol[@class='ev for']/li");
        assertEquals(nic.evidence().size(), items.size());
        for (int i = 0; i < items.size(); i++) {
            Report.EvidenceItem e = nic.evidence().get(i);
            Element li = items.get(i);
            assertTrue(li.getTextContent().contains(e.text()), e.text());
            List<Element> links = xpath(li, ".//a[@class='cite']");
            assertEquals(e.cites().size(), links.size(), "every cite of " + e.text());
            for (int j = 0; j < links.size(); j++) {
                Report.Cite c = e.cites().get(j);
                assertEquals(c.cite(), links.get(j).getTextContent());
                // the fact is next to the link, and the appendix row it points to has the fact too
                assertTrue(((Element) links.get(j).getParentNode()).getTextContent().contains(c.fact()));
                Element row = xpath(d, "//tr[@id='" + links.get(j).getAttribute("href").substring(1) + "']").get(0);
                assertEquals(c.cite(), row.getAttribute("title"));
                assertTrue(row.getTextContent().contains(c.fact()), row.getTextContent());
                assertTrue(row.getTextContent().contains("NIC_RX_RING_PAGES"), "the row links back to the verdict");
            }
        }
        // the refuted hypothesis, with what refuted it
        Element pf = xpath(d, "//article[@id='c1-PAGE_FRAG_CACHE_LEAK']").get(0);
        String pfText = pf.getTextContent();
        assertTrue(pfText.contains("outranked by") && pfText.contains("What refuted it"), pfText);
        assertTrue(pfText.contains(case1.considered().get(0).against().get(0).text()));
        assertEquals(1, xpath(pf, ".//a[@href='#v1-NIC_RX_RING_PAGES']").size(), "links to the verdict that outranked it");
        // next captures as code
        List<String> cmds = xpath(card, ".//pre[@class='cmd']/code").stream().map(Element::getTextContent).toList();
        assertEquals(nic.next().stream().map(Report.Next::command).toList(), cmds);
        assertTrue(cmds.contains("x/8xg ffff000061fa9ef0"));
    }

    @Test
    void case1EveryCiteIsAnAnchorInTheInputLinesAppendix() throws IOException {
        Document d = xml(case1Html);
        linksResolve(d);
        Set<String> rows = new TreeSet<>();
        for (Element tr : xpath(d, "//section[@id='input-lines']//tr[@id]")) rows.add(tr.getAttribute("title"));
        // every cite anywhere in the report has its row, expected.yaml's included
        Set<String> want = new TreeSet<>();
        for (Report.Verdict v : concat(case1.verdicts(), case1.considered())) {
            v.basis().forEach(c -> want.add(c.cite()));
            v.evidence().forEach(e -> e.cites().forEach(c -> want.add(c.cite())));
            v.against().forEach(e -> e.cites().forEach(c -> want.add(c.cite())));
        }
        case1.findings().forEach(f -> f.cites().forEach(c -> want.add(c.cite())));
        case1.host().values().forEach(h -> want.add(h.cite()));
        case1.budget().forEach(l -> want.add(l.cite()));
        assertTrue(rows.containsAll(want), "missing rows: " + diff(want, rows));
        for (String c : List.of("vmcore-session.txt:30", "vmcore-session.txt:33-38", "kmem-m-grouped.txt:2-18", "vmcore-dmesg.txt:17",
                "node-1/kmem-i.before_drop_caches.txt:6", "vmcore-session.txt:11"))
            assertTrue(rows.contains(c), c);
        // the twin's lines carry their host and snapshot
        Element twin = xpath(d, "//tr[@title='node-1/kmem-i.before_drop_caches.txt:6']").get(0);
        assertTrue(twin.getTextContent().contains("host node-1, before_drop_caches"), twin.getTextContent());
        // the explanation trees: one per verdict and set-aside hypothesis, collapsible, facts linked to their lines
        assertEquals(3, xpath(d, "//details[@class='tree']").size());
        assertTrue(xpath(d, "//details[@class='tree'][@open]").isEmpty(), "trees start closed");
        List<Element> facts = xpath(d, "//ul[@id='tree-v1-NIC_RX_RING_PAGES-root']//li[span[contains(@class,'k-fact')]]/a[@class='cite']");
        assertFalse(facts.isEmpty());
        assertTrue(facts.stream().anyMatch(a -> a.getTextContent().equals("vmcore-session.txt:52")));
    }

    @Test
    void case1ChartHasOneRectPerPartTheGapAndTheVerdicts() {
        Document d = xml(case1Html);
        assertEquals(1, xpath(d, "//svg[@data-basis]").size(), "case 1 has only the kmem -i budget");
        chartMatchesBudget(d, case1, "kmem -i");
        Element svg = svg(d, "kmem -i");
        assertEquals(List.of("FREE", "BUFFERS", "CACHED", "SLAB", "TOTAL HUGE"),
                xpath(svg, ".//rect[@class='part']").stream().map(e -> e.getAttribute("data-key")).toList());
        String legend = text(xpath(svg, ".//g[@class='legend']"));
        for (String s : List.of("free (buddy allocator)", "page cache (CACHED)", "slab (SLAB)", "hugetlb pool (TOTAL HUGE)", "91.5%", "8.3%",
                "SHARED (pages with _refcount > 1)"))
            assertTrue(legend.contains(s), s + " in the legend");
        legendHasEveryLine(legend, case1, "kmem -i");
        String onBar = text(xpath(svg, ".//text[@class='seglabel']"));
        assertTrue(onBar.contains("hugetlb pool (TOTAL HUGE)") && onBar.contains(Units.bytes(7651328L * 65536) + " · 91.5%"), onBar);
        // the NIC pages are marked under the gap, the idle pool under the hugetlb part
        double[] gap = span(xpath(svg, ".//rect[@class='gap']").get(0));
        double[] hugetlb = span(xpath(svg, ".//rect[@data-key='TOTAL HUGE']").get(0));
        double[] nic = mark(svg, case1.verdicts().get(0));
        double[] pool = mark(svg, case1.verdicts().get(1));
        assertTrue(nic[0] >= gap[0] - 0.01 && nic[1] <= gap[1] + 0.01, "NIC mark inside the gap");
        assertEquals((gap[1] - gap[0]) * 43366023168.0 / 45216980992.0, nic[1] - nic[0], 1.5, "NIC mark is 40.4 of the gap's 42.1 GiB");
        assertEquals(hugetlb[0], pool[0], 0.01);
        assertEquals(hugetlb[1], pool[1], 0.01);
        assertTrue(text(xpath(svg, ".//text[@data-code='NIC_RX_RING_PAGES']")).contains("of the unexplained"));
    }

    @Test
    void case1IsSelfContainedAndWellFormed() {
        Document d = xml(case1Html);
        selfContained(case1Html, d);
        assertTrue(case1Html.startsWith("<!DOCTYPE html>"));
        assertTrue(case1Html.contains("@media print"), "print styles");
        assertEquals("leakdx: case1-seed", xpath(d, "//title").get(0).getTextContent());
        // host facts with how they were inferred
        String host = xpath(d, "//table[@class='host']").get(0).getTextContent();
        assertTrue(host.contains("arm64") && host.contains("64 KiB") && host.contains(case1.host().get("page_size").how()), host);
    }

    // ------------------------------------------------------------------ lab-thp-proc: a meminfo budget

    @Test
    void labThpProcChartsTheMeminfoBudget() {
        Document d = xml(thpHtml);
        linksResolve(d);
        selfContained(thpHtml, d);
        assertEquals(1, xpath(d, "//svg[@data-basis]").size());
        chartMatchesBudget(d, thp, "meminfo");
        Element svg = svg(d, "meminfo");
        assertEquals(List.of("MemFree", "Buffers", "Cached", "SwapCached", "AnonPages", "SReclaimable", "SUnreclaim", "KernelStack",
                "PageTables", "SecPageTables", "Percpu", "Hugetlb"), xpath(svg, ".//rect[@class='part']").stream().map(e -> e.getAttribute("data-key")).toList());
        String legend = text(xpath(svg, ".//g[@class='legend']"));
        for (String s : List.of("MemFree", "80.8%", "AnonPages", "unexplained: raw pages, unmapped anon", "14.6%", "AnonHugePages (inside AnonPages)"))
            assertTrue(legend.contains(s), s + " in the legend");
        legendHasEveryLine(legend, thp, "meminfo");
        Report.Verdict v = thp.verdicts().get(0);
        assertEquals("THP_REFCOUNT_LEAK", v.code());
        assertEquals(128L * 2 * 1024 * 1024, v.bytes(), "128 THPs of 2 MiB");
        double[] gap = span(xpath(svg, ".//rect[@class='gap']").get(0));
        double[] m = mark(svg, v);
        assertTrue(m[0] >= gap[0] - 0.01 && m[1] <= gap[1] + 0.01, "THP mark inside the gap");
        String row = xpath(d, "//table[@class='glance']/tbody/tr").get(0).getTextContent();
        assertTrue(row.contains("THP_REFCOUNT_LEAK") && row.contains(Units.bytes(v.bytes())) && row.contains("CRITICAL"), row);
        for (String c : List.of("proc/page-types.txt:15", "proc/page-types-raw.txt:21", "proc/meminfo:41"))
            assertEquals(1, xpath(d, "//tr[@title='" + c + "']").size(), c);
    }

    // ------------------------------------------------------------------ injection

    static final String EVIL = "<script>alert('x')</script>\"><img src=x onerror=alert(1)>&amp;</details></svg>";

    static Report evil() {
        Report.Cite c = new Report.Cite("evil.txt:3", "evil.txt", 3, 3, "fact " + EVIL, "host " + EVIL);
        Report.Cite c2 = new Report.Cite(EVIL + ":7", EVIL, 7, 7, EVIL, "");
        Report.Node leaf = new Report.Node("fact", EVIL, "", "", EVIL + ":7", List.of());
        Report.Node root = new Report.Node("hypothesis<b>", "H " + EVIL, "rule " + EVIL, "doc " + EVIL, "", List.of(leaf));
        Report.EvidenceItem e = new Report.EvidenceItem("ev " + EVIL, 2.0, "rule " + EVIL, List.of(c, c2));
        Report.Verdict v = new Report.Verdict("CODE" + EVIL, "title " + EVIL, "critical", 0.9, 1 << 20, 256, "subject " + EVIL, "summary " + EVIL,
                "rule " + EVIL, List.of(c), List.of(e), List.of(e), List.of(new Report.Next("cmd " + EVIL, "why " + EVIL)), "", root);
        Report.Verdict w = new Report.Verdict("OTHER", "t", "info", 0.1, 0, 0, "s", "s", "r", List.of(), List.of(), List.of(e), List.of(),
                "CODE" + EVIL, root);
        Map<String, Report.HostValue> host = new LinkedHashMap<>();
        host.put("arch", new Report.HostValue("x86_64" + EVIL, "how " + EVIL, "evil.txt:3"));
        List<Report.BudgetLine> budget = List.of(
                new Report.BudgetLine("meminfo" + EVIL, "total", "total " + EVIL, 4L << 20, "total", 1, "evil.txt:3"),
                new Report.BudgetLine("meminfo" + EVIL, "k" + EVIL, "part " + EVIL, 2L << 20, "part", 0.5, EVIL + ":7"),
                new Report.BudgetLine("meminfo" + EVIL, "gap", "gap " + EVIL, 2L << 20, "gap", 0.5, "evil.txt:3"));
        return new Report(Report.SCHEMA, "leakdx " + EVIL, "capture " + EVIL, host, budget, List.of(v), List.of(w),
                List.of(new Report.FindingView("F" + EVIL, EVIL, 1, EVIL, EVIL, List.of(c2))),
                new Report.Diagnostics(List.of(new Report.FileView(EVIL, EVIL, 1, 1, 1)), List.of(EVIL + ": error: " + EVIL),
                        List.of(new Report.Section(EVIL, EVIL, 3))), 1);
    }

    @Test
    void captureTextCannotInjectMarkup() {
        String html = HtmlReport.render(evil());
        Document d = xml(html);                      // still well-formed: nothing closed early
        selfContained(html, d);                      // one script (ours), no <img>, no on* attribute
        linksResolve(d);
        assertEquals(1, html.split("<script", -1).length - 1);
        assertFalse(html.contains("<img"));
        assertTrue(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&quot;&gt;&lt;img src=x onerror=alert(1)&gt;&amp;amp;"));
        // the text survives as text, in the summary, the fact, the tree and the next capture
        String all = d.getDocumentElement().getTextContent();
        for (String s : List.of("summary " + EVIL, "fact " + EVIL, "H " + EVIL, "cmd " + EVIL, "how " + EVIL, "part " + EVIL))
            assertTrue(all.contains(s), s);
        assertEquals("cmd " + EVIL, xpath(d, "//pre[@class='cmd']/code").get(0).getTextContent());
        // ids made of capture text are reduced to safe characters
        for (Element e : all(d)) if (e.hasAttribute("id")) assertTrue(e.getAttribute("id").matches("[A-Za-z0-9_-]+"), e.getAttribute("id"));
    }

    @Test
    void anEmptyReportStillRenders() {
        Report r = new Report(Report.SCHEMA, "leakdx t", "empty", Map.of(), List.of(), List.of(), List.of(), List.of(),
                new Report.Diagnostics(List.of(), List.of(), List.of()), 0);
        String html = HtmlReport.render(r);
        Document d = xml(html);
        selfContained(html, d);
        assertTrue(html.contains("No leak found in what was captured."));
        assertTrue(html.contains("No memory budget"));
        assertTrue(xpath(d, "//svg").isEmpty());
    }

    // ------------------------------------------------------------------ a real browser

    static String chromium() {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator))
            for (String name : List.of("chromium", "chromium-browser")) {
                Path p = Path.of(dir.isEmpty() ? "." : dir, name);
                if (Files.isRegularFile(p) && Files.isExecutable(p)) return p.toString();
            }
        return null;
    }

    /** Runs headless Chromium once (its own profile, no network services) and returns its standard output. */
    static String runChromium(String bin, Path tmp, String url, String... flags) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "profile");
        Path out = Files.createTempFile(tmp, "out", ".txt"), err = Files.createTempFile(tmp, "err", ".txt");
        List<String> cmd = new ArrayList<>(List.of(bin, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--user-data-dir=" + profile));
        cmd.addAll(List.of(flags));
        cmd.add(url);
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            fail("chromium did not finish in 120 s: " + cmd);
        }
        assertEquals(0, p.exitValue(), "chromium failed: " + Files.readString(err));
        return Files.readString(out);
    }

    static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    @Test
    void headlessChromiumRendersCase1(@TempDir Path tmp) throws Exception {
        String bin = chromium();
        assumeTrue(bin != null, "no chromium on the PATH (apt-get install chromium)");
        Path page = tmp.resolve("case1.html");
        Files.writeString(page, case1Html);
        String url = page.toUri().toString();

        // the DOM as the browser built it: the chart with a rect per part, the verdicts
        String dom = runChromium(bin, tmp, url, "--dump-dom");
        assertTrue(dom.contains("<svg class=\"budget wide\" data-basis=\"kmem -i\""), "the chart is in the DOM");
        assertTrue(dom.contains("<svg class=\"budget compact\" data-compact-basis=\"kmem -i\""), "and its drawing for narrow screens");
        assertEquals(2 * 5, count(dom, "<rect class=\"part\""));  // five parts in each of the two drawings
        assertEquals(2, count(dom, "<rect class=\"gap\""));
        int table = dom.indexOf("<table class=\"glance\">");
        assertTrue(table > 0);
        String glance = dom.substring(table, dom.indexOf("</table>", table));
        assertTrue(glance.indexOf("NIC_RX_RING_PAGES") > 0 && glance.indexOf("NIC_RX_RING_PAGES") < glance.indexOf("HUGETLB_RESERVED_IDLE"));
        assertTrue(glance.contains(Units.bytes(case1.verdicts().get(0).bytes())) && glance.contains(Units.bytes(case1.verdicts().get(1).bytes())));
        assertTrue(dom.contains("id=\"v1-NIC_RX_RING_PAGES\"") && dom.contains("id=\"c1-PAGE_FRAG_CACHE_LEAK\""));
        assertFalse(Pattern.compile("<details class=\"tree\"[^>]*open").matcher(dom).find(), "trees start closed");

        // the tree opens: following a link into a closed tree expands it, with the page's script removed (works with JS off)
        Path noScript = tmp.resolve("case1-noscript.html");
        Files.writeString(noScript, case1Html.replaceAll("(?s)<script>.*?</script>", ""));
        String opened = runChromium(bin, tmp, noScript.toUri() + "#tree-v1-NIC_RX_RING_PAGES-root", "--dump-dom");
        assertFalse(opened.contains("<script"));
        assertTrue(Pattern.compile("<details class=\"tree\" id=\"tree-v1-NIC_RX_RING_PAGES\" open").matcher(opened).find(), "the tree opened");
        assertFalse(Pattern.compile("<details class=\"tree\" id=\"tree-v2-HUGETLB_RESERVED_IDLE\" open").matcher(opened).find(), "only that tree");

        // the picture: 1280 x 2000, with the hatched red gap and the amber hugetlb pool painted
        Path png = tmp.resolve("case1.png");
        runChromium(bin, tmp, url, "--screenshot=" + png, "--window-size=1280,2000", "--hide-scrollbars");
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "a PNG was written");
        assertEquals(1280, img.getWidth());
        assertEquals(2000, img.getHeight());
        int amber = 0, red = 0;  // pixels of the hugetlb part's fill and of the gap's hatching
        for (int y = 0; y < img.getHeight(); y++)
            for (int x = 0; x < img.getWidth(); x++) {
                int rgb = img.getRGB(x, y);
                if (near(rgb, 0xf2c46d)) amber++;
                if (near(rgb, 0xfbd5d2)) red++;  // the light stripes of the hatch
            }
        assertTrue(amber > 20_000, "the hugetlb segment is painted (" + amber + " px)");
        assertTrue(red > 200, "the gap's hatching is painted (" + red + " px)");
        Files.createDirectories(Path.of("core/target"));
        Files.copy(png, Path.of("core/target/report-case1.png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    @Test
    void headlessChromiumKeepsInjectedTextInert(@TempDir Path tmp) throws Exception {
        String bin = chromium();
        assumeTrue(bin != null, "no chromium on the PATH (apt-get install chromium)");
        Path page = tmp.resolve("evil.html");
        Files.writeString(page, HtmlReport.render(evil()));
        String dom = runChromium(bin, tmp, page.toUri().toString(), "--dump-dom");
        assertEquals(1, count(dom, "<script"), "only the page's own script element");
        assertFalse(dom.contains("<img"), "no element made from capture text");
        assertTrue(dom.contains("&lt;script&gt;alert('x')&lt;/script&gt;"), "shown as text");
    }

    static boolean near(int rgb, int want) {
        int dr = ((rgb >> 16) & 255) - ((want >> 16) & 255), dg = ((rgb >> 8) & 255) - ((want >> 8) & 255), db = (rgb & 255) - (want & 255);
        return Math.abs(dr) <= 6 && Math.abs(dg) <= 6 && Math.abs(db) <= 6;
    }

    static <T> List<T> concat(List<T> a, List<T> b) {
        List<T> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static Set<String> diff(Set<String> want, Set<String> got) {
        Set<String> d = new TreeSet<>(want);
        d.removeAll(got);
        return d;
    }
}
