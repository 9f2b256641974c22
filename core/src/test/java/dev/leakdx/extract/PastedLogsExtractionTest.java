package dev.leakdx.extract;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.capture.Manifest;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.KernelLogEvent;
import dev.leakdx.facts.KernelModule;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.OomKill;
import dev.leakdx.facts.OomTask;
import dev.leakdx.facts.OomTrigger;
import dev.leakdx.facts.ProcessMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, forms 6 and 7: what people paste from logs and small /proc, /sys and userspace tools,
 * read from the real samples of the paste-* case folders (their expected.yaml cite the sources).
 * One test per form; values, comms and cited lines are asserted.
 */
class PastedLogsExtractionTest {

    private static Path caseDir(String name) {
        Path dir = Path.of("cases", name);
        if (!java.nio.file.Files.isDirectory(dir)) throw new IllegalStateException("missing case folder " + dir);
        return dir;
    }

    private static Samples.Result extractCase(String name) {
        try (Capture c = CaptureOpener.open(caseDir(name))) {
            return Samples.extract(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Samples.Result extractCaseFile(String name, String file) {
        return Samples.extract(caseDir(name).resolve(file));
    }

    private static MemCounter mem(Samples.Result r, String source, String name) {
        return r.one(MemCounter.class, m -> m.source().equals(source) && m.name().equals(name));
    }

    // ---------------------------------------------------------------- form 6: OOM reports of every era

    @Test
    void oom26MailQuotedAndWrappedWithTwoLineKillWithoutSizes() {
        Samples.Result r = extractCaseFile("paste-oom-2.6.31-lkml-wu-msgctl11", "mail.txt");
        assertEquals("kernel.log", r.stats("mail.txt").format);
        List<OomTrigger> triggers = r.of(OomTrigger.class);
        assertEquals(2, triggers.size());
        assertEquals("msgctl11", triggers.get(0).process(), "the '> ' quote is not part of the comm");
        assertEquals(0xd0, triggers.get(0).gfpMask());
        assertEquals(1, triggers.get(0).order());
        assertEquals("mail.txt:1", triggers.get(0).provenance().cite());
        assertEquals(2259.825958, triggers.get(1).time(), 1e-9, "indented printk time is still the time");
        assertEquals("msgctl11", triggers.get(1).process());

        // 2.6: "Out of memory: kill process N (x) score S or a child" then "Killed process N (x)", no sizes
        List<OomKill> kills = r.of(OomKill.class);
        assertEquals(2, kills.size());
        assertEquals(4222, kills.get(0).pid());
        assertEquals("msgctl11", kills.get(0).comm());
        assertEquals(-1, kills.get(0).anonRss(), "sizes not printed are unknown, not 0");
        assertEquals(-1, kills.get(0).totalVm());
        assertFalse(kills.get(0).memcg());
        assertEquals("mail.txt:67", kills.get(0).provenance().cite());
        assertEquals(21946, kills.get(1).pid());
        assertEquals(1, r.of(KernelLogEvent.class, e -> e.kind().equals("OOM_KILLED") && e.text().contains("score 179248 or a child")).size());

        // 2.6.28-2.6.31 Mem-Info: capitalised first key, pages
        assertEquals(72835, r.of(MemCounter.class, m -> m.name().equals("Active_anon")).get(0).pages());
        assertEquals("mail.txt:44", r.of(MemCounter.class, m -> m.name().equals("pagetables")).get(0).provenance().cite());
        assertEquals(66918, r.of(MemCounter.class, m -> m.name().equals("pagetables")).get(0).pages());
        // after Wu's remark "zero anon pages!" the wrapped global line goes on
        MemCounter pt2 = r.of(MemCounter.class, m -> m.name().equals("pagetables")).get(1);
        assertEquals(59427, pt2.pages());
        assertEquals("mail.txt:100", pt2.provenance().cite());
        assertEquals(262144, r.of(MemCounter.class, m -> m.name().equals("pages RAM")).get(0).pages());
        assertEquals(6503, r.of(MemCounter.class, m -> m.name().equals("pages reserved")).get(0).pages());

        // the free-area line states the base page size
        List<Fact> settled = HostInference.settle(r.facts(), Manifest.EMPTY, new Sink());
        HostFact ps = (HostFact) settled.stream().filter(f -> f instanceof HostFact h && h.key().equals("page_size")).findFirst().orElseThrow();
        assertEquals("4096", ps.value());
        assertTrue(ps.how().contains("order-0 blocks of 4 kB"), ps.how());
    }

    @Test
    void oom26UbuntuLayoutPagesOfRamAndReservedPages(@TempDir Path dir) {
        // 2.6.22-era show_mem (i386 arch/x86/mm/pgtable_32.c): the lines of a real report (ubuntuforums, 2008)
        Samples.Result r = Samples.extractText(dir, "dmesg.txt", String.join("\n",
                "[635211.707938] gpg-agent invoked oom-killer: gfp_mask=0x201d2, order=0, oomkilladj=0",
                "[635211.708232] Mem-info:",
                "[635211.708250] Active:90336 inactive:90156 dirty:0 writeback:0 unstable:0",
                "[635211.708252]  free:1623 slab:4216 mapped:6 pagetables:1409 bounce:0",
                "[635211.718778] 196588 pages of RAM",
                "[635211.718783] 2754 reserved pages",
                "[635211.740772] Out of memory: kill process 9837 (run-mozilla.sh) score 70967 or a child",
                "[635211.740784] Killed process 9846 (firefox-bin)", ""));
        assertEquals(0, r.one(OomTrigger.class, t -> true).oomScoreAdj(), "oomkilladj is the 2.6 name");
        assertEquals(90336, mem(r, "oom-meminfo", "Active").pages());
        assertEquals(90156, mem(r, "oom-meminfo", "inactive").pages());
        assertEquals(4216, mem(r, "oom-meminfo", "slab").pages());
        assertEquals(196588, mem(r, "oom-meminfo", "pages RAM").pages());
        assertEquals(2754, mem(r, "oom-meminfo", "pages reserved").pages());
        OomKill k = r.one(OomKill.class, x -> true);
        assertEquals(9846, k.pid());
        assertEquals("firefox-bin", k.comm(), "the child killed, not the parent the score line named");
        assertEquals(-1, k.anonRss());
        assertEquals("dmesg.txt:8", k.provenance().cite());
        assertEquals("run-mozilla.sh", r.one(KernelLogEvent.class, e -> e.kind().equals("OOM_KILLED")).subject());
    }

    @Test
    void oomKillLineVariantsOfEveryEra(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "kills.txt", String.join("\n",
                // RHEL 6 (2.6.32-xxx.el6): ", UID %d," after the pid, and its misspelt trigger key
                "java invoked oom-killer: gfp_mask=0xd0, order=0, oom_adj=0, oom_scoe_adj=0",
                "Memory cgroup out of memory: Kill process 215701 (java) score 854 or sacrifice child",
                "Killed process 215701, UID 679, (java) total-vm:11017300kB, anon-rss:7152432kB, file-rss:1232kB",
                // 2.6.18: one line, with a full stop
                "Out of memory: Killed process 2431 (httpd).",
                // 2.6.32 upstream printed vsz:
                "Killed process 3130 (mysqld) vsz:1463620kB, anon-rss:1153380kB, file-rss:0kB",
                // 6.x, a comm with parentheses
                "[ 94.049963] Out of memory: Killed process 198 ((sd-pam)) total-vm:9344kB, anon-rss:1772kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:52kB oom_score_adj:0",
                // a kill line a mail client broke after anon-rss
                "[  818.356493] Killed process 2188 (mysqld) total-vm:3330016kB, anon-rss:864176kB,", ""));
        assertEquals(0, r.one(OomTrigger.class, t -> true).oomScoreAdj());
        List<OomKill> k = r.of(OomKill.class);
        assertEquals(5, k.size(), k.toString());
        assertEquals(215701, k.get(0).pid());
        assertEquals("java", k.get(0).comm());
        assertTrue(k.get(0).memcg(), "after 'Memory cgroup out of memory: Kill process'");
        assertEquals(7152432L * 1024, k.get(0).anonRss());
        assertEquals("httpd", k.get(1).comm());
        assertEquals(-1, k.get(1).anonRss());
        assertFalse(k.get(1).memcg());
        assertEquals(1463620L * 1024, k.get(2).totalVm());
        assertEquals(1153380L * 1024, k.get(2).anonRss());
        assertEquals("(sd-pam)", k.get(3).comm());
        assertEquals(1772L * 1024, k.get(3).anonRss());
        assertEquals(864176L * 1024, k.get(4).anonRss());
        assertEquals(-1, k.get(4).fileRss(), "cut before file-rss: unknown");
        assertEquals("kills.txt:7", k.get(4).provenance().cite());
    }

    @Test
    void oomCommWithParenthesesAndLinesCutAtTheTerminalEdge() {
        Samples.Result r = extractCaseFile("paste-oom-6.1-netdev-fec-page-pool-arm64", "dmesg.txt");
        OomKill k = r.one(OomKill.class, x -> true);
        assertEquals(679, k.pid());
        assertEquals("(sd-pam)", k.comm(), "printed as '((sd-pam))': the comm runs to the ') ' before the sizes");
        assertEquals(2584L * 1024, k.anonRss());
        assertEquals("dmesg.txt:125", k.provenance().cite());
        assertEquals("(sd-pam)", r.one(OomTask.class, t -> t.pid() == 679).name());
        assertEquals(646, r.one(OomTask.class, t -> t.pid() == 679).rssPages());
        assertEquals(33, r.of(OomTask.class).size());
        assertEquals(129241, mem(r, "oom-meminfo", "free_cma").pages());
        assertEquals(163840, mem(r, "oom-meminfo", "pages cma reserved").pages());
        // the oom-kill: line cut at "tas0" is reported, not read and not dropped silently
        assertEquals(1, r.stats("dmesg.txt").skipped);
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.line() == 124), r.diagnostics().toString());
        assertEquals(4, r.of(HugePagePool.class).size());
    }

    @Test
    void oomMemcgTaskInLimitAndStatsLineWrappedByThePage() {
        Samples.Result r = extractCaseFile("paste-oom-memcg-4.4-docker-go-leak-wrapped", "dmesg.txt");
        OomTrigger t = r.one(OomTrigger.class, x -> true);
        assertEquals("main", t.process());
        assertEquals(0x24000c0, t.gfpMask(), "the terminal's '[7/972]' after the line does not spoil it");
        List<KernelLogEvent> taskIn = r.of(KernelLogEvent.class, e -> e.kind().equals("OOM_MEMCG_LIMIT"));
        assertEquals(2, taskIn.size(), "the line appears twice in the paste");
        assertEquals("/docker/34186d9bd07706222bd427bb647ceed81e8e108eb653ff73c7137099fca1cab6", taskIn.get(0).subject());
        assertEquals("dmesg.txt:21", taskIn.get(0).provenance().cite());
        assertEquals(204800L * 1024, r.of(MemCounter.class, m -> m.source().equals("oom-memcg") && m.name().equals("memory limit")).get(0).bytes());
        assertEquals(4563, r.of(EventCounter.class, m -> m.source().equals("oom-memcg") && m.name().equals("memory failcnt")).get(0).value());
        assertEquals(2, r.of(OomTask.class).size());
        OomKill k = r.one(OomKill.class, x -> true);
        assertTrue(k.memcg());
        assertEquals(11344, k.pid());
        assertEquals("main", k.comm());
        assertEquals(183712L * 1024, k.anonRss());
        assertEquals(1016L * 1024, k.fileRss());
        assertEquals("dmesg.txt:35", k.provenance().cite());
    }

    @Test
    void oomMemcgQuotedTwiceWithTheCpuOomAdjTaskTable() {
        Samples.Result r = extractCaseFile("paste-oom-memcg-3.2-lkml-hocko-apache-quoted", "mail.txt");
        assertEquals("kernel.log", r.stats("mail.txt").format);
        assertEquals("/1066", r.one(KernelLogEvent.class, e -> e.kind().equals("OOM_MEMCG_LIMIT")).subject());
        List<OomTask> tasks = r.of(OomTask.class);
        assertEquals(6, tasks.size());
        assertEquals(1046, tasks.get(0).pid());
        assertEquals(95491, tasks.get(0).rssPages());
        assertEquals("apache2", tasks.get(0).name());
        assertEquals("mail.txt:5", tasks.get(0).provenance().cite());
        KernelLogEvent kill = r.one(KernelLogEvent.class, e -> e.kind().equals("OOM_KILLED"));
        assertEquals("apache2", kill.subject());
        assertEquals("mail.txt:11", kill.provenance().cite());
        assertTrue(r.of(OomKill.class).isEmpty(), "no 'Killed process' line was quoted");
    }

    @Test
    void oomDmesgTInAnotherLocale() {
        Samples.Result r = extractCaseFile("paste-oom-memcg-5.15-oomanalyser-proxmox-dmesg-T", "oom.txt");
        assertEquals("php-fpm", r.one(OomTrigger.class, x -> true).process(), "'[Di Aug 12 03:54:03 2025] ' is cut as a prefix");
        assertEquals(31211520L * 1024, r.of(MemCounter.class, m -> m.source().equals("oom-memcg") && m.name().equals("memory usage")).get(0).bytes());
        OomKill k = r.one(OomKill.class, x -> true);
        assertTrue(k.memcg());
        assertEquals(3902942, k.pid());
        assertEquals(156088L * 1024, k.shmemRss());
        assertEquals("oom.txt:159", k.provenance().cite());
    }

    @Test
    void sysrqMemOutsideAnOomInTwoEras() {
        Samples.Result r = extractCaseFile("paste-sysrq-m-2.6.26-2.6.27-lkml-bug12832", "sysrq-m.txt");
        assertEquals("kernel.log", r.stats("sysrq-m.txt").format, "recognised by 'SysRq : Show Memory' under a mail quote");
        assertTrue(r.of(OomTrigger.class).isEmpty());
        List<MemCounter> free = r.of(MemCounter.class, m -> m.name().equals("free"));
        assertEquals(2, free.size());
        assertEquals(103730, free.get(0).pages());
        assertEquals("sysrq-m.txt:9", free.get(0).provenance().cite());
        assertEquals(62265, free.get(1).pages());
        assertEquals("sysrq-m.txt:34", free.get(1).provenance().cite());
        List<MemCounter> ram = r.of(MemCounter.class, m -> m.name().equals("pages RAM"));
        assertEquals(List.of(131056L, 131056L), ram.stream().map(MemCounter::pages).toList(), "'pages of RAM' (2.6.26) and 'pages RAM' (2.6.27)");
        assertEquals(List.of(3772L, 4046L), r.of(MemCounter.class, m -> m.name().equals("pages reserved")).stream().map(MemCounter::pages).toList());
        assertEquals(0, r.stats("sysrq-m.txt").skipped);
    }

    // ---------------------------------------------------------------- form 7: small /proc, /sys and tool outputs

    @Test
    void sockstatTcpMemIsPages() {
        Samples.Result r = extractCaseFile("paste-sockstat-insights-core", "sockstat");
        assertEquals("proc.sockstat", r.stats("sockstat").format);
        assertEquals(3037, r.one(EventCounter.class, e -> e.name().equals("sockets used")).value());
        MemCounter tcp = mem(r, "sockstat", "TCP mem");
        assertEquals(4109, tcp.pages());
        assertEquals(-1, tcp.bytes(), "bytes only once the page size is known");
        assertEquals("sockstat:2", tcp.provenance().cite());
        assertEquals(2030, r.one(EventCounter.class, e -> e.name().equals("TCP tw")).value());
        assertEquals(3, mem(r, "sockstat", "UDP mem").pages());
        assertEquals(10, mem(r, "sockstat", "FRAG memory").bytes(), "FRAG memory is bytes");
        assertEquals(0, r.stats("sockstat").skipped);

        // with the page size known (here from a 64 KiB host), pages become bytes
        List<Fact> facts = new java.util.ArrayList<>(r.facts());
        facts.add(new HostFact("page_size", "65536", "test", tcp.provenance()));
        MemCounter settled = (MemCounter) HostInference.settle(facts, Manifest.EMPTY, new Sink()).stream()
                .filter(f -> f instanceof MemCounter m && m.name().equals("TCP mem")).findFirst().orElseThrow();
        assertEquals(4109L * 65536, settled.bytes());

        Samples.Result six = extractCaseFile("paste-sockstat-procfs-fixture", "sockstat6");
        assertEquals(17, six.one(EventCounter.class, e -> e.name().equals("TCP6 inuse")).value());
        assertEquals(0, six.one(MemCounter.class, m -> m.name().equals("FRAG6 memory")).bytes());
    }

    @Test
    void psAndTopTablesGiveRssInBytes() {
        Samples.Result aux = extractCaseFile("paste-ps-aux-insights-core", "ps-auxww.txt");
        assertEquals("ps.table", aux.stats("ps-auxww.txt").format);
        ProcessMemory systemd = aux.one(ProcessMemory.class, p -> p.pid() == 1);
        assertEquals(1544L * 1024, systemd.rss());
        assertEquals("/usr/lib/systemd/systemd --switched-root --system --deserialize 22", systemd.comm());
        assertEquals("ps", systemd.source());
        assertEquals(-1, systemd.anon(), "ps does not split RSS");
        assertEquals("ps-auxww.txt:2", systemd.provenance().cite());
        assertEquals(8, aux.of(ProcessMemory.class).size());

        Samples.Result alx = extractCaseFile("paste-ps-alx-insights-core", "ps-alxwww.txt");
        assertEquals(6928L * 1024, alx.one(ProcessMemory.class, p -> p.pid() == 1).rss(), "RSS found by its header, not its position");
        assertEquals("[migration/0]", alx.one(ProcessMemory.class, p -> p.pid() == 7).comm(), "NI '-' keeps the columns aligned");

        // busybox ps -o pid,ppid,vsz,rss,comm on the lab guest prints sizes over 9999 KiB with a suffix
        Samples.Result bb = extractCaseFile("lab-thp", "proc/ps.txt");
        ProcessMemory vm = bb.one(ProcessMemory.class, p -> p.pid() == 223);
        assertEquals("vm_manager", vm.comm());
        assertEquals(64L << 20, vm.rss());

        Samples.Result top = extractCaseFile("paste-numastat-top-lkml-gmem-snp", "top.txt");
        ProcessMemory q = top.one(ProcessMemory.class, p -> true);
        assertEquals(242179, q.pid());
        assertEquals(99580L * 1024, q.rss());
        assertEquals("top", q.source());
    }

    @Test
    void smemTablesPlainAndWithUnits() {
        // smem's header and rows as it prints them (smem 1.4; the Command column is cut at 27 characters and
        // holds spaces); plain values are KiB, -k adds 1024-based suffixes
        Samples.Result plain = Samples.extractText(tmp(), "smem.txt", String.join("\n",
                "  PID User     Command                         Swap      USS      PSS      RSS",
                "129137 root     nginx: master process /usr/        4      480     1175     3144",
                "129139 www-data nginx: worker process              4     6540     7537    12352", ""));
        assertEquals("ps.table", plain.stats("smem.txt").format);
        ProcessMemory worker = plain.one(ProcessMemory.class, p -> p.pid() == 129139);
        assertEquals(12352L * 1024, worker.rss(), "RSS, not PSS or USS");
        assertEquals("nginx: worker process", worker.comm());
        assertEquals("smem", worker.source());
        assertEquals("nginx: master process /usr/", plain.one(ProcessMemory.class, p -> p.pid() == 129137).comm());

        Samples.Result k = Samples.extractText(tmp(), "smem-k.txt", String.join("\n",
                "       PID User     Command                  Swap      USS      PSS      RSS",
                "      1201 app      gunicorn: worker          0     58.1M    91.4M   301.2M", ""));
        assertEquals(Math.round(301.2 * (1 << 20)), k.one(ProcessMemory.class, p -> p.pid() == 1201).rss());
    }

    @Test
    void modulesAndLsmodGiveSizes() {
        Samples.Result m = extractCaseFile("lab-thp", "proc/modules.txt");
        assertEquals("proc.modules", m.stats("modules.txt").format);
        KernelModule kvmx = m.one(KernelModule.class, x -> x.name().equals("kvmx_dev"));
        assertEquals(20480, kvmx.size());
        assertEquals(0, kvmx.refCount());
        assertEquals("[permanent]", kvmx.usedBy());
        assertEquals("Live", kvmx.state());
        assertEquals("OE", kvmx.taint());
        assertEquals("modules.txt:1", kvmx.provenance().cite());
        assertEquals(0, m.stats("modules.txt").skipped);

        Samples.Result l = extractCaseFile("paste-lsmod-insights-core", "lsmod.txt");
        assertEquals(16, l.of(KernelModule.class).size());
        KernelModule llc = l.one(KernelModule.class, x -> x.name().equals("llc"));
        assertEquals(14552, llc.size());
        assertEquals(2, llc.refCount());
        assertEquals("stp,bridge", llc.usedBy());
        assertEquals("", llc.state(), "lsmod does not print the state");
    }

    @Test
    void numastatPerNodeRowsNeverPassForMeminfo() {
        Samples.Result r = extractCaseFile("paste-numastat-top-lkml-gmem-snp", "numastat.txt");
        assertEquals("numastat", r.stats("numastat.txt").format);
        assertEquals(Math.round(23999.46 * (1 << 20)), mem(r, "numastat", "Node 2 FilePages").bytes());
        assertEquals(Math.round(52244.14 * (1 << 20)), mem(r, "numastat", "FilePages").bytes(), "the Total column");
        assertEquals("numastat.txt:8", mem(r, "numastat", "Node 0 FilePages").provenance().cite());
        assertTrue(r.of(MemCounter.class, x -> x.source().equals("meminfo")).isEmpty());
        // the per-process table of -p is reported, not read as node rows
        assertEquals(2, r.stats("numastat.txt").skipped);

        // the per-node sysfs files give the same counters under the same names, the node from the path
        Samples.Result sys = extractCase("paste-node-numastat-node-exporter");
        EventCounter hit0 = sys.one(EventCounter.class, e -> e.name().equals("node0 numa_hit"));
        assertEquals(193460335812L, hit0.value());
        assertEquals("sys/devices/system/node/node0/numastat:1", hit0.provenance().cite());
        assertEquals(326720946761L, sys.one(EventCounter.class, e -> e.name().equals("node1 numa_hit")).value());
        assertEquals(18, sys.of(EventCounter.class, e -> e.source().equals("numastat")).size());

        Samples.Result ev = Samples.extractText(tmp(), "numastat-plain.txt", String.join("\n",
                "                           node0",
                "numa_hit              4461008844",
                "numa_miss                      0",
                "interleave_hit              2193", ""));
        assertEquals(4461008844L, ev.one(EventCounter.class, e -> e.name().equals("node0 numa_hit")).value());
    }

    @TempDir Path tempDir;

    private Path tmp() { return tempDir; }

    @Test
    void pagetypeinfoFreePagesPerMigrateTypeAndBlocks() {
        Samples.Result r = extractCaseFile("paste-pagetypeinfo-lkml-mirror-2node", "pagetypeinfo.txt");
        assertEquals("proc.pagetypeinfo", r.stats("pagetypeinfo.txt").format);
        assertEquals(9, r.of(EventCounter.class, e -> e.name().equals("pageblock_order")).get(0).value());
        MemCounter mirror = mem(r, "pagetypeinfo", "Node 0 Normal Mirror free");
        // 148 + 104x2 + 63x4 + 70x8 + 26x16 + 11x32 + 2x64 + 2x128 + 256 + 512 + 973x1024
        assertEquals(999440, mirror.pages());
        assertEquals("pagetypeinfo.txt:21", mirror.provenance().cite());
        assertEquals(4096, r.one(EventCounter.class, e -> e.name().equals("Node 1 Normal Mirror blocks")).value());
        assertEquals(8702, r.one(EventCounter.class, e -> e.name().equals("Node 0 Normal Movable blocks")).value());
        assertEquals(0, r.stats("pagetypeinfo.txt").skipped);

        // the lab guest's own file (6.1, no quotes) is read too, and is still no buddyinfo
        Samples.Result lab = Samples.extract("pagetypeinfo-lab-pfrag.txt");
        assertEquals("proc.pagetypeinfo", lab.stats("pagetypeinfo-lab-pfrag.txt").format);
        assertFalse(lab.of(MemCounter.class, m -> m.source().equals("pagetypeinfo")).isEmpty());
        assertEquals(0, lab.stats("pagetypeinfo-lab-pfrag.txt").skipped);
    }

    @Test
    void hugepagesSysfsGrepGivesOnePoolPerNodeAndReading() {
        Samples.Result r = extractCaseFile("paste-hugepages-sysfs-lkml-hocko-2node", "hugepages.txt");
        assertEquals("sys.hugepages", r.stats("hugepages.txt").format);
        List<HugePagePool> pools = r.of(HugePagePool.class);
        assertEquals(2, pools.size());
        assertEquals("1", pools.get(1).node());
        assertEquals(2L << 20, pools.get(1).pageSize());
        assertEquals(1, pools.get(1).total());
        assertEquals(1, pools.get(1).free());
        assertEquals("hugepages.txt:8-10", pools.get(1).provenance().cite());

        // the same files read twice (before and after a test) are two readings, not one merged pool
        Samples.Result twice = Samples.extractText(tmp(), "two-readings.txt", String.join("\n",
                "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages:1",
                "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages:1",
                "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/surplus_hugepages:0",
                "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/free_hugepages:0",
                "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/nr_hugepages:2",
                "/sys/devices/system/node/node1/hugepages/hugepages-2048kB/surplus_hugepages:1",
                "/sys/kernel/mm/hugepages/hugepages-1048576kB/nr_hugepages:8", ""));
        List<HugePagePool> p2 = twice.of(HugePagePool.class);
        assertEquals(2, p2.size(), p2.toString());
        assertEquals(2, p2.get(1).total());
        assertEquals(1, p2.get(1).surplus());
        // a directory without free_hugepages is said, not guessed
        assertTrue(twice.diagnostics().stream().anyMatch(d -> d.message().contains("hugepages-1048576kB: no free_hugepages")),
                twice.diagnostics().toString());
    }

    @Test
    void perNodeVmstatIsLabelledByItsNode() {
        Samples.Result r = extractCase("paste-node-vmstat-procfs-fixture");
        MemCounter free2 = r.one(MemCounter.class, m -> m.source().equals("vmstat-node2") && m.name().equals("nr_free_pages"));
        assertEquals(7, free2.pages());
        assertEquals("sys/devices/system/node/node2/vmstat:1", free2.provenance().cite());
        assertTrue(r.of(MemCounter.class, m -> m.source().equals("vmstat")).isEmpty(), "never the host's /proc/vmstat");

        Samples.Result g = Samples.extractText(tmp(), "node-vmstat.txt", String.join("\n",
                "/sys/devices/system/node/node0/vmstat:nr_free_pages 12345",
                "/sys/devices/system/node/node0/vmstat:nr_kernel_stack 9568",
                "/sys/devices/system/node/node1/vmstat:numa_hit 4461008844", ""));
        assertEquals("sys.node-vmstat", g.stats("node-vmstat.txt").format);
        assertEquals(12345, g.one(MemCounter.class, m -> m.source().equals("vmstat-node0") && m.name().equals("nr_free_pages")).pages());
        assertEquals(9568L * 1024, g.one(MemCounter.class, m -> m.name().equals("nr_kernel_stack")).bytes());
        assertEquals(4461008844L, g.one(EventCounter.class, e -> e.source().equals("vmstat-node1")).value());
    }

    @Test
    void everyNewFormIsListedWithAnExample() {
        List<String> ids = Samples.registry().specs().stream().filter(s -> !s.example().isBlank()).map(ExtractorSpec::id).toList();
        for (String id : List.of("proc.sockstat", "proc.modules", "proc.pagetypeinfo", "ps.table", "numastat", "sys.hugepages", "sys.node-vmstat", "kernel.log"))
            assertTrue(ids.contains(id), id + " in " + ids);
        // each example line is read by its own spec
        for (ExtractorSpec s : Samples.registry().specs()) {
            if (!List.of("proc.sockstat", "proc.modules", "proc.pagetypeinfo", "ps.table", "sys.hugepages", "sys.node-vmstat").contains(s.id())) continue;
            assertTrue(s.matchesHeader(s.example().lines().findFirst().orElse("")) || s.id().equals("ps.table"), s.id() + ": " + s.example());
        }
    }
}
