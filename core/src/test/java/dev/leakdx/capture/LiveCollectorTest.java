package dev.leakdx.capture;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.leakdx.extract.Samples;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageTypesRow;
import dev.leakdx.facts.ProcessMemory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** leakdx capture's collection: on a built /proc tree (an arm64 64 KiB host with gaps), and on this host for real. */
class LiveCollectorTest {
    private static final Path LAB = Path.of("cases/lab-baseline-proc/proc");

    /** A /proc of an arm64 host with 64 KiB pages: meminfo etc. from the lab capture, no slabinfo, one process gone. */
    private static Path fakeProc(Path dir) throws IOException {
        Path p = Files.createDirectories(dir.resolve("proc"));
        for (String f : new String[] {"meminfo", "vmstat", "buddyinfo", "zoneinfo", "vmallocinfo"}) Files.copy(LAB.resolve(f), p.resolve(f));
        Files.createDirectories(p.resolve("sys/kernel"));
        Files.writeString(p.resolve("sys/kernel/osrelease"), "4.18.0-553.el8.aarch64\n");
        Files.writeString(p.resolve("sys/kernel/arch"), "aarch64\n");
        Files.writeString(p.resolve("sys/kernel/hostname"), "node-7\n");
        Files.createDirectories(p.resolve("self"));
        Files.writeString(p.resolve("self/smaps"), "aaaa0000-aaab0000 r-xp 00000000 08:01 1 /usr/bin/java\nKernelPageSize:       64 kB\n"
                + "ffff00000000-ffff20000000 rw-s 00000000 00:0f 2 /dev/hugepages/x\nKernelPageSize:   524288 kB\n");
        ByteBuffer flags = ByteBuffer.allocate(8 * 20).order(ByteOrder.nativeOrder());
        for (int i = 0; i < 20; i++) flags.putLong(i < 16 ? 1L << 10 : 1L << 7); // 16 buddy, 4 slab
        Files.write(p.resolve("kpageflags"), flags.array());
        Files.createDirectories(p.resolve("4242"));
        Files.writeString(p.resolve("4242/status"), "Name:\tkworker/u8:1 x\nPid:\t4242\nThreads:\t3\nVmRSS:\t    2048 kB\nRssAnon:\t    1024 kB\n");
        Files.writeString(p.resolve("4242/smaps_rollup"), "00400000-ffffffffff601000 ---p 00000000 00:00 0 [rollup]\nRss:   2048 kB\nAnonymous:  1024 kB\n");
        Files.createDirectories(p.resolve("4243")); // exited between the listing and the read
        return p;
    }

    @Test
    void collectsTheKnownLayoutStatesTheHostAndListsWhatItCouldNotRead(@TempDir Path dir) throws IOException {
        Path proc = fakeProc(dir);
        Files.writeString(dir.resolve("kmsg"), "5,0,0,-;Linux version 4.18.0-553.el8.aarch64 (mockbuild@) #1 SMP\n");
        Path out = dir.resolve("bundle");
        LiveCollector.Result r = new LiveCollector(proc, dir.resolve("kmsg"), s -> { }).collect(out, false);

        assertEquals("65536", r.host().get("page_size")); // the smallest KernelPageSize, never 4 KiB by default
        assertEquals("aarch64", r.host().get("arch"));
        assertEquals("4.18.0-553.el8.aarch64", r.host().get("kernel_release"));
        assertTrue(r.files().contains("proc/meminfo"));
        assertTrue(r.files().contains("proc/page-types.txt"));
        assertTrue(r.files().contains("proc/dmesg.txt"));
        assertTrue(r.files().contains("proc/smaps/4242.kworker_u8:1_x.status"), r.files().toString());
        assertTrue(r.files().contains("proc/smaps/4242.kworker_u8:1_x.smaps_rollup"), r.files().toString());
        assertTrue(r.missing().stream().anyMatch(m -> m.input().equals("/proc/slabinfo") && m.hint().startsWith("absent: per-cache slab sizes")),
                r.missing().toString());
        assertEquals(1, r.missing().size(), r.missing().toString());
        assertTrue(Files.readString(out.resolve("proc/page-types.txt")).endsWith("             total\t        20        1\n"));

        JsonNode manifest = new ObjectMapper(new YAMLFactory()).readTree(out.resolve("case.yaml").toFile());
        assertEquals("node-7", manifest.path("capture").path("hostname").asText());
        assertEquals(1, manifest.path("capture").path("processes").asInt());
        assertEquals(1, manifest.path("capture").path("processes_vanished").asInt());
        assertFalse(manifest.path("capture").path("time").asText().isEmpty());
        assertEquals("/proc/slabinfo", manifest.path("missing").path(0).path("input").asText());

        // the bundle, as leakdx diagnose opens it: host facts from the manifest, the missing list carried along
        Path tgz = dir.resolve("node-7.tar.gz");
        BundleWriter.write(out, tgz);
        try (Capture c = CaptureOpener.open(tgz)) {
            assertEquals("65536", c.manifest().hostFacts().get("page_size"));
            assertEquals(1, c.missing().size());
            assertTrue(c.files().stream().anyMatch(f -> f.name().equals("node-7.tar.gz!node-7/proc/meminfo")), c.files().toString());
            Samples.Result x = Samples.extract(c);
            // page-types.txt and page-types-raw.txt each account for every page frame
            assertEquals(20, x.of(PageTypesRow.class, p -> p.provenance().file().endsWith("/page-types.txt")).stream().mapToLong(PageTypesRow::pages).sum());
            assertEquals(20, x.of(PageTypesRow.class, p -> p.provenance().file().endsWith("/page-types-raw.txt")).stream().mapToLong(PageTypesRow::pages).sum());
            ProcessMemory pm = x.one(ProcessMemory.class, m -> m.source().equals("smaps_rollup"));
            assertEquals(4242, pm.pid());
            assertEquals(1024 * 1024, pm.anon());
        }
    }

    @Test
    void thisHostCollectedForReal(@TempDir Path dir) throws IOException {
        assumeTrue(Files.isReadable(Path.of("/proc/meminfo")), "no /proc/meminfo: not a Linux host");
        LiveCollector.Result r = new LiveCollector(s -> { }).collect(dir.resolve("live"), false);
        Path root = r.root();
        // MemTotal does not move while the host runs: the copy says what /proc says
        assertEquals(memTotal(Files.readString(Path.of("/proc/meminfo"))), memTotal(Files.readString(root.resolve("proc/meminfo"))));
        assertEquals(Files.readString(Path.of("/proc/sys/kernel/osrelease")).strip(), r.host().get("kernel_release"));
        long ps = Long.parseLong(r.host().get("page_size"));
        assertTrue(ps >= 4096 && Long.bitCount(ps) == 1, "page size " + ps);
        assertTrue(r.files().stream().anyMatch(f -> f.startsWith("proc/smaps/") && f.endsWith(".status")), r.files().toString());
        if (LiveCollector.isRoot(Path.of("/proc")) && Files.isReadable(Path.of("/proc/kpageflags"))) {
            assertTrue(r.files().contains("proc/page-types.txt"), r.missing().toString());
            assertTrue(r.files().contains("proc/slabinfo"), r.missing().toString());
        } else {
            assertTrue(r.missing().stream().anyMatch(m -> m.input().equals("/proc/kpageflags")), r.missing().toString());
        }
        Samples.Result x = Samples.extract(CaptureOpener.open(root));
        MemCounter t = x.one(MemCounter.class, m -> m.name().equals("MemTotal") && m.provenance().snapshot().isEmpty());
        assertEquals(memTotal(Files.readString(Path.of("/proc/meminfo"))), t.bytes() / 1024);
    }

    private static long memTotal(String meminfo) {
        Matcher m = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB").matcher(meminfo);
        assertTrue(m.find());
        return Long.parseLong(m.group(1));
    }
}
