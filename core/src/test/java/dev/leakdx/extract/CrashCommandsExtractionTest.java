package dev.leakdx.extract;

import dev.leakdx.capture.Manifest;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.HugePagePool;
import dev.leakdx.facts.KernelStruct;
import dev.leakdx.facts.PageDescriptor;
import dev.leakdx.facts.PerCpuAddress;
import dev.leakdx.facts.PipelineCount;
import dev.leakdx.facts.SearchHit;
import dev.leakdx.facts.SearchRun;
import dev.leakdx.facts.VmallocArea;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static dev.leakdx.facts.Units.GiB;
import static dev.leakdx.facts.Units.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The line-oriented crash commands (LinesReader specs) on real lab-pfrag output, and built per-CPU/pipeline/dmesg samples. */
class CrashCommandsExtractionTest {

    @Test
    void searchHitIsTheLeakedPagesOnlyReference() {
        Samples.Result r = Samples.extract("session-kmem-addr.txt");
        SearchHit hit = r.one(SearchHit.class, h -> true);
        assertEquals(0xffff8ee243058000L, hit.value(), "the searched value is the command's last argument");
        assertEquals(0xffff8ee2bff85408L, hit.location(), "README truth: cache(struct page_frag_cache*) ffff8ee2bff85408");
        assertEquals(0xffff8ee243058000L, hit.stored());
        assertEquals("session-kmem-addr.txt:17", hit.provenance().cite());
        SearchRun run = r.one(SearchRun.class, s -> true);
        assertEquals(1, run.hits());
        assertEquals("-k", run.options());
        assertEquals(0xffff8ee243058000L, run.value());
        assertEquals("search -k ffff8ee243058000", run.provenance().command());

        // the hit is where struct page_frag_cache was dumped from
        KernelStruct cache = Samples.extract("session-struct.txt").one(KernelStruct.class, k -> k.type().equals("page_frag_cache"));
        assertEquals(cache.address(), hit.location());
        assertEquals(cache.num("va"), hit.value());
    }

    @Test
    void searchWithNoOutputIsAZeroHitRun() {
        Samples.Result r = Samples.extract("search-nohit.txt");
        List<SearchRun> runs = r.of(SearchRun.class);
        assertEquals(2, runs.size());
        assertEquals(1, runs.get(0).hits());
        SearchRun none = runs.get(1);
        assertEquals(0, none.hits());
        assertEquals(0xffff8ee2deadb000L, none.value());
        assertEquals("-k", none.options());
        assertEquals("search -k ffff8ee2deadb000", none.provenance().command());
        assertEquals(1, r.of(SearchHit.class).size(), "only the first search hit anything");
        CommandRun c = r.one(CommandRun.class, x -> x.command().equals("search -k ffff8ee2deadb000"));
        assertEquals("crash.search", c.format());
        assertEquals(0, c.lines());
        assertEquals(0, r.stats("search-nohit.txt").skipped);
    }

    @Test
    void searchWithNoOutputAsTheLastCommand(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "s.txt", "crash> search -k ffff8ee2deadb000\n");
        SearchRun none = r.one(SearchRun.class, s -> true);
        assertEquals(0, none.hits());
        assertEquals(0xffff8ee2deadb000L, none.value());
    }

    @Test
    void searchWithNoOutputCitesItsOwnPrompt(@TempDir Path dir) {
        SearchRun none = Samples.extract("search-nohit.txt").one(SearchRun.class, s -> s.hits() == 0);
        assertEquals("search-nohit.txt:3", none.provenance().cite());
        SearchRun atEof = Samples.extractText(dir, "s.txt", "crash> search -k ffff8ee2deadb000\n").one(SearchRun.class, s -> true);
        assertEquals("s.txt:1", atEof.provenance().cite());
    }

    @Test
    void kmemOfAVirtualAddressGivesItsPageRow() {
        Samples.Result r = Samples.extract("session-kmem-addr.txt");
        PageDescriptor p = r.one(PageDescriptor.class, d -> d.queried() == 0xffff8ee243058000L);
        assertEquals(0xfffff534800c1600L, p.page(), "README truth: struct_page fffff534800c1600");
        assertEquals(0x3058000L, p.physical(), "pfn 12376 x 4096");
        assertEquals(12376L * 4096, p.physical());
        assertEquals(32768, p.count());
        assertEquals(0xfffffc0010000L, p.flags());
        assertEquals("head", p.flagNames());
        assertTrue(p.hasFlag("head"));
        assertFalse(p.hasFlag("slab"));
        assertEquals("0", p.mapping());
        assertEquals("session-kmem-addr.txt:3", p.provenance().cite());
        assertEquals("kmem ffff8ee243058000", p.provenance().command());
    }

    @Test
    void kmemOfASlabObjectReadsOnlyThePageRow() {
        Samples.Result r = Samples.extract("session-kmem-addr.txt");
        List<PageDescriptor> slabObject = r.of(PageDescriptor.class, d -> d.queried() == 0xffff8ee2bff85400L);
        assertEquals(1, slabObject.size(), "CACHE and SLAB rows are not page rows: " + slabObject);
        PageDescriptor p = slabObject.get(0);
        assertEquals(0xfffff53481ffe140L, p.page());
        assertEquals(0x7ff85000L, p.physical());
        assertEquals("ffff8ee241042500", p.mapping(), "the kmem_cache of kmalloc-64");
        assertEquals("ffff8ee2bff85880", p.index());
        assertEquals(1, p.count());
        assertEquals(0xfffffc0000200L, p.flags());
        assertTrue(p.hasFlag("slab"));
        assertEquals("session-kmem-addr.txt:14", p.provenance().cite());
        assertEquals(Set.of(3L, 14L), r.of(PageDescriptor.class).stream().map(d -> d.provenance().firstLine()).collect(Collectors.toSet()),
                "lines 7 (CACHE row) and 9 (SLAB row) give no PageDescriptor");
        assertEquals(0, r.stats("session-kmem-addr.txt").skipped, "the CACHE/SLAB/FREE rows are known, not skipped");
    }

    @Test
    void kmemVVmallocAreas() {
        Samples.Result r = Samples.extract("session-kmem-h-v.txt");
        List<VmallocArea> v = r.of(VmallocArea.class);
        assertEquals(12, v.size());
        VmallocArea first = v.get(0);
        assertEquals(0xffff8ee24104d700L, first.vmapArea());
        assertEquals(0xffff8ee241120740L, first.vmStruct());
        assertEquals(0xffffd0b5c0000000L, first.start());
        assertEquals(0xffffd0b5c0005000L, first.end());
        assertEquals(20480, first.size());
        assertTrue(first.includes(0xffffd0b5c0004fffL));
        assertFalse(first.includes(0xffffd0b5c0005000L));
        assertEquals("session-kmem-h-v.txt:7", first.provenance().cite());
        assertEquals("session-kmem-h-v.txt:18", v.get(11).provenance().cite());
        for (VmallocArea a : v) assertEquals(a.end() - a.start(), a.size(), a.describe());
        assertEquals(5 * 20480 + 6 * 8192 + 12288, v.stream().mapToLong(VmallocArea::size).sum());
        assertEquals(0, r.stats("session-kmem-h-v.txt").skipped);
    }

    @Test
    void kmemHHugetlbPools() {
        Samples.Result r = Samples.extract("session-kmem-h-v.txt");
        HugePagePool h = r.one(HugePagePool.class, x -> true);
        assertEquals("all", h.node());
        assertEquals(2 * MiB, h.pageSize());
        assertEquals(0, h.total());
        assertEquals(0, h.free());
        assertEquals("session-kmem-h-v.txt:3", h.provenance().cite());
        assertEquals("kmem -h", h.provenance().command());
    }

    @Test
    void sysGivesArchAndRelease() {
        Samples.Result r = Samples.extract("session-sys.txt");
        HostFact arch = r.one(HostFact.class, h -> h.key().equals("arch"));
        assertEquals("x86_64", arch.value());
        assertEquals("session-sys.txt:12", arch.provenance().cite());
        HostFact rel = r.one(HostFact.class, h -> h.key().equals("kernel_release"));
        assertEquals("6.1.0-56-amd64", rel.value());
        assertEquals("session-sys.txt:10", rel.provenance().cite());
        assertEquals(2, r.of(HostFact.class).size(), "MEMORY/CPUS/DATE are not host facts");
        assertEquals("crash.sys", r.one(CommandRun.class, c -> true).format());
    }

    @Test
    void crashLogBanner() {
        Samples.Result r = Samples.extract("session-log.txt");
        HostFact rel = r.one(HostFact.class, h -> true);
        assertEquals("kernel_release", rel.key());
        assertEquals("6.1.0-56-amd64", rel.value());
        assertEquals("session-log.txt:2", rel.provenance().cite());
        assertEquals("log", rel.provenance().command());
        assertEquals(2, r.facts().size(), "the banner and the CommandRun, nothing else: " + r.facts());
        assertEquals(0, r.stats("session-log.txt").skipped, "other log lines are rightly ignored");
    }

    @Test
    void vmcoreDmesgHugepagesLines() {
        // samples/vmcore-dmesg.txt: lab dmesg lines plus BUILT 'Node N hugepages_total=...' lines (mm/hugetlb.c format)
        Samples.Result r = Samples.extract("vmcore-dmesg.txt");
        List<HugePagePool> pools = r.of(HugePagePool.class);
        assertEquals(2, pools.size());
        HugePagePool gig = pools.get(0);
        assertEquals("0", gig.node());
        assertEquals(GiB, gig.pageSize());
        assertEquals(0, gig.total());
        assertEquals("vmcore-dmesg.txt:7", gig.provenance().cite());
        HugePagePool twoMeg = pools.get(1);
        assertEquals("0", twoMeg.node());
        assertEquals(2 * MiB, twoMeg.pageSize());
        assertEquals(256, twoMeg.total());
        assertEquals(256, twoMeg.free());
        assertEquals(0, twoMeg.surplus());
        assertEquals(512 * MiB, twoMeg.totalBytes());
        assertEquals(0, twoMeg.usedBytes());
        assertEquals("vmcore-dmesg.txt:8", twoMeg.provenance().cite());
        assertEquals("6.1.0-56-amd64", r.one(HostFact.class, h -> h.key().equals("kernel_release")).value());
        assertEquals("kernel.log", r.one(CommandRun.class, c -> true).format());

        // the 2 MiB hstate implies 4 KiB pages; the 1 GiB one is not PMD-sized and must not be used
        Sink sink = new Sink();
        List<Fact> settled = HostInference.settle(r.facts(), Manifest.EMPTY, sink);
        HostFact ps = settled.stream().filter(f -> f instanceof HostFact h && h.key().equals("page_size")).map(HostFact.class::cast)
                .findFirst().orElseThrow();
        assertEquals(4096, ps.asLong());
        assertEquals("vmcore-dmesg.txt:8", ps.provenance().cite());
    }

    @Test
    void perCpuAddresses() {
        // samples/percpu.txt is BUILT in crash's format (symbols.c: "PER-CPU DATA TYPE:" / "  [N]: addr")
        Samples.Result r = Samples.extract("percpu.txt");
        List<PerCpuAddress> netdev = r.of(PerCpuAddress.class, p -> p.symbol().equals("netdev_alloc_cache"));
        assertEquals(2, netdev.size());
        assertEquals("struct page_frag_cache", netdev.get(0).type());
        assertEquals(0, netdev.get(0).cpu());
        assertEquals(0xffff8ee2bfc2e5e0L, netdev.get(0).address());
        assertEquals("percpu.txt:5", netdev.get(0).provenance().cite());
        assertEquals(1, netdev.get(1).cpu());
        assertEquals(0xffff8ee2bfd2e5e0L, netdev.get(1).address());
        assertEquals("percpu.txt:6", netdev.get(1).provenance().cite());
        List<PerCpuAddress> napi = r.of(PerCpuAddress.class, p -> p.symbol().equals("napi_alloc_cache"));
        assertEquals(2, napi.size());
        assertEquals("struct napi_alloc_cache", napi.get(1).type());
        assertEquals(0xffff8ee2bfd2e600L, napi.get(1).address());
        assertEquals("percpu.txt:12", napi.get(1).provenance().cite());
        assertEquals(4, r.of(PerCpuAddress.class).size(), "'hfi_ctxmgr_nr = $1 = 4096' is not per-CPU");
        assertEquals(0, r.stats("percpu.txt").skipped);
    }

    @Test
    void pipelinesCountingRows() {
        // samples/pipelines.txt is BUILT; the counts are true for the lab-pfrag tables
        Samples.Result r = Samples.extract("pipelines.txt");
        List<PipelineCount> pc = r.of(PipelineCount.class);
        assertEquals(3, pc.size());
        assertEquals("kmem -m lru.next,flags,mapping,_mapcount,_refcount", pc.get(0).baseCommand());
        assertEquals("grep 00008000$", pc.get(0).filters());
        assertEquals(4096, pc.get(0).count());
        assertEquals("pipelines.txt:2", pc.get(0).provenance().cite());
        assertEquals("grep dead000000000400", pc.get(1).filters());
        assertEquals(25380, pc.get(1).count());
        assertEquals("pipelines.txt:4", pc.get(1).provenance().cite());
        assertEquals("kmem -p", pc.get(2).baseCommand());
        assertEquals("grep ' 32768 '", pc.get(2).filters());
        assertEquals(4096, pc.get(2).count());
        assertEquals(3, r.of(CommandRun.class, c -> c.format().equals("pipeline-count")).size());
        assertTrue(r.of(dev.leakdx.facts.PageGroup.class).isEmpty(), "a count is not a table");
        assertEquals(0, r.stats("pipelines.txt").skipped);
    }

    @Test
    void pipelineCountingZeroRows(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "p.txt", """
                crash> kmem -m lru.next,_refcount | grep 0000ffff$ | wc -l
                0
                """);
        PipelineCount c = r.one(PipelineCount.class, x -> true);
        assertEquals(0, c.count(), "no NIC ring pages is evidence too");
        assertEquals("grep 0000ffff$", c.filters());
        assertEquals("kmem -m lru.next,_refcount", c.baseCommand());
    }
}
