package dev.leakdx.report;

import dev.leakdx.explain.Report;
import dev.leakdx.report.HtmlView.*;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Each section's view model ({@link HtmlView}), built from real cases: the values the section's
 * fragments lay out, and each view rendering to exactly its part of the page.
 */
class HtmlViewTest {
    static Report seed, sos;
    static Sections seedViews, sosViews;

    @BeforeAll
    static void build() throws Exception {
        seed = AllCases.reports().get("case1-seed");
        sos = AllCases.reports().get("sosreport-lab-baseline");
        seedViews = HtmlReport.sections(seed);
        sosViews = HtmlReport.sections(sos);
    }

    @Test
    void eachSectionViewRendersToItsPartOfThePage() throws Exception {
        for (String c : List.of("case1-seed", "case1-refuted", "sosreport-lab-baseline", "healthy-hotsos-vault-lxd", "dentry-reclaimable-built")) {
            Report r = AllCases.reports().get(c);
            String page = HtmlReport.render(r);
            Map<String, String> parts = HtmlReport.sections(r).render();
            assertEquals(List.of("verdicts", "memory", "details", "considered", "findings", "host", "input", "appendix"), List.copyOf(parts.keySet()));
            int at = 0;
            for (var e : parts.entrySet()) {
                int i = page.indexOf(e.getValue(), at);
                assertTrue(i >= at, c + ": " + e.getKey() + " not in page order");
                at = i + e.getValue().length();
                assertFalse(e.getValue().contains("{{"), c + ": " + e.getKey());
            }
        }
    }

    @Test
    void verdictsAtAGlance() {
        GlanceView g = seedViews.verdicts();
        assertEquals(2, g.verdicts().size());
        VerdictView nic = g.verdicts().get(0);
        assertEquals(1, nic.rank());
        assertEquals(new Badge("critical", "CRITICAL"), nic.badge());
        assertEquals("NIC_RX_RING_PAGES", nic.code());
        assertEquals("v1-NIC_RX_RING_PAGES", nic.anchor());
        assertEquals("Pages held by NIC RX ring buffers", nic.title());
        assertEquals(43366023168L, nic.bytes());
        assertEquals("40.4 GiB", nic.memory());
        assertEquals("0.98", nic.confidence());
        assertNull(nic.runnerUp());
        VerdictView huge = g.verdicts().get(1);
        assertEquals(new Badge("warning", "WARNING"), huge.badge());
        assertEquals("HUGETLB_RESERVED_IDLE", huge.code());
        assertEquals("467 GiB", huge.memory());
        assertEquals(1, g.setAside());
        assertFalse(g.unreadable());
        assertEquals(Answer.LEGEND, g.legend());
        String html = g.render();
        assertTrue(html.contains("<tr class=\"critical\"><td class=\"num\">1</td><td><span class=\"badge critical\">CRITICAL</span></td>"
                + "<td><a class=\"code\" href=\"#v1-NIC_RX_RING_PAGES\">NIC_RX_RING_PAGES</a>"), html);
        assertTrue(html.contains("<td class=\"num bytes\" data-bytes=\"43366023168\">40.4 GiB</td><td class=\"num\">0.98</td></tr>\n"), html);

        GlanceView none = sosViews.verdicts();
        assertTrue(none.verdicts().isEmpty());
        assertEquals(0, none.setAside());
        assertEquals("<section id=\"verdicts\">\n<h2>Verdicts</h2>\n<p class=\"card none\">No leak found in what was captured.</p>\n</section>\n", none.render());
    }

    @Test
    void budgetRowsAndTheirSources() {
        List<BudgetView> budgets = seedViews.memory().budgets();
        assertEquals(1, budgets.size());
        BudgetView kmem = budgets.get(0);
        assertEquals("budget-kmem--i", kmem.id());
        assertEquals("kmem -i", kmem.basis());
        assertEquals("TOTAL MEM (totalram_pages)", kmem.totalLabel());
        assertEquals(new Figure(548042178560L, "510.4 GiB"), kmem.total());
        assertEquals(new CiteLink("in-vmcore-session-txt-3", "vmcore-session.txt:3"), kmem.totalSource());
        assertFalse(kmem.empty());
        assertTrue(kmem.svg().startsWith("<svg class=\"budget wide\" data-basis=\"kmem -i\""), kmem.svg());
        assertTrue(kmem.svg().contains("<svg class=\"budget compact\""), "the compact drawing too");
        assertTrue(kmem.unplaced().isEmpty());
        assertNull(kmem.overSum());
        assertEquals(8, kmem.rows().size());
        assertEquals(new BudgetRow("total", "=", "TOTAL MEM (totalram_pages)", new Figure(548042178560L, "510.4 GiB"), "100.0%",
                new CiteLink("in-vmcore-session-txt-3", "vmcore-session.txt:3")), kmem.rows().get(0));
        assertEquals(new BudgetRow("part", "", "hugetlb pool (TOTAL HUGE)", new Figure(501437431808L, "467 GiB"), "91.5%",
                new CiteLink("in-vmcore-session-txt-11", "vmcore-session.txt:11")), kmem.rows().get(5));
        BudgetRow overlap = kmem.rows().get(6);
        assertEquals("overlap", overlap.kind());
        assertEquals("~", overlap.mark());
        BudgetRow gap = kmem.rows().get(7);
        assertEquals("gap", gap.kind());
        assertEquals("!", gap.mark());
        assertEquals(new Figure(45189758976L, "42.1 GiB"), gap.figure());
        assertEquals("8.3%", gap.share());
        assertEquals("<tr class=\"gap\"><td>!</td><td>unexplained: anon, stacks, page tables, raw pages</td><td class=\"num\">"
                + "<span class=\"fig\" data-bytes=\"45189758976\">42.1 GiB</span></td><td class=\"num\">8.3%</td>"
                + "<td><a class=\"cite\" href=\"#in-vmcore-session-txt-3\">vmcore-session.txt:3</a></td></tr>\n", gap.render());
    }

    @Test
    void verdictCardsWithEvidenceNextCapturesAndTree() {
        List<VerdictCard> cards = seedViews.details().verdicts();
        assertEquals(2, cards.size());
        VerdictCard nic = cards.get(0);
        assertEquals("v1-NIC_RX_RING_PAGES", nic.id());
        assertEquals(1, nic.rank());
        assertEquals(List.of(new MemoryNum(43366023168L, "40.4 GiB"), new PlainNum("pages", "661,713"), new ConfidenceNum(Answer.LEGEND, "0.98")), nic.nums());
        assertEquals("A population with refcount USHRT_MAX may be NIC RX ring pages", nic.rule());
        assertEquals("pages with _refcount 0xffff, mapping NULL, lru.next LIST_POISON1 (kmem-m-grouped.txt)", nic.subject());
        CiteLine first = nic.basis().cites().get(0);
        assertEquals(new CiteLink("in-kmem-m-grouped-txt-2-18", "kmem-m-grouped.txt:2-18"), first.link());
        assertTrue(first.fact().startsWith("661,713 pages with lru.next=LIST_POISON1"), first.fact());

        EvidenceLine ev = nic.evidenceFor().items().get(0);
        assertFalse(ev.against());
        assertEquals("2.0", ev.weight());
        assertTrue(ev.text().startsWith("struct page ffff7fee5b008080 is stored at ffff000061fa9f30"), ev.text());
        assertEquals("Evidence for", nic.evidenceFor().title());
        assertEquals("for", nic.evidenceFor().cls());
        assertTrue(ev.render().startsWith("<li><p class=\"evt\"><span class=\"w\" title=\"weight\">+2.0</span> struct page"), ev.render());

        assertEquals(new NextCapture("x/8xg ffff000061fa9ef0",
                "an RX buffer entry shows {page, page_offset|pagecnt_bias<<32, ...} with bias 0xffff and the page's physical address as dma"), nic.next().get(1));
        assertEquals(new NextCapture("kmem -v", "whether the holder lies in a vmalloc area (rx_buffer_info arrays are vzalloc'd)"), nic.next().get(2));
        assertEquals("<li><pre class=\"cmd\"><code>kmem -v</code></pre><p>whether the holder lies in a vmalloc area (rx_buffer_info arrays are vzalloc&#39;d)</p></li>\n",
                nic.next().get(2).render());

        TreeView tree = nic.tree();
        assertEquals("v1-NIC_RX_RING_PAGES", tree.id());
        assertEquals(45, tree.size());
        assertTrue(tree.root().open(), "the first two levels start open");
        assertEquals(23, cards.get(1).tree().size());
    }

    @Test
    void consideredCards() {
        ConsideredView v = seedViews.considered();
        assertNull(v.legend(), "the legend is under the verdicts table");
        assertEquals(1, v.cards().size());
        ConsideredCard c = v.cards().get(0);
        assertEquals("c1-PAGE_FRAG_CACHE_LEAK", c.id());
        assertEquals("PAGE_FRAG_CACHE_LEAK", c.code());
        assertEquals("page_frag_cache pages never drained", c.title());
        assertEquals(List.of(new ConfidenceNum(Answer.LEGEND, "0.05"), new MemoryNum(43366023168L, "40.4 GiB"),
                new CodeNum("outranked by", new CodeRef("NIC_RX_RING_PAGES", "v1-NIC_RX_RING_PAGES"))), c.nums());
        assertEquals("NIC_RX_RING_PAGES", c.outrankedBy());
        assertEquals("What refuted it", c.against().title());
        EvidenceLine refuted = c.against().items().get(0);
        assertTrue(refuted.against());
        assertEquals("4.0", refuted.weight());
        assertEquals("The holder stores a struct page address, but a page_frag_cache stores a virtual address", refuted.rule());
        assertEquals(58, c.tree().size());
        assertTrue(c.render().contains("<div><span>outranked by</span><b><a class=\"code\" href=\"#v1-NIC_RX_RING_PAGES\">NIC_RX_RING_PAGES</a></b></div>"));

        assertTrue(sosViews.considered().cards().isEmpty());
        assertEquals("", sosViews.considered().render(), "no section when nothing was set aside");
    }

    @Test
    void findingLines() {
        List<FindingLine> f = seedViews.findings().findings();
        FindingLine gap = f.get(0);
        assertEquals("f-KMEM_I_GAP", gap.id());
        assertEquals("KMEM_I_GAP", gap.code());
        assertEquals(new Figure(45189758976L, "42.1 GiB"), gap.memory());
        assertEquals("42.1 GiB (8.2% of TOTAL MEM) is in none of FREE, BUFFERS, CACHED, SLAB, TOTAL HUGE", gap.summary());
        assertEquals("", gap.subject());
        assertEquals("What no kmem -i line explains is the gap", gap.rule());
        assertEquals(new CiteLink("in-vmcore-session-txt-3", "vmcore-session.txt:3"), gap.cites().cites().get(0).link());
        FindingLine shared = f.get(1);
        assertEquals("SHARED_TRACKS_CACHE", shared.code());
        assertEquals("node-1", shared.subject());
        assertEquals("host node-1, after_drop_caches", shared.cites().cites().get(0).context());
        assertTrue(shared.render().contains(" <span class=\"ctx\">(node-1)</span><p class=\"rule\">rule “SHARED and CACHED fall together"), shared.render());
    }

    @Test
    void hostRows() {
        List<HostRow> rows = seedViews.host().rows();
        assertEquals(List.of("arch", "page_size", "ram_bytes"), rows.stream().map(HostRow::property).toList());
        assertEquals("arm64", rows.get(0).value());
        assertEquals(new CiteLink("in-vmcore-session-txt-25-27", "vmcore-session.txt:25-27"), rows.get(0).source());
        HostRow page = rows.get(1);
        assertEquals("64 KiB", page.value());
        assertEquals("kmem -i TOTAL MEM: 8,362,460 pages are 510.4 GiB as crash rounds it, 65535 bytes a page", page.how());
        assertEquals("<tr><td><code>ram_bytes</code></td><td class=\"hv\">510.4 GiB</td><td>kmem -i TOTAL MEM: 8,362,460 pages of 64 KiB</td>"
                + "<td><a class=\"cite\" href=\"#in-vmcore-session-txt-3\">vmcore-session.txt:3</a></td></tr>\n", rows.get(2).render());
        HostRow kernel = sosViews.host().rows().get(1);
        assertEquals(new HostRow("kernel_release", "6.1.0-56-amd64", "kernel log banner",
                new CiteLink("in-sosreport-labvm-2024-06-01-abcdef-sos_commands-kernel-dmesg-1", "sosreport-labvm-2024-06-01-abcdef/sos_commands/kernel/dmesg:1")), kernel);
    }

    @Test
    void inputAndDiagnostics() {
        InputView in = seedViews.input();
        assertEquals(5, in.files());
        assertEquals("148", in.read());
        assertEquals("0", in.skipped());
        assertEquals(new FileRow("kmem-m-grouped.txt", "crash.kmem-m", "18", "0", 0, false), in.rows().get(0));
        assertEquals(new FileRow("vmcore-session.txt", "crash transcript", "60", "0", 0, false), in.rows().get(4));
        assertTrue(in.messages().isEmpty());
        assertTrue(in.missing().isEmpty());
        assertTrue(in.unknown().isEmpty());

        InputView sosIn = sosViews.input();
        assertEquals(6, sosIn.files());
        assertEquals("916", sosIn.read());
        assertEquals(new MissingRow("proc/vmallocinfo", "vmalloc areas with their callers: vmalloc and ioremap leaks"), sosIn.missing().get(0));
        assertTrue(sosIn.render().contains("<h3>Missing inputs</h3>\n<table class=\"missing\">"), sosIn.render());
        assertTrue(sosIn.render().contains("<tr><td><code>proc/vmallocinfo</code></td><td>vmalloc areas with their callers: vmalloc and ioremap leaks</td></tr>\n"));
    }

    @Test
    void appendixLines() {
        List<InputFile> files = seedViews.appendix().files();
        assertEquals("kmem-m-grouped.txt", files.get(0).file());
        InputLine grouped = files.get(0).lines().get(0);
        assertEquals("in-kmem-m-grouped-txt-2-18", grouped.id());
        assertEquals("kmem-m-grouped.txt:2-18", grouped.cite());
        assertEquals("2–18", grouped.where());
        assertEquals(List.of(new BackLink("#v1-NIC_RX_RING_PAGES", "NIC_RX_RING_PAGES"), new BackLink("#c1-PAGE_FRAG_CACHE_LEAK", "PAGE_FRAG_CACHE_LEAK (set aside)"),
                new BackLink("#f-POPULATION_IS_SHARED", "POPULATION_IS_SHARED")), grouped.citedBy());
        InputLine after = files.get(1).lines().get(0);
        assertEquals("node-1/kmem-i.after_drop_caches.txt:6", after.cite());
        assertEquals("6", after.where());
        assertEquals(List.of("kmem -i SHARED = 19,788 pages (1.21 GiB) [host node-1, after_drop_caches]"), after.facts());
        assertEquals("host node-1, after_drop_caches", after.context());
        InputLine total = files.stream().filter(f -> f.file().equals("vmcore-session.txt")).findFirst().orElseThrow().lines().stream()
                .filter(l -> l.cite().equals("vmcore-session.txt:3")).findFirst().orElseThrow();
        assertEquals(5, total.facts().size(), "every fact read from TOTAL MEM's line");
        assertTrue(total.render().contains("<td><ul><li>kmem -i TOTAL MEM (totalram_pages) = 510.4 GiB</li>"), total.render());
    }
}
