package dev.leakdx.rules;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.engine.UnmappedThps;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.KernelStruct;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageDescriptor;
import dev.leakdx.facts.PageTypesRow;
import dev.leakdx.facts.ProcessMemory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/thp-refcount.drl with founding case 2's figures (arm64, 64 KiB pages, 512 MiB THPs). */
class ThpRefcountRulesTest {
    static final long P = 65536, THP = 512L << 20;

    static MemCounter meminfo(String name, long kb, int line) { return new MemCounter("meminfo", name, -1, kb * 1024, at("meminfo", line)); }

    static MemCounter vmstat(String name, long pages, int line) { return new MemCounter("vmstat", name, pages, pages * P, at("vmstat", line)); }

    // page-types -C rows of founding case 2 (4.x letters)
    final PageTypesRow heads = new PageTypesRow(0x40507cL, 447, "__RUDlA_____a_b_______t___", "referenced,uptodate,dirty,lru,active,anonymous,swapbacked,thp", at("page-types.txt", 5));
    final PageTypesRow tails = new PageTypesRow(0x401000L, 3_661_377, "____________a_________t___", "anonymous,thp", at("page-types.txt", 6));
    final PageTypesRow mapped = new PageTypesRow(0x405828L, 32, "___U_l_____Ma_b_______t___", "uptodate,lru,mmap,anonymous,swapbacked,thp", at("page-types.txt", 7));
    final UnmappedThps thps = new UnmappedThps("page-types.txt", 447, 3_661_377, 8192, THP, false, List.of(heads, tails));
    final Hypothesis h = hypothesis("THP_REFCOUNT_LEAK", "unmapped anonymous THPs");

    @Test void anonLruExcessFromMeminfo() {
        String rule = "Anon pages on the LRU far exceed the anon pages that are mapped";
        MemCounter aa = meminfo("Active(anon)", 236_843_328, 9);
        Diagnoser.Result r = fire(rule, meminfo("MemTotal", 265_856_640, 1), aa, meminfo("Inactive(anon)", 1_749_632, 10),
                meminfo("AnonPages", 2_868_800, 19), meminfo("Shmem", 1_759_232, 21), meminfo("SwapCached", 0, 6));
        Finding f = finding(r);
        assertEquals((236_843_328L + 1_749_632 - 2_868_800 - 1_759_232) * 1024, f.bytes()); // 223.1 GiB
        derivedFrom(r, f, rule, aa);
    }

    @Test void anonLruExcessFromVmstatWhenNoMeminfo() {
        Diagnoser.Result r = fire("vmstat shows anon pages on the LRU far above the anon pages mapped", host("page_size", P), host("ram_bytes", 256L << 30),
                vmstat("nr_active_anon", 3_700_697, 22), vmstat("nr_inactive_anon", 23_120, 21), vmstat("nr_anon_pages", 44_721, 31),
                vmstat("nr_shmem", 23_401, 36));
        assertEquals((3_700_697L + 23_120 - 44_721 - 23_401) * P, finding(r).bytes());
    }

    @Test void processesMapLittle() {
        String rule = "The processes map far less anon memory than sits on the LRU";
        Finding excess = new Finding("ANON_LRU_EXCESS", "", 223L << 30, "x");
        ProcessMemory qemu = new ProcessMemory(4242, "qemu-kvm", 900L << 20, 800L << 20, 0, -1, -1, "smaps", at("processes.txt", 100));
        ProcessMemory sshd = new ProcessMemory(1, "systemd", 10L << 20, 3L << 20, 0, -1, -1, "status", at("processes.txt", 10));
        Finding f = finding(fire(rule, excess, qemu, sshd));
        assertEquals(910L << 20, f.bytes());
        assertTrue(f.summary().contains("largest: qemu-kvm"), f.summary());
        none(fire(rule, excess, new ProcessMemory(7, "hog", 200L << 30, 200L << 30, 0, -1, -1, "status", at("p", 1))), Finding.class);
    }

    @Test void pageTypesRowsGiveWholeUnmappedThpsAndMappedOnesDoNotCount() {
        String rule = "page-types shows whole anonymous THPs on the LRU that no process maps";
        Diagnoser.Result r = fire(rule, host("page_size", P), heads, tails, mapped);
        UnmappedThps u = one(r, UnmappedThps.class);
        assertEquals(447, u.heads());
        assertEquals(3_661_377, u.tails());
        assertEquals(8192, u.pagesPerThp());
        assertEquals(447 * THP, u.bytes());
        derivedFrom(r, u, rule, heads);
    }

    @Test void raisesTheLeak() {
        String rule = "Unmapped THPs leave a reference held: a THP refcount leak";
        Hypothesis got = one(fire(rule, thps, host("ram_bytes", 265_856_640L * 1024)), Hypothesis.class);
        assertEquals(447L * THP, got.bytes());
        assertEquals(447, got.pages());
        assertEquals("critical", got.severity()); // 88% of RAM
    }

    @Test void theMostCompleteTableSizesTheVerdictAndTheOthersAreCited() {
        // case 2: page-types -l shows two THPs (a few ranges), the -C summary of the same host 447
        UnmappedThps list = new UnmappedThps("page-types-l.txt", 3, 3 * 8191, 8192, THP, false, List.of());
        String rule = "Unmapped THPs leave a reference held: a THP refcount leak";
        Hypothesis got = one(fire(rule, list, thps, host("ram_bytes", 265_856_640L * 1024)), Hypothesis.class);
        assertEquals(447L * THP, got.bytes(), "223.5 GiB from the summary, not 1.5 GiB from the listing");
        assertEquals("critical", got.severity());
        assertTrue(got.summary().startsWith("Sized from page-types.txt, the most complete of 2 page-types tables: 447 anonymous THPs"), got.summary());
        Hypothesis sized = new Hypothesis("THP_REFCOUNT_LEAK", "unmapped anonymous THPs", "t", "critical", 1.0, 447L * THP, 447, got.summary());
        Finding partial = finding(fire("Another page-types table of the host counts the same THPs, or fewer", sized, list, thps));
        assertEquals("THP_PARTIAL_TABLE", partial.code());
        assertTrue(partial.summary().startsWith("page-types-l.txt lists only 3 of the 447 unmapped THPs (1.5 GiB of 223.5 GiB)"), partial.summary());
        UnmappedThps again = new UnmappedThps("page-types-C-2.txt", 447, 3_661_377, 8192, THP, false, List.of());
        assertTrue(evidence(fire("Another page-types table of the host counts the same THPs, or fewer", sized, again, thps)).text()
                .startsWith("page-types-C-2.txt agrees: 447 unmapped THPs"));
    }

    @Test void wholeThps() {
        assertTrue(evidence(fire("Every unmapped head has all its tails: whole THPs", h, thps)).text().startsWith("447 heads x 8191 = 3,661,377"));
        UnmappedThps split = new UnmappedThps("f", 447, 3_000_000, 8192, THP, false, List.of());
        none(fire("Every unmapped head has all its tails: whole THPs", h, split), Evidence.class);
    }

    @Test void explainsTheExcess() {
        Evidence e = evidence(fire("The unmapped THPs account for the anon LRU excess", h, thps, new Finding("ANON_LRU_EXCESS", "", 239_581_364_224L, "x")));
        assertEquals(2.0, e.weight());
    }

    @Test void notInRss() {
        Finding f = new Finding("RSS_FAR_BELOW_ANON_LRU", "", 1, "the 5 captured processes map 1 GiB in all");
        assertEquals(f.summary(), evidence(fire("No process maps the memory", h, f)).text());
    }

    @Test void notInAnonHugePages() {
        assertTrue(evidence(fire("AnonHugePages counts far fewer THPs than page-types finds", h, thps, meminfo("AnonHugePages", 0, 41))).supports());
    }

    @Test void headStructPage() {
        long head = 0xffff7fe000400000L;
        PageDescriptor pd = new PageDescriptor(head, head, 0x100000000L, "ffff8000a1b2c3d1", "7ff", 1, 0x8406c, "referenced,uptodate,lru,head,swapbacked", at("session.txt", 9));
        KernelStruct sp = struct("page", head, 12, "_mapcount.counter", "-1", "_refcount.counter", "1");
        Evidence e = evidence(fire("A head's struct page holds a reference with no mapping", h, pd, sp));
        assertTrue(e.text().contains("_refcount 1 and _mapcount -1"), e.text());
        // a THP mapped whole by a PMD also has -1 in the head; its first tail's compound_mapcount says it is mapped
        KernelStruct firstTail = struct("page", head + 0x40, 130, "compound_mapcount.counter", "0");
        none(fire("A head's struct page holds a reference with no mapping", h, pd, sp, firstTail), Evidence.class);
    }

    @Test void foliosMergedOnSixTen() {
        String rule = "On 6.10+ page-types, whole unmapped anonymous folios share one row";
        // 6.10+: tails carry the folio's flags, so 128 THPs of 2 MiB are one row of 65,536 pages
        PageTypesRow row = new PageTypesRow(0x40502cL, 65_536, "__RU_l______a_b_______t", "referenced,uptodate,lru,anonymous,swapbacked,thp", at("page-types.txt", 9));
        UnmappedThps u = one(fire(rule, host("page_size", 4096), row), UnmappedThps.class);
        assertEquals(128, u.heads());
        assertEquals(256L << 20, u.bytes());
        assertTrue(u.foliosMerged());
        // <= 6.9 summaries have a separate tail row: the other rule speaks
        none(fire(rule, host("page_size", 4096), row, new PageTypesRow(0x401000L, 65_408, "", "anonymous,thp", at("page-types.txt", 8))), UnmappedThps.class);
    }

    @Test void splitFailures() {
        EventCounter c = new EventCounter("vmstat", "thp_split_page_failed", 617_424_542, at("vmstat", 160));
        assertTrue(evidence(fire("Splitting and migrating THPs keeps failing", h, c)).text().contains("617,424,542"));
    }

    @Test void nextCaptures() {
        List<NextCapture> n = next(fire("To find who holds the THPs, look at pins and the allocation owners", h));
        assertTrue(n.stream().anyMatch(x -> x.command().contains("nr_foll_pin_")));
    }
}
