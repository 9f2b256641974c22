package dev.leakdx.extract;

import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.KernelLogEvent;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.OomKill;
import dev.leakdx.facts.PageTypesRow;
import dev.leakdx.facts.ProcessMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /proc/meminfo, /proc/vmstat, page-types, per-process captures and OOM kill lines, on lab-thp samples. */
class ProcExtractionTest {
    @TempDir Path tmp;

    @Test void meminfoKeepsEveryKeyInKibAndCountsHugePages() {
        Samples.Result r = Samples.extract("proc/meminfo");
        MemCounter active = r.one(MemCounter.class, m -> m.name().equals("Active(anon)"));
        assertEquals(4976L * 1024, active.bytes());
        assertEquals(9, active.provenance().firstLine());
        assertEquals("meminfo", active.source());
        assertEquals(2048L * 1024, r.one(MemCounter.class, m -> m.name().equals("Hugepagesize")).bytes());
        assertEquals(0, r.one(EventCounter.class, e -> e.name().equals("HugePages_Total")).value());
        assertEquals(0, r.stats("meminfo").skipped);
        assertTrue(r.of(MemCounter.class).size() > 45, "every kB key is kept");
    }

    @Test void meminfoWithCrlfUnknownKeyAndACutLine() {
        String text = "MemTotal:        1995720 kB\r\nMemFree:         1612144 kB\r\nFutureCounter:     1234 kB\r\nAnonPages:   65\r\n";
        Samples.Result r = Samples.extractText(tmp, "meminfo.before_drop_caches", text);
        assertEquals(1995720L * 1024, r.one(MemCounter.class, m -> m.name().equals("MemTotal")).bytes());
        assertEquals(1234L * 1024, r.one(MemCounter.class, m -> m.name().equals("FutureCounter")).bytes());
        assertEquals("before_drop_caches", r.one(MemCounter.class, m -> m.name().equals("MemFree")).snapshot());
        assertFalse(r.of(MemCounter.class).stream().anyMatch(m -> m.name().equals("AnonPages")), "a cut line is no counter");
        assertEquals(1, r.stats("meminfo.before_drop_caches").skipped);
        assertTrue(r.diagnostics().stream().anyMatch(d -> d.line() == 4 && d.level().equals("skipped")));
    }

    @Test void vmstatUnitsPerKey() {
        Samples.Result r = Samples.extract("proc/vmstat");
        MemCounter active = r.one(MemCounter.class, m -> m.name().equals("nr_zone_active_anon"));
        assertEquals(1244, active.pages());
        assertEquals(-1, active.bytes(), "pages until the page size is settled");
        MemCounter stack = r.one(MemCounter.class, m -> m.name().equals("nr_kernel_stack"));
        assertEquals(-1, stack.pages());
        assertTrue(stack.bytes() > 0 && stack.bytes() % 1024 == 0, "nr_kernel_stack is KiB");
        EventCounter thps = r.one(EventCounter.class, e -> e.name().equals("nr_anon_transparent_hugepages"));
        assertEquals(32, thps.value(), "a count of THPs: the live process's 64 MiB");
        assertTrue(r.of(EventCounter.class).stream().anyMatch(e -> e.name().equals("pgfault")));
        assertEquals(0, r.stats("vmstat").skipped);
    }

    @Test void pageTypesSummaryAndRaw() {
        Samples.Result r = Samples.extract("proc/page-types.txt");
        PageTypesRow heads = r.one(PageTypesRow.class, PageTypesRow::unmappedThpHead);
        assertEquals(128, heads.pages());
        assertEquals(0x40502cL, heads.flags());
        assertEquals(15, heads.provenance().firstLine());
        assertEquals(65_408, r.one(PageTypesRow.class, PageTypesRow::unmappedThpTail).pages());
        // the live process's THPs carry the mmap bit and are neither
        PageTypesRow mapped = r.one(PageTypesRow.class, p -> p.flags() == 0x405828L);
        assertFalse(mapped.unmappedThpHead() || mapped.unmappedThpTail());
        assertEquals(0, r.stats("page-types.txt").skipped, "the total line is not a row, nor skipped");

        Samples.Result raw = Samples.extract("proc/page-types-raw.txt");
        PageTypesRow rawHeads = raw.one(PageTypesRow.class, PageTypesRow::unmappedThpHead);
        assertTrue(rawHeads.raw());
        assertEquals(128, rawHeads.pages());
        assertEquals(65_408, raw.one(PageTypesRow.class, PageTypesRow::unmappedThpTail).pages());
    }

    @Test void perProcessFilesTakePidAndCommFromTheName() {
        ProcessMemory rollup = Samples.extract("proc/223.vm_manager.smaps_rollup").one(ProcessMemory.class, p -> true);
        assertEquals(223, rollup.pid());
        assertEquals("vm_manager", rollup.comm());
        assertEquals("smaps_rollup", rollup.source());
        assertEquals(66236L * 1024, rollup.rss());
        assertEquals(65536L * 1024, rollup.anonHuge());
        ProcessMemory status = Samples.extract("proc/223.vm_manager.status").one(ProcessMemory.class, p -> true);
        assertEquals(65540L * 1024, status.rss());
        assertEquals(65540L * 1024, status.anon());
        ProcessMemory smaps = Samples.extract("proc/223.vm_manager.smaps").one(ProcessMemory.class, p -> true);
        assertEquals(66236L * 1024, smaps.rss(), "smaps summed over its 13 VMAs");
        assertEquals(65536L * 1024, smaps.anonHuge());
    }

    @Test void scriptDumpWithBegEndMarkers() {
        String dump = """
                PID(1) comm(systemd) mstat(42000 3000 1500 300 0 2000 0)
                BEG:get status
                Name:\tsystemd
                Pid:\t1
                VmRSS:\t   12000 kB
                RssAnon:\t    4000 kB
                RssFile:\t    8000 kB
                RssShmem:\t       0 kB
                END:get status
                BEG:get maps
                aaaac0000000-aaaac0010000 r-xp 00000000 fd:00 123   /usr/lib/systemd/systemd
                END:get maps
                BEG:get smap
                aaaac0000000-aaaac0010000 r-xp 00000000 fd:00 123   /usr/lib/systemd/systemd
                Size:                 64 kB
                Rss:                  64 kB
                Anonymous:             0 kB
                AnonHugePages:         0 kB
                ffffa0000000-ffffa0100000 rw-p 00000000 00:00 0
                Size:               1024 kB
                Rss:                 512 kB
                Anonymous:           512 kB
                AnonHugePages:         0 kB
                END:get smap


                PID(4242) comm(qemu-kvm) mstat(1163283 12345 2345 1024 0 70000 0)
                BEG:get status
                Name:\tqemu-kvm
                Pid:\t4242
                VmRSS:\t  790016 kB
                RssAnon:\t  780000 kB
                END:get status
                """;
        Samples.Result r = Samples.extractText(tmp, "processes.txt", dump);
        List<ProcessMemory> all = r.of(ProcessMemory.class);
        ProcessMemory sdStatus = r.one(ProcessMemory.class, p -> p.pid() == 1 && p.source().equals("status"));
        assertEquals(12000L * 1024, sdStatus.rss());
        assertEquals(8000L * 1024, sdStatus.file());
        ProcessMemory sdSmaps = r.one(ProcessMemory.class, p -> p.pid() == 1 && p.source().equals("smaps"));
        assertEquals(576L * 1024, sdSmaps.rss());
        assertEquals(512L * 1024, sdSmaps.anon());
        ProcessMemory qemu = r.one(ProcessMemory.class, p -> p.pid() == 4242);
        assertEquals("qemu-kvm", qemu.comm());
        assertEquals(790016L * 1024, qemu.rss());
        assertEquals(3, all.size());
        assertEquals(0, r.stats("processes.txt").skipped);
    }

    @Test void oomKillLinesWithAndWithoutTimestampsAndSyslogPrefix() {
        String log = """
                [ 8573.301415] Out of memory: Killed process 4242 (qemu-kvm) total-vm:4653132kB, anon-rss:3120000kB, file-rss:1000kB, shmem-rss:0kB, UID:107 pgtables:8000kB oom_score_adj:0
                Nov 22 03:00:11 host kernel: Memory cgroup out of memory: Killed process 77 (java) total-vm:100kB, anon-rss:50kB, file-rss:0kB, shmem-rss:0kB
                [  12.5] Out of memory: Kill process 9 (old) score 900 or sacrifice child
                """;
        Samples.Result r = Samples.extractText(tmp, "dmesg.txt", log);
        OomKill qemu = r.one(OomKill.class, k -> k.pid() == 4242);
        assertEquals(3120000L * 1024, qemu.anonRss());
        assertEquals(8573.301415, qemu.time(), 1e-9);
        assertFalse(qemu.memcg());
        OomKill java = r.one(OomKill.class, k -> k.pid() == 77);
        assertTrue(java.memcg());
        assertEquals(-1, java.time(), 0);
        KernelLogEvent old = r.one(KernelLogEvent.class, e -> e.kind().equals("OOM_KILLED"));
        assertEquals("old", old.subject());
    }
}
