package dev.leakdx.extract;

import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.SlabCache;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /proc/slabinfo (2.1 cut from lab-pfrag, built 2.0 and 1.1) and crash kmem -s (both column orders) into SlabCache. */
class SlabExtractionTest {

    @Test
    void slabinfo21RowsOfTheLabCapture() {
        Samples.Result r = Samples.extract("slabinfo-lab-pfrag.txt");
        List<SlabCache> all = r.of(SlabCache.class);
        assertEquals(15, all.size(), "every row, header and column legend not rows");
        assertEquals("proc.slabinfo", r.one(CommandRun.class, c -> true).format());
        assertEquals(0, r.stats("slabinfo-lab-pfrag.txt").skipped);

        SlabCache k64 = r.one(SlabCache.class, s -> s.name().equals("kmalloc-64"));
        assertEquals(5888, k64.activeObjs());
        assertEquals(5888, k64.numObjs());
        assertEquals(64, k64.objSize());
        assertEquals(64, k64.objPerSlab());
        assertEquals(1, k64.pagesPerSlab());
        assertEquals(92, k64.activeSlabs());
        assertEquals(92, k64.numSlabs());
        assertEquals("slabinfo", k64.source());
        assertEquals(92L * 4096, k64.bytes(4096), "num_slabs x pagesperslab x PAGE_SIZE");
        assertEquals(-1, k64.bytes(-1), "slabinfo needs the page size");
        assertEquals("slabinfo-lab-pfrag.txt:15", k64.provenance().cite());

        SlabCache k32 = r.one(SlabCache.class, s -> s.name().equals("kmalloc-32"));
        assertEquals(878, k32.activeObjs());
        assertEquals(1152, k32.numObjs());
        assertEquals(878L * 32, k32.activeObjBytes());

        SlabCache k8k = r.one(SlabCache.class, s -> s.name().equals("kmalloc-8k"));
        assertEquals(8, k8k.pagesPerSlab());
        assertEquals(4L * 8 * 4096, k8k.bytes(4096));
        assertEquals(4L * 8 * 65536, k8k.bytes(65536));

        SlabCache p9 = r.one(SlabCache.class, s -> s.name().equals("9p-fcall-cache-1"));
        assertEquals(262144, p9.objSize());
        assertEquals(64, p9.pagesPerSlab());
        assertEquals(0, p9.bytes(4096), "an empty cache holds nothing");
    }

    @Test
    void slabinfo20WithSlabStatisticsAppended() {
        Samples.Result r = Samples.extract("slabinfo-2.0.txt");
        assertEquals(4, r.of(SlabCache.class).size());
        SlabCache ext3 = r.one(SlabCache.class, s -> s.name().equals("ext3_inode_cache"));
        assertEquals(9621, ext3.activeObjs());
        assertEquals(1069, ext3.numSlabs());
        assertEquals(9, ext3.objPerSlab());
        SlabCache s64 = r.one(SlabCache.class, s -> s.name().equals("size-64"));
        assertEquals(3660, s64.activeObjs(), "': globalstat ... : cpustat ...' after slabdata is read past");
        assertEquals(63, s64.numSlabs());
        assertEquals("slabinfo-2.0.txt:6", s64.provenance().cite());
        assertEquals(0, r.stats("slabinfo-2.0.txt").skipped);
    }

    @Test
    void slabinfo11HasSlabsBeforePagesPerSlabAndNoObjPerSlab() {
        Samples.Result r = Samples.extract("slabinfo-1.1.txt");
        assertEquals(6, r.of(SlabCache.class).size());
        SlabCache s2k = r.one(SlabCache.class, s -> s.name().equals("size-2048"));
        assertEquals(412, s2k.activeObjs());
        assertEquals(416, s2k.numObjs());
        assertEquals(2048, s2k.objSize());
        assertEquals(206, s2k.activeSlabs());
        assertEquals(208, s2k.numSlabs());
        assertEquals(1, s2k.pagesPerSlab());
        assertEquals(-1, s2k.objPerSlab(), "1.1 does not print objperslab");
        assertEquals(208L * 4096, s2k.bytes(4096));
        assertEquals(0, r.stats("slabinfo-1.1.txt").skipped);
    }

    @Test
    void kmemSNewColumnOrder() {
        Samples.Result r = Samples.extract("session-kmem-s.txt");
        assertEquals(18, r.of(SlabCache.class).size());
        SlabCache k64 = r.one(SlabCache.class, s -> s.name().equals("kmalloc-64"));
        assertEquals("kmem -s", k64.source());
        assertEquals(5816, k64.activeObjs(), "ALLOCATED");
        assertEquals(5888, k64.numObjs(), "TOTAL");
        assertEquals(64, k64.objSize());
        assertEquals(92, k64.numSlabs());
        assertEquals(4096, k64.slabBytes(), "SSIZE 4k");
        assertEquals(-1, k64.pagesPerSlab());
        assertEquals(92L * 4096, k64.bytes(-1), "SLABS x SSIZE needs no page size");
        assertEquals("session-kmem-s.txt:15", k64.provenance().cite());
        assertEquals("kmem -s", k64.provenance().command());

        SlabCache k2k = r.one(SlabCache.class, s -> s.name().equals("kmalloc-2k"));
        assertEquals(32768, k2k.slabBytes(), "SSIZE 32k");
        assertEquals(10L * 32768, k2k.bytes(4096));
        SlabCache p9 = r.one(SlabCache.class, s -> s.name().equals("9p-fcall-cache-1"));
        assertEquals(256 * 1024, p9.slabBytes());
        assertEquals("crash.kmem-s", r.one(CommandRun.class, c -> c.command().equals("kmem -s")).format());
        assertEquals(0, r.stats("session-kmem-s.txt").skipped);
    }

    @Test
    void kmemSOldColumnOrderPastedWithoutItsPromptGivesTheSameCaches() {
        Samples.Result now = Samples.extract("session-kmem-s.txt");
        Samples.Result old = Samples.extract("kmem-s-old-crash.txt");
        assertEquals("crash.kmem-s", old.one(CommandRun.class, c -> true).format(), "recognised by its header");
        assertEquals(0, old.stats("kmem-s-old-crash.txt").skipped);
        List<SlabCache> a = now.of(SlabCache.class), b = old.of(SlabCache.class);
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            assertEquals(a.get(i).activeObjs(), b.get(i).activeObjs());
            assertEquals(a.get(i).numObjs(), b.get(i).numObjs());
            assertEquals(a.get(i).objSize(), b.get(i).objSize());
            assertEquals(a.get(i).bytes(-1), b.get(i).bytes(-1));
        }
    }

    @Test
    void slabinfoAndKmemSAgreeOnTheLabCaches() {
        // both taken from the same lab-pfrag guest: same slab counts, so the same footprint
        Samples.Result proc = Samples.extract("slabinfo-lab-pfrag.txt");
        Samples.Result crash = Samples.extract("session-kmem-s.txt");
        for (String name : List.of("kmalloc-64", "kmalloc-8k", "kmalloc-2k", "kmalloc-1k", "kmalloc-512", "v9fs_inode_cache")) {
            SlabCache p = proc.one(SlabCache.class, s -> s.name().equals(name));
            SlabCache c = crash.one(SlabCache.class, s -> s.name().equals(name));
            assertEquals(p.bytes(4096), c.bytes(-1), name);
            assertEquals(p.numObjs(), c.numObjs(), name);
        }
    }

    @Test
    void grepdSlabinfoRowsWithoutTheHeaderAreRead(@TempDir Path dir) {
        String rows = Samples.text("slabinfo-lab-pfrag.txt").lines().filter(l -> l.startsWith("kmalloc-"))
                .reduce("", (x, y) -> x + y + "\n");
        Samples.Result r = Samples.extractText(dir, "slab-grep.txt", rows);
        assertEquals(12, r.of(SlabCache.class).size());
        assertEquals(5888, r.one(SlabCache.class, s -> s.name().equals("kmalloc-64")).numObjs());
    }

    @Test
    void malformedSlabinfoTruncatedRowCrlfAndUnknownLineGiveDiagnosticsNotACrash(@TempDir Path dir) {
        String lf = Samples.text("slabinfo-lab-pfrag.txt");
        String good = "kmalloc-32           878   1152     32  128    1 : tunables    0    0    0 : slabdata      9      9      0";
        assertTrue(lf.contains(good));
        String bad = lf.replace(good, "kmalloc-32           878   1152     32  128    1 : tunables    0    0")   // cut short
                .replace("kmalloc-16 ", "# statistics\nkmalloc-16 ")                                        // a line the format does not have
                .replace("\n", "\r\n");                                                                      // CRLF
        Samples.Result r = Samples.extractText(dir, "slabinfo", bad);
        assertEquals(14, r.of(SlabCache.class).size(), "every whole row");
        assertTrue(r.of(SlabCache.class, s -> s.name().equals("kmalloc-32")).isEmpty());
        assertEquals(5888, r.one(SlabCache.class, s -> s.name().equals("kmalloc-64")).numObjs(), "CRLF does not stick to the last column");
        assertEquals(2, r.stats("slabinfo").skipped);
        List<Diagnostic> skipped = r.diagnostics("skipped");
        assertEquals("slabinfo:16", skipped.get(0).cite());
        assertTrue(skipped.get(0).message().contains("tunables    0    0"), skipped.get(0).message());
        assertEquals("slabinfo:17", skipped.get(1).cite());
        assertEquals("slabinfo:18", r.one(SlabCache.class, s -> s.name().equals("kmalloc-16")).provenance().cite());
    }

    @Test
    void kmemSRowCutShortIsSkippedWithItsLine(@TempDir Path dir) {
        String text = Samples.text("session-kmem-s.txt").replace("     92     4k  kmalloc-64", "     92");
        Samples.Result r = Samples.extractText(dir, "s.txt", text.replace("\n", "\r\n"));
        assertEquals(17, r.of(SlabCache.class).size());
        assertEquals(1, r.stats("s.txt").skipped);
        assertEquals("s.txt:15", r.diagnostics("skipped").get(0).cite());
    }

    @Test
    void pageSizeIsInferredFromSlabinfoGeometry() {
        Sink sink = new Sink();
        List<dev.leakdx.facts.Fact> settled = HostInference.settle(Samples.extract("slabinfo-lab-pfrag.txt").facts(),
                dev.leakdx.capture.Manifest.EMPTY, sink);
        dev.leakdx.facts.HostFact ps = settled.stream().filter(f -> f instanceof dev.leakdx.facts.HostFact h && h.key().equals("page_size"))
                .map(dev.leakdx.facts.HostFact.class::cast).findFirst().orElseThrow();
        assertEquals(4096, ps.asLong(), "x86_64 lab host: every cache's objperslab x objsize / pagesperslab rounds up to 4 KiB");
        assertEquals("slabinfo-lab-pfrag.txt", ps.provenance().file());
        assertTrue(ps.how().startsWith("slabinfo "), ps.how());
    }

    @Test
    void a64KiBHostsSlabinfoGivesA64KiBPageAndDisagreeingRowsGiveNone(@TempDir Path dir) throws java.io.IOException {
        // arm64 with 64 KiB pages: SLUB's kmalloc-128 packs 512 objects in an order-0 slab, kmalloc-8k 8 in one page
        String header = "slabinfo - version: 2.1\n# name            <active_objs> <num_objs> <objsize> <objperslab> <pagesperslab> : tunables <limit> <batchcount> <sharedfactor> : slabdata <active_slabs> <num_slabs> <sharedavail>\n";
        String arm64 = header
                + "kmalloc-8k           120    128   8192    8    1 : tunables    0    0    0 : slabdata     16     16      0\n"
                + "kmalloc-128         9216   9216    128  512    1 : tunables    0    0    0 : slabdata     18     18      0\n"
                + "task_struct          610    630   4352   15    1 : tunables    0    0    0 : slabdata     42     42      0\n";
        java.nio.file.Files.writeString(dir.resolve("slabinfo"), arm64);
        assertEquals(65536, inferredPageSize(dir.resolve("slabinfo")));
        // a row that says 4 KiB beside rows that say 64 KiB: the geometry is not trusted
        java.nio.file.Files.writeString(dir.resolve("slabinfo"), arm64
                + "kmalloc-64          6400   6400     64   64    1 : tunables    0    0    0 : slabdata    100    100      0\n");
        assertEquals(-1, inferredPageSize(dir.resolve("slabinfo")));
    }

    private static long inferredPageSize(Path file) throws java.io.IOException {
        try (dev.leakdx.capture.Capture c = dev.leakdx.capture.CaptureOpener.open(file)) {
            Sink sink = new Extractor(ExtractorRegistry.load(null)).extract(c);
            return HostInference.settle(sink.facts(), c.manifest(), new Sink()).stream()
                    .filter(f -> f instanceof dev.leakdx.facts.HostFact h && h.key().equals("page_size"))
                    .mapToLong(f -> ((dev.leakdx.facts.HostFact) f).asLong()).findFirst().orElse(-1);
        }
    }
}
