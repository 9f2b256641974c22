package dev.leakdx.extract;

import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.ProcessMemory;
import dev.leakdx.facts.ProcessThreads;
import dev.leakdx.facts.SlabCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 15, forms 1-5 and 8, on the real pastes of the paste-* case folders (each cited in its
 * expected.yaml): the values read, their units, and the line each is cited to in the file as pasted.
 */
class PasteFormsExtractionTest {
    private static final long KiB = 1024, MiB = 1L << 20, GiB = 1L << 30;

    static Path caseFile(String dir, String file) {
        return Path.of("cases", dir, file);
    }

    static Samples.Result caseDir(String dir) {
        try (Capture c = CaptureOpener.open(caseFile(dir, ""))) {
            return Samples.extract(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String text(String dir, String file) {
        try {
            return Files.readString(caseFile(dir, file), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // ---- form 1: slabtop

    @Test
    void slabtopRowsGiveSlabCachesSizedWithoutAPageSize() {
        Samples.Result r = Samples.extract(caseFile("paste-slabtop-selinux220", "slabtop.txt"));
        assertEquals("slabtop", r.stats("slabtop.txt").format);
        assertEquals(0, r.stats("slabtop.txt").skipped, "prompt, summary, header and rows all understood");
        assertEquals(8, r.of(SlabCache.class).size());
        SlabCache eb = r.one(SlabCache.class, s -> s.name().equals("ebitmap_node"));
        assertEquals("slabtop", eb.source());
        assertEquals(734506368L, eb.numObjs());
        assertEquals(734506368L, eb.activeObjs());
        assertEquals(61, eb.objSize(), "0.06K as slabtop rounds it");
        assertEquals(11476662L, eb.numSlabs());
        assertEquals(64, eb.objPerSlab());
        assertEquals(-1, eb.pagesPerSlab());
        assertEquals(-1, eb.activeSlabs());
        assertEquals(4096, eb.slabBytes(), "CACHE SIZE / SLABS");
        assertEquals(45906648L * KiB, eb.bytes(-1), "the footprint needs no page size");
        assertEquals("slabtop.txt:9", eb.provenance().cite());
        assertEquals(Math.round(47376581.93 * KiB), r.one(MemCounter.class, m -> m.name().equals("Total Size")).bytes());
        assertEquals(Math.round(47121380.33 * KiB), r.one(MemCounter.class, m -> m.source().equals("slabtop") && m.name().equals("Active Size")).bytes());
        assertEquals(740008326L, r.one(EventCounter.class, e -> e.name().equals("Total Objects")).value());
        assertEquals(105, r.one(EventCounter.class, e -> e.name().equals("Active Caches")).value());
    }

    @Test
    void slabtopWithSpacingCollapsedByAWebPage() {
        Samples.Result r = Samples.extract(caseFile("paste-slabtop-collapsed-aliyun", "slabtop.txt"));
        assertEquals(4, r.of(SlabCache.class).size());
        SlabCache s256 = r.one(SlabCache.class, s -> s.name().equals("size-256"));
        assertEquals(279330, s256.numObjs());
        assertEquals(86167, s256.activeObjs());
        assertEquals(18622, s256.numSlabs());
        assertEquals(15, s256.objPerSlab());
        assertEquals(74488L * KiB, s256.bytes(-1));
        assertEquals("slabtop.txt:9", s256.provenance().cite());
        assertEquals(Math.round(179248.09 * KiB), r.one(MemCounter.class, m -> m.name().equals("Total Size")).bytes());
    }

    @Test
    void slabtopWithoutSlabinfoIsADiagnosticNotAFormatError() {
        Samples.Result r = Samples.extract(caseFile("paste-slabtop-no-slabinfo-termux3984", "comment.txt"));
        assertEquals("slabtop", r.stats("comment.txt").format);
        assertTrue(r.of(SlabCache.class).isEmpty());
        Diagnostic d = r.diagnostics("warning").get(0);
        assertEquals("comment.txt:6", d.cite());
        assertTrue(d.message().contains("No such file or directory") && d.message().contains("as root"), d.message());
    }

    // ---- form 2: free

    @Test
    void freeHumanSizesOfTheOldLayout() {
        Samples.Result r = Samples.extract(caseFile("paste-free-h-old-earlyoom20", "free.txt"));
        assertEquals(13 * GiB, mem(r, "free", "Mem shared").bytes(), "13G from procps-ng < 3.3.11 is binary");
        assertEquals(30 * GiB, mem(r, "free", "Mem total").bytes());
        assertEquals(228 * MiB, mem(r, "free", "Mem buffers").bytes());
        assertEquals(15 * GiB, mem(r, "free", "Mem cache").bytes(), "the old header's 'cached' is stored as 'cache'");
        assertEquals(Math.round(3.6 * GiB), mem(r, "free", "Mem free").bytes());
        assertEquals(11 * GiB, mem(r, "free", "-/+ buffers/cache used").bytes());
        assertEquals(19 * GiB, mem(r, "free", "-/+ buffers/cache free").bytes());
        assertEquals(0, mem(r, "free", "Swap total").bytes(), "0B");
        assertEquals("free.txt:3", mem(r, "free", "Mem shared").provenance().cite());
        assertEquals("free.txt:4", mem(r, "free", "-/+ buffers/cache used").provenance().cite());
    }

    @Test
    void freeUnitFromTheZshPromptAndFromABareCommandLine() {
        Samples.Result r = Samples.extract(caseFile("paste-free-zsh-htop415", "comment.txt"));
        assertEquals(2008 * MiB, mem(r, "free", "Mem total").bytes(), "% free -m");
        assertEquals(166 * MiB, mem(r, "free", "Mem shared").bytes());
        assertEquals(1231 * MiB, mem(r, "free", "Mem available").bytes());
        assertEquals("comment.txt:5", mem(r, "free", "Mem total").provenance().cite());
        assertTrue(r.diagnostics().stream().noneMatch(d -> d.message().contains("unit is not stated")));

        Samples.Result b = Samples.extract(caseFile("paste-free-m-healthy-linuxatemyram26", "free.txt"));
        assertEquals(7875 * MiB, mem(b, "free", "Mem total").bytes(), "a bare 'free -m' line above the table");
        assertEquals(1082 * MiB, mem(b, "free", "Mem buff/cache").bytes());
        assertTrue(b.diagnostics().stream().noneMatch(d -> d.message().contains("unit is not stated")));
        assertEquals(0, b.stats("free.txt").skipped, "Markdown fences are decoration");
    }

    @Test
    void freeUnitInferredWhenNothingStatesItAndReadFromAScriptLine() {
        Samples.Result r = Samples.extract(caseFile("paste-free-m-old-cerebro", "free.md"));
        assertEquals(7783 * MiB, mem(r, "free", "Mem total").bytes());
        assertEquals(5923 * MiB, mem(r, "free", "-/+ buffers/cache used").bytes());
        assertTrue(r.diagnostics("info").stream().anyMatch(d -> d.message().contains("read as MiB") && d.cite().equals("free.md:3")));

        Samples.Result k = caseDir("paste-free-kilo-script-mate467");
        assertEquals(33667661L * 1000, mem(k, "free", "Mem total", "").bytes(), "the script's own 'free --kilo' line states the unit: kilobytes");
    }

    // ---- form 3: meminfo in any shape

    @Test
    void meminfoSubsetWithGrepPrefixAndCollapsedSpacing(@TempDir Path dir) {
        // the ROCm paste's SUnreclaim line as `grep -H` prints it, and with its spacing collapsed
        String line = text("paste-meminfo-amdgpu-rocm176", "comment.txt").lines().filter(l -> l.startsWith("SUnreclaim:")).findFirst().orElseThrow();
        Samples.Result r = Samples.extractText(dir, "grep.txt", "/proc/meminfo:" + line + "\n" + "/proc/meminfo:SReclaimable: 608476 kB\n");
        assertEquals("proc.meminfo", r.stats("grep.txt").format);
        assertEquals(7582864L * KiB, mem(r, "meminfo", "SUnreclaim").bytes());
        assertEquals(608476L * KiB, mem(r, "meminfo", "SReclaimable").bytes());
        assertEquals("grep.txt:1", mem(r, "meminfo", "SUnreclaim").provenance().cite());

        Samples.Result ind = Samples.extract(caseFile("paste-meminfo-2.6.18-indented-servermonitor", "proc_meminfo.md"));
        assertEquals(24675128L * KiB, mem(ind, "meminfo", "MemTotal").bytes(), "indented four spaces, one space before the value");
        assertEquals("proc_meminfo.md:6", mem(ind, "meminfo", "MemTotal").provenance().cite());
    }

    @Test
    void perNodeMeminfoIsNeverTheHostsMeminfo() {
        Samples.Result r = caseDir("paste-meminfo-per-node-node-exporter");
        assertTrue(r.of(MemCounter.class, m -> m.source().equals("meminfo")).isEmpty(), "no node is read as the host");
        MemCounter total0 = r.one(MemCounter.class, m -> m.source().equals("node meminfo") && m.name().equals("MemTotal") && m.provenance().command().equals("node 0"));
        assertEquals(134182340L * KiB, total0.bytes());
        assertEquals("node0.txt:2", total0.provenance().cite());
        MemCounter file1 = r.one(MemCounter.class, m -> m.name().equals("FilePages") && m.provenance().command().equals("node 1"));
        assertEquals(83579188L * KiB, file1.bytes());
        assertEquals(0, r.one(EventCounter.class, e -> e.source().equals("node meminfo") && e.name().equals("HugePages_Total")
                && e.provenance().command().equals("node 1")).value());
    }

    @Test
    void meminfoOf24WithItsByteTableAndHighmem() {
        Samples.Result r = Samples.extract(caseFile("paste-meminfo-2.4-highmem-lkml-lockpage2003", "mail.txt"));
        assertEquals(3622920L * KiB, mem(r, "meminfo", "MemTotal").bytes());
        assertEquals(2752512L * KiB, mem(r, "meminfo", "HighTotal").bytes());
        assertEquals(870408L * KiB, mem(r, "meminfo", "LowTotal").bytes());
        assertEquals("mail.txt:8", mem(r, "meminfo", "MemTotal").provenance().cite());
        assertEquals(0, r.stats("mail.txt").skipped, "the byte table (total: used: ..., Mem:, Swap:) is recognised, not skipped");
        assertTrue(r.of(MemCounter.class, m -> m.name().startsWith("Mem ")).isEmpty());
    }

    // ---- form 4: slabinfo excerpts and series

    @Test
    void slabinfo11RowsOfAUniprocessorKernelAfterAPrompt() {
        Samples.Result r = Samples.extract(caseFile("paste-meminfo-2.4-free-slabinfo11-lkml-orf2001", "mail.txt"));
        SlabCache inode = r.one(SlabCache.class, s -> s.name().equals("inode_cache"));
        assertEquals(452259, inode.activeObjs());
        assertEquals(452263, inode.numObjs());
        assertEquals(512, inode.objSize());
        assertEquals(64609, inode.activeSlabs());
        assertEquals(64609, inode.numSlabs());
        assertEquals(1, inode.pagesPerSlab());
        assertEquals(-1, inode.objPerSlab());
        assertEquals("mail.txt:76", inode.provenance().cite());
        assertEquals(1029780L * KiB, mem(r, "meminfo", "MemTotal").bytes());
        assertEquals(471548L * KiB, mem(r, "free", "Mem buffers", "").bytes(), "the second free (after updatedb) is the current reading");
        assertEquals("free+proc.meminfo+proc.slabinfo", r.stats("mail.txt").format);
    }

    @Test
    void slabinfo11RowsWithoutTheirHeader(@TempDir Path dir) {
        String rows = Samples.text("slabinfo-1.1.txt").lines().skip(1).reduce("", (a, b) -> a + b + "\n");
        Samples.Result r = Samples.extractText(dir, "rows.txt", rows);
        assertEquals("proc.slabinfo", r.stats("rows.txt").format);
        SlabCache k = r.one(SlabCache.class, s -> s.name().equals("kmem_cache"));
        assertEquals(80, k.numObjs());
        assertEquals(244, k.objSize());
        assertEquals(5, k.numSlabs());
        assertEquals(1, k.pagesPerSlab());
        assertEquals(0, r.stats("rows.txt").skipped);
    }

    @Test
    void slabinfoRowsWrappedByAMailClientAreJoined(@TempDir Path dir) {
        // the bio row of the second LKML mail, cut where a 72-column mail client cuts it
        String row = text("paste-slabinfo-series-lkml-bio2005", "email-2.txt").lines().filter(l -> l.startsWith("bio ")).findFirst().orElseThrow();
        int cut = row.lastIndexOf(' ', 72);
        String wrapped = "> " + row.substring(0, cut) + "\n> " + row.substring(cut + 1) + "\n";
        Samples.Result r = Samples.extractText(dir, "wrapped.txt", wrapped);
        SlabCache bio = r.one(SlabCache.class, s -> s.name().equals("bio"));
        assertEquals(1989270, bio.activeObjs());
        assertEquals(32611, bio.numSlabs());
        assertEquals("wrapped.txt:1-2", bio.provenance().cite());
        assertEquals(0, r.stats("wrapped.txt").skipped);
    }

    @Test
    void slabinfoRowsMangledByATerminalWrapAndGreppedRepeatedlyAreASeries() {
        Samples.Result r = Samples.extract(caseFile("paste-slabinfo-grep-lkml-size8192-2004", "mail.txt"));
        List<SlabCache> s8k = r.of(SlabCache.class, s -> s.name().equals("size-8192"));
        assertEquals(8, s8k.size(), "two excerpts and six grep runs");
        assertEquals(List.of("t1", "t2", "t3", "t4", "t5", "t6", "t7", ""), s8k.stream().map(s -> s.provenance().snapshot()).toList());
        SlabCache last = s8k.get(7);
        assertEquals(10308, last.numSlabs(), "'sla                    bdata' read as slabdata");
        assertEquals(2, last.pagesPerSlab());
        assertEquals("mail.txt:62", last.provenance().cite());
        assertTrue(r.diagnostics("info").stream().anyMatch(d -> d.message().contains("8 snapshots")));
    }

    @Test
    void aGreppedMeminfoSeriesWithUptimeLinesIsTimed() {
        Samples.Result r = Samples.extract(caseFile("paste-meminfo-grep-series-rocm176", "comment.txt"));
        List<MemCounter> su = r.of(MemCounter.class, m -> m.name().equals("SUnreclaim"));
        assertEquals(List.of("t1", "t2", "t3", ""), su.stream().map(m -> m.provenance().snapshot()).toList());
        assertEquals(104264L * KiB, su.get(3).bytes());
        assertEquals("comment.txt:27", su.get(3).provenance().cite());
        List<EventCounter> up = r.of(EventCounter.class, e -> e.source().equals("uptime"));
        assertEquals(List.of(60000L, 228000L, 936000L), up.stream().map(EventCounter::value).toList(), "10 min (in bold), 38 min, 2:36");
        assertEquals("comment.txt:12", up.get(0).provenance().cite());
        assertEquals("t2", up.get(0).provenance().snapshot());
    }

    @Test
    void twoMailsLabelledAsSnapshotsAreTimedByTheirUptime() {
        Samples.Result r = caseDir("paste-slabinfo-series-lkml-bio2005");
        EventCounter first = r.one(EventCounter.class, e -> e.source().equals("uptime") && e.provenance().snapshot().equals("t1"));
        assertEquals(660000, first.value(), "up 1:50");
        assertEquals("email-1.t1.txt:19", first.provenance().cite());
        EventCounter last = r.one(EventCounter.class, e -> e.source().equals("uptime") && e.provenance().snapshot().isEmpty());
        assertEquals((2 * 86400 + 14 * 3600 + 23 * 60) * 100L, last.value(), "'~ 12:29:18 up 2 days, 14:23'");
        SlabCache bio = r.one(SlabCache.class, s -> s.name().equals("bio") && s.provenance().snapshot().isEmpty());
        assertEquals(32611, bio.numSlabs());
        assertEquals("email-2.txt:40", bio.provenance().cite());
    }

    // ---- form 5: one process's files pasted alone

    @Test
    void smapsSmapsRollupAndStatusPastedAloneUnderAnyName() {
        ProcessMemory smaps = Samples.extract(caseFile("paste-smaps-alone-procfs", "smaps.txt")).one(ProcessMemory.class, p -> true);
        assertEquals("smaps", smaps.source());
        assertEquals(-1, smaps.pid(), "smaps does not name its process");
        assertEquals(29948L * KiB, smaps.rss(), "summed over the 17 mappings");
        assertEquals(20756L * KiB, smaps.anon());
        assertEquals("smaps.txt:1-251", smaps.provenance().cite());

        ProcessMemory rollup = Samples.extract(caseFile("paste-smaps-rollup-alone-procfs", "rollup.txt")).one(ProcessMemory.class, p -> true);
        assertEquals("smaps_rollup", rollup.source());
        assertEquals(smaps.rss(), rollup.rss(), "the rollup says what the smaps sum says");
        assertEquals(smaps.anon(), rollup.anon());

        Samples.Result st = Samples.extract(caseFile("paste-status-alone-procfs", "status.txt"));
        ProcessMemory status = st.one(ProcessMemory.class, p -> true);
        assertEquals(26231, status.pid());
        assertEquals("prometheus", status.comm());
        assertEquals(6716L * KiB, status.rss());
        assertEquals(2092L * KiB, status.anon());
        assertEquals(4624L * KiB, status.file());
        assertEquals(0, status.shmem());
        assertEquals(1, st.one(ProcessThreads.class, p -> true).threads());
    }

    @Test
    void severalRollupsPastedOneAfterAnotherAreSeveralProcesses() {
        Samples.Result r = caseDir("paste-smaps-rollup-phpfpm-psmem80");
        List<ProcessMemory> ps = r.of(ProcessMemory.class);
        assertEquals(2, ps.size());
        assertEquals(70652L * KiB, ps.get(0).rss());
        assertEquals("comment.txt:3-23", ps.get(0).provenance().cite());
        assertEquals(78512L * KiB, ps.get(1).rss());
        assertEquals(14688L * KiB, ps.get(1).anon());
        assertEquals("comment.txt:25-45", ps.get(1).provenance().cite());
    }

    // ---- form 8: mixed pastes

    @Test
    void aQuotedShellSessionIsSplitAtItsPromptsAndCitedInTheOriginalFile() {
        Samples.Result r = Samples.extract(caseFile("paste-slabinfo-series-lkml-bio2005", "email-1.t1.txt"));
        assertEquals("proc.slabinfo", r.stats("email-1.t1.txt").format);
        assertEquals(0, r.stats("email-1.t1.txt").skipped, "the bare prompt after the table ends it; the prose after is not slabinfo");
        assertEquals(35, r.of(SlabCache.class).size());
        assertEquals("email-1.t1.txt:40", r.one(SlabCache.class, s -> s.name().equals("bio")).provenance().cite());
        assertEquals("cat slabinfo", r.one(SlabCache.class, s -> s.name().equals("bio")).provenance().command());
    }

    @Test
    void crlfAndMailQuotesChangeNothingButTheFileName(@TempDir Path dir) {
        String original = text("paste-meminfo-2.4-free-slabinfo11-lkml-orf2001", "mail.txt");
        Samples.Result plain = Samples.extractText(dir, "plain.txt", original);
        String quoted = original.lines().map(l -> "> " + l).reduce("", (a, b) -> a + b + "\r\n");
        Samples.Result mail = Samples.extractText(dir, "quoted.txt", quoted);
        assertEquals(plain.signatures(f -> "F"), mail.signatures(f -> "F"));
        assertEquals(plain.stats("plain.txt").format, mail.stats("quoted.txt").format);
    }

    @Test
    void outputsPastedOneAfterAnotherWithoutPromptsAreEachReadByTheirSpec() {
        Samples.Result r = Samples.extract(caseFile("paste-slabtop-dentry-opencloudtouch387", "comment.txt"));
        assertEquals("proc.slabinfo+slabtop", r.stats("comment.txt").format);
        assertEquals(112825, r.one(SlabCache.class, s -> s.source().equals("slabinfo")).numSlabs());
        SlabCache top = r.one(SlabCache.class, s -> s.source().equals("slabtop") && s.name().equals("dentry"));
        assertEquals(451300L * KiB, top.bytes(-1));
        assertEquals("comment.txt:22", top.provenance().cite());
    }

    private static MemCounter mem(Samples.Result r, String source, String name) {
        return r.one(MemCounter.class, m -> m.source().equals(source) && m.name().equals(name));
    }

    private static MemCounter mem(Samples.Result r, String source, String name, String snapshot) {
        return r.one(MemCounter.class, m -> m.source().equals(source) && m.name().equals(name) && m.provenance().snapshot().equals(snapshot));
    }
}
