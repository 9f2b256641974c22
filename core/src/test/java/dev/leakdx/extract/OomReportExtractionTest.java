package dev.leakdx.extract;

import dev.leakdx.capture.Manifest;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.KernelLogEvent;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.OomConstraint;
import dev.leakdx.facts.OomKill;
import dev.leakdx.facts.OomSlabRow;
import dev.leakdx.facts.OomTask;
import dev.leakdx.facts.OomTrigger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Whole OOM reports in the kernel log (KERNEL-NOTES §5), read by kernel-log.yaml: trigger, Mem-Info,
 * per-node kB lines, totals, unreclaimable slab table, task table (three header generations),
 * oom-kill constraint, kill line; with and without timestamps, under syslog/journal/dmesg -T prefixes.
 */
class OomReportExtractionTest {

    private static MemCounter mem(Samples.Result r, String source, String name) {
        return r.one(MemCounter.class, m -> m.source().equals(source) && m.name().equals(name));
    }

    @Test
    void globalOomWithUnreclaimableSlabTable61() {
        Samples.Result r = Samples.extract("oom-dmesg-6.1.txt");
        assertEquals("kernel.log", r.one(CommandRun.class, c -> true).format());
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());

        OomTrigger t = r.one(OomTrigger.class, x -> true);
        assertEquals("batchjb", t.process());
        assertEquals(0x140cca, t.gfpMask());
        assertEquals("GFP_HIGHUSER_MOVABLE|__GFP_COMP", t.gfpFlags());
        assertTrue(t.hasGfpFlag("__GFP_COMP"));
        assertEquals(0, t.order());
        assertEquals(0, t.oomScoreAdj());
        assertEquals(1843.220145, t.time(), 1e-9);
        assertEquals("oom-dmesg-6.1.txt:1", t.provenance().cite());
        // the existing event is still there
        assertEquals("batchjb", r.one(KernelLogEvent.class, e -> e.kind().equals("OOM_INVOKED")).subject());

        // Mem-Info global line, wrapped over 8 lines, in pages
        assertEquals(121654, mem(r, "oom-meminfo", "inactive_anon").pages());
        assertEquals(341127, mem(r, "oom-meminfo", "slab_unreclaimable").pages());
        assertEquals(2210, mem(r, "oom-meminfo", "slab_reclaimable").pages());
        assertEquals(12043, mem(r, "oom-meminfo", "free").pages());
        assertEquals(0, mem(r, "oom-meminfo", "sec_pagetables").pages());
        assertEquals(-1, mem(r, "oom-meminfo", "free").bytes(), "pages only until the page size is settled");
        assertEquals("oom-dmesg-6.1.txt:25", mem(r, "oom-meminfo", "slab_unreclaimable").provenance().cite());
        assertEquals(20, r.of(MemCounter.class, m -> m.source().equals("oom-meminfo") && m.provenance().firstLine() <= 29).size());

        // per-node line, kB
        assertEquals(486616L * 1024, mem(r, "oom-node0", "inactive_anon").bytes());
        assertEquals(976L * 1024, mem(r, "oom-node0", "kernel_stack").bytes());
        assertEquals(0, mem(r, "oom-node0", "shmem_thp").bytes(), "'shmem_thp: 0kB' with its space");
        assertEquals(0, mem(r, "oom-node0", "isolated(anon)").bytes());
        assertTrue(r.of(MemCounter.class, m -> m.source().startsWith("oom-node") && m.name().equals("free")).isEmpty(),
                "per-zone lines are not node lines");

        // totals
        assertEquals(524158, mem(r, "oom-meminfo", "pages RAM").pages());
        assertEquals(25228, mem(r, "oom-meminfo", "pages reserved").pages());
        assertEquals(1732, mem(r, "oom-meminfo", "total pagecache pages").pages());
        assertEquals(0, mem(r, "oom-meminfo", "Free swap").bytes());
        assertEquals(0, mem(r, "oom-meminfo", "Total swap").bytes());
        // hugetlb lines stay HugePagePools
        assertEquals(2, r.of(HugePagePool.class).size());

        // unreclaimable slab table
        List<OomSlabRow> slab = r.of(OomSlabRow.class);
        assertEquals(16, slab.size());
        OomSlabRow k2k = r.one(OomSlabRow.class, s -> s.name().equals("kmalloc-2k"));
        assertEquals(1330112L * 1024, k2k.usedBytes());
        assertEquals(1330240L * 1024, k2k.totalBytes());
        assertEquals("oom-dmesg-6.1.txt:52", k2k.provenance().cite());
        assertEquals(27L * 1024, r.one(OomSlabRow.class, s -> s.name().equals("kmalloc-32")).usedBytes());
        long tableKb = slab.stream().mapToLong(OomSlabRow::totalBytes).sum() / 1024;
        assertTrue(tableKb <= 341127L * 4, "the table is within slab_unreclaimable");

        // task table (4.15+ header)
        List<OomTask> tasks = r.of(OomTask.class);
        assertEquals(4, tasks.size());
        OomTask hog = r.one(OomTask.class, x -> x.pid() == 2321);
        assertEquals("batchjb", hog.name());
        assertEquals(0, hog.uid());
        assertEquals(2321, hog.tgid());
        assertEquals(123722, hog.totalVmPages());
        assertEquals(121402, hog.rssPages());
        assertEquals(999424, hog.pgtablesBytes());
        assertEquals(0, hog.swapents());
        assertEquals(0, hog.oomScoreAdj());
        assertEquals(-1, hog.rssAnonPages(), "no rss split before 6.8");
        assertEquals(-1000, r.one(OomTask.class, x -> x.name().equals("vm_manager")).oomScoreAdj());
        assertEquals(122093, tasks.stream().mapToLong(OomTask::rssPages).sum());

        OomConstraint c = r.one(OomConstraint.class, x -> true);
        assertEquals("CONSTRAINT_NONE", c.constraint());
        assertEquals("(null)", c.nodemask());
        assertEquals("/", c.cpuset());
        assertEquals("0", c.memsAllowed());
        assertTrue(c.globalOom());
        assertEquals("", c.oomMemcg());
        assertEquals("/", c.taskMemcg());
        assertEquals("batchjb", c.task());
        assertEquals(2321, c.pid());
        assertEquals(0, c.uid());
        assertFalse(c.memcgOom());

        OomKill k = r.one(OomKill.class, x -> true);
        assertEquals(2321, k.pid());
        assertEquals(485608L * 1024, k.anonRss());
        assertEquals(0, k.fileRss(), "file-rss, not the capture file's name");
        assertEquals(hog.rssPages() * 4096, k.anonRss(), "the kill line and the task table agree");
    }

    @Test
    void memcgOomInTheJournalWithTheNewTaskHeader() {
        Samples.Result r = Samples.extract("oom-journal-memcg-6.8.txt");
        assertEquals("kernel.log", r.one(CommandRun.class, c -> true).format(), "recognised by its journal prefix");
        OomTrigger t = r.one(OomTrigger.class, x -> true);
        assertEquals("python3", t.process(), "not 'Nov 22 03:00:11 labhost kernel: python3'");
        assertEquals(0xcc0, t.gfpMask());
        assertEquals(200, t.oomScoreAdj());
        assertEquals(-1, t.time(), 0);

        assertEquals(262144L * 1024, mem(r, "oom-memcg", "memory usage").bytes());
        assertEquals(262144L * 1024, mem(r, "oom-memcg", "memory limit").bytes());
        assertEquals(0, mem(r, "oom-memcg", "swap limit").bytes());
        assertTrue(r.of(MemCounter.class, m -> m.source().equals("oom-meminfo")).isEmpty(), "a memcg OOM prints no Mem-Info");

        OomTask py = r.one(OomTask.class, x -> x.pid() == 48391);
        assertEquals(1000, py.uid());
        assertEquals(91420, py.totalVmPages());
        assertEquals(65119, py.rssPages());
        assertEquals(64648, py.rssAnonPages());
        assertEquals(471, py.rssFilePages());
        assertEquals(0, py.rssShmemPages());
        assertEquals(634880, py.pgtablesBytes());
        assertEquals(200, py.oomScoreAdj());
        OomTask tmux = r.one(OomTask.class, x -> x.pid() == 48402);
        assertEquals("tmux: server", tmux.name(), "a comm with a space");
        assertEquals(514, tmux.rssShmemPages());
        assertEquals(tmux.rssAnonPages() + tmux.rssFilePages() + tmux.rssShmemPages(), tmux.rssPages());

        OomConstraint c = r.one(OomConstraint.class, x -> true);
        assertEquals("CONSTRAINT_MEMCG", c.constraint());
        assertEquals("0,2-3", c.memsAllowed(), "a node list with a comma");
        assertFalse(c.globalOom());
        assertEquals("/system.slice/batch-import.service", c.oomMemcg());
        assertEquals("/system.slice/batch-import.service", c.taskMemcg());
        assertEquals("python3", c.task());
        assertEquals(1000, c.uid());
        assertTrue(c.memcgOom());

        OomKill k = r.one(OomKill.class, x -> true);
        assertTrue(k.memcg());
        assertEquals(1884L * 1024, k.fileRss());
        assertEquals(0, r.stats("oom-journal-memcg-6.8.txt").skipped);
    }

    @Test
    void syslogReportOfA414KernelWithTwoNodesAndNrPtes() {
        Samples.Result r = Samples.extract("oom-syslog-4.14.txt");
        OomTrigger t = r.one(OomTrigger.class, x -> true);
        assertEquals("postgres", t.process());
        assertEquals(0x14280ca, t.gfpMask());
        assertEquals(0, t.order(), "', nodemask=(null),  order=0' of 4.x");
        assertEquals(9512.412907, t.time(), 1e-9, "the printk time after 'kernel: '");

        assertEquals(3634160, mem(r, "oom-meminfo", "active_anon").pages());
        assertEquals(0, mem(r, "oom-meminfo", "unstable").pages(), "a key of older kernels is kept like any other");
        assertEquals(33221, mem(r, "oom-meminfo", "free").pages());
        assertEquals(7266776L * 1024, mem(r, "oom-node0", "active_anon").bytes());
        assertEquals(7269864L * 1024, mem(r, "oom-node1", "active_anon").bytes());
        long nodesKb = (mem(r, "oom-node0", "active_anon").bytes() + mem(r, "oom-node1", "active_anon").bytes()) / 1024;
        assertEquals(mem(r, "oom-meminfo", "active_anon").pages() * 4, nodesKb, "nodes add up to the global line");
        assertEquals(90021, mem(r, "oom-meminfo", "pages reserved").pages());
        assertEquals(2, r.of(HugePagePool.class).size());
        assertTrue(r.of(OomSlabRow.class).isEmpty());

        OomTask pg = r.one(OomTask.class, x -> x.name().equals("postgres"));
        assertEquals(30417, pg.pid());
        assertEquals(26, pg.uid());
        assertEquals(3598659, pg.rssPages());
        assertEquals(-1, pg.pgtablesBytes(), "4.14 prints page-table pages, not bytes");
        assertEquals(7051 + 17, pg.pgtablesPages(), "nr_ptes + nr_pmds");
        assertEquals((7051 + 17) * 4096L, pg.pgtablesBytes(4096));
        assertEquals(-1000, r.one(OomTask.class, x -> x.name().equals("sshd")).oomScoreAdj());
        assertTrue(r.of(OomConstraint.class).isEmpty(), "no oom-kill: line before 4.19");

        assertEquals("postgres", r.one(KernelLogEvent.class, e -> e.kind().equals("OOM_KILLED")).subject());
        OomKill k = r.one(OomKill.class, x -> true);
        assertEquals(30417, k.pid());
        assertFalse(k.memcg());
        assertEquals(14386104L * 1024, k.anonRss());
        assertEquals(8532L * 1024, k.shmemRss());
        assertEquals(9512.413536, k.time(), 1e-9);
        assertEquals("oom-syslog-4.14.txt:47", k.provenance().cite());
    }

    @Test
    void oomMeminfoPagesGetBytesOnceThePageSizeIsSettled() {
        Samples.Result r = Samples.extract("oom-syslog-4.14.txt");
        List<Fact> settled = HostInference.settle(r.facts(), Manifest.EMPTY, new Sink());
        HostFact ps = (HostFact) settled.stream().filter(f -> f instanceof HostFact h && h.key().equals("page_size")).findFirst().orElseThrow();
        assertEquals("4096", ps.value(), "from hugepages_size=2048kB, the only hstate of the report");
        MemCounter slab = (MemCounter) settled.stream()
                .filter(f -> f instanceof MemCounter m && m.source().equals("oom-meminfo") && m.name().equals("slab_unreclaimable"))
                .findFirst().orElseThrow();
        assertEquals(23876L * 4096, slab.bytes());
        MemCounter reserved = (MemCounter) settled.stream()
                .filter(f -> f instanceof MemCounter m && m.source().equals("oom-meminfo") && m.name().equals("pages reserved"))
                .findFirst().orElseThrow();
        assertEquals(90021L * 4096, reserved.bytes());
    }

    /** The facts of a report, without where they came from or the printk time: what must not depend on the log's prefix. */
    private static List<String> content(Samples.Result r) {
        return r.facts().stream().filter(f -> !(f instanceof CommandRun))
                .map(f -> Samples.signature(f, x -> "F").replaceAll("provenance=[^;]*;", "").replaceAll("time=[^;]*;", ""))
                .toList();
    }

    @Test
    void theSameReportUnderEveryPrefix(@TempDir Path dir) {
        String dmesg = Samples.text("oom-dmesg-6.1.txt");
        List<String> want = content(Samples.extract("oom-dmesg-6.1.txt"));
        assertEquals(1 + 1 + 20 + 18 + 2 + 2 + 8 + 16 + 4 + 1 + 1, want.size(),
                "trigger, event, Mem-Info, node, page size from the two free-area lines, hugetlb, totals, slab, tasks, constraint, kill");
        UnaryOperator<String> noTime = l -> l.replaceFirst("^\\[\\s*\\d+\\.\\d+\\] ", "");
        List<String[]> variants = List.of(
                new String[] {"dmesg -t", map(dmesg, noTime)},
                new String[] {"syslog", map(dmesg, l -> "Nov 22 03:00:11 labhost kernel: " + l)},
                new String[] {"journal without host", map(dmesg, l -> "Nov 22 03:00:11 kernel: " + noTime.apply(l))},
                new String[] {"kernel: [t]", map(dmesg, l -> "kernel: " + l)},
                new String[] {"short-iso", map(dmesg, l -> "2025-11-22T03:00:11+0100 labhost kernel: " + noTime.apply(l))},
                new String[] {"dmesg -T", map(dmesg, l -> "[Sat Nov 22 03:00:11 2025] " + noTime.apply(l))},
                new String[] {"dmesg -x", map(dmesg, l -> "kern  :warn  : " + l)},
                new String[] {"crash log -m", map(dmesg, l -> l.replaceFirst("\\] ", "] <4>"))},
                new String[] {"crash log", "crash> log\n" + dmesg},
                new String[] {"rsyslog #012", dmesg.replaceAll("\n\\[ 1843\\.220228\\]  ", "#012 ")});
        for (String[] v : variants) {
            Samples.Result r = Samples.extractText(dir, "log.txt", v[1]);
            assertEquals(want, content(r), v[0]);
            assertEquals(0, r.stats("log.txt").skipped, v[0]);
        }
        // the printk time survives every prefix that carries it
        for (String prefixed : List.of(map(dmesg, l -> "Nov 22 03:00:11 labhost kernel: " + l), map(dmesg, l -> "kernel: " + l))) {
            Samples.Result r = Samples.extractText(dir, "log.txt", prefixed);
            assertEquals(1843.220145, r.one(OomTrigger.class, x -> true).time(), 1e-9);
        }
    }

    private static String map(String text, UnaryOperator<String> f) {
        StringBuilder b = new StringBuilder();
        text.lines().forEach(l -> b.append(f.apply(l)).append('\n'));
        return b.toString();
    }

    @Test
    void malformedReportCrlfCutRowsAndAnUnknownKey(@TempDir Path dir) {
        String text = Samples.text("oom-dmesg-6.1.txt")
                .replace(" kernel_misc_reclaimable:0", " kernel_misc_reclaimable:0 zswapped:17")                       // unknown key
                .replace("kmalloc-96                47KB         47KB", "kmalloc-96                47KB")                 // slab row cut
                .replace("[    101]     0   101      653      199    45056", "[    101]     0   101      653")         // task row cut
                .replace("\n", "\r\n");
        Samples.Result r = Samples.extractText(dir, "dmesg.txt", text);
        assertEquals(17, mem(r, "oom-meminfo", "zswapped").pages(), "every key of the global line is kept");
        assertEquals(15, r.of(OomSlabRow.class).size());
        assertEquals(3, r.of(OomTask.class).size());
        assertEquals(121402, r.one(OomTask.class, x -> x.pid() == 2321).rssPages(), "CRLF does not stick to the name");
        assertEquals("batchjb", r.one(OomTask.class, x -> x.pid() == 2321).name());
        assertEquals(2, r.stats("dmesg.txt").skipped);
        List<Diagnostic> skipped = r.diagnostics("skipped");
        assertEquals("dmesg.txt:58", skipped.get(0).cite());
        assertEquals("dmesg.txt:68", skipped.get(1).cite());
        assertTrue(skipped.get(1).message().contains("[    101]"), skipped.get(1).message());
        assertEquals(1, r.of(OomConstraint.class).size());
        assertEquals(1, r.of(OomKill.class).size());
    }

    @Test
    void oldTwoLineKillOfAMemcgAndATriggerWithoutFlags(@TempDir Path dir) {
        String log = """
                [  412.100001] java invoked oom-killer: gfp_mask=0xd0, order=0, oom_score_adj=0
                [  412.100300] Memory cgroup out of memory: Kill process 4711 (java) score 1000 or sacrifice child
                [  412.100400] Killed process 4711 (java) total-vm:4194304kB, anon-rss:1048576kB, file-rss:2048kB
                [  413.000000] bash invoked oom-killer: gfp_mask=0x0(), nodemask=(null), order=-1, oom_score_adj=0
                """;
        Samples.Result r = Samples.extractText(dir, "dmesg", log);
        List<OomTrigger> t = r.of(OomTrigger.class);
        assertEquals(2, t.size());
        assertEquals(0xd0, t.get(0).gfpMask());
        assertEquals("", t.get(0).gfpFlags());
        assertEquals(-1, t.get(1).order(), "sysrq-f / out_of_memory without an allocation");
        OomKill k = r.one(OomKill.class, x -> true);
        assertTrue(k.memcg(), "the Kill process line said Memory cgroup");
        assertEquals(4711, k.pid());
        assertEquals(-1, k.shmemRss());
        assertEquals(1, r.of(KernelLogEvent.class, e -> e.kind().equals("OOM_KILLED")).size());
    }
}
