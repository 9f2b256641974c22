package dev.leakdx.capture;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * capture --drop-caches without root: the /proc root and the drop are injected. The two meminfo
 * readings are shmem-tmpfs-files-built's before/after pair (a 32 GiB host with 11.6 GiB of tmpfs
 * Shmem that a drop cannot free, and 2.96 GiB of page cache it can).
 */
class DropCachesReportTest {
    private static final Path CASE = Path.of("cases/shmem-tmpfs-files-built/proc");

    @Test
    void theDropIsReportedCounterByCounterInTheBundleAndOnStderr(@TempDir Path dir) throws IOException {
        Path proc = Files.createDirectories(dir.resolve("proc"));
        Files.copy(CASE.resolve("meminfo.before_drop_caches"), proc.resolve("meminfo"));
        Files.createDirectories(proc.resolve("sys/kernel"));
        Files.writeString(proc.resolve("sys/kernel/osrelease"), "5.14.0-362.el9.x86_64\n");
        Files.writeString(proc.resolve("sys/kernel/hostname"), "build-07\n");
        Files.createDirectories(proc.resolve("self"));
        Files.writeString(proc.resolve("self/smaps"), "00400000-00401000 r-xp 00000000 08:01 1 /usr/bin/java\nKernelPageSize:        4 kB\n");
        Files.writeString(dir.resolve("kmsg"), "6,0,1000,-;Linux version 5.14.0-362.el9.x86_64\n");
        List<String> steps = new ArrayList<>();
        int[] drops = {0};
        LiveCollector c = new LiveCollector(proc, dir.resolve("kmsg"), steps::add, () -> {
            drops[0]++;
            Files.copy(CASE.resolve("meminfo.after_drop_caches"), proc.resolve("meminfo"), StandardCopyOption.REPLACE_EXISTING);
        });
        LiveCollector.Result r = c.collect(dir.resolve("b"), true, false);
        assertEquals(1, drops[0]);
        assertTrue(steps.indexOf("echo 3 > /proc/sys/vm/drop_caches") > steps.indexOf("before drop_caches: proc-before/"), steps.toString());

        // the pair the delta rules compare, and the report, are in the bundle
        assertEquals(Files.readString(CASE.resolve("meminfo.before_drop_caches")), Files.readString(r.root().resolve("proc/meminfo.before_drop_caches")));
        assertEquals(Files.readString(CASE.resolve("meminfo.after_drop_caches")), Files.readString(r.root().resolve("proc/meminfo.after_drop_caches")));
        assertTrue(r.files().contains("drop-caches.txt"), r.files().toString());
        String report = Files.readString(r.root().resolve("drop-caches.txt"));
        assertEquals(report, r.dropReport());
        List<String> lines = report.lines().toList();
        assertEquals("drop_caches: what echo 3 > /proc/sys/vm/drop_caches freed (/proc/meminfo before and after)", lines.get(0));
        assertTrue(lines.get(1).matches("taken \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC on build-07, kernel 5\\.14\\.0-362\\.el9\\.x86_64"), lines.get(1));
        assertEquals("  counter               before        after        change", lines.get(3));
        assertTrue(lines.contains("  MemFree             11.7 GiB       15 GiB     +3.31 GiB"), report);
        assertTrue(lines.contains("  Buffers            117.2 MiB     7.81 MiB    -109.4 MiB"), report);
        assertTrue(lines.contains("  Cached              14.5 GiB     11.7 GiB     -2.78 GiB"), report);
        assertTrue(lines.contains("  Shmem               11.6 GiB     11.6 GiB             0"), report);
        assertTrue(lines.contains("  SReclaimable       595.7 MiB    156.3 MiB    -439.5 MiB"), report);
        assertTrue(lines.contains("  SUnreclaim         253.9 MiB    253.9 MiB             0"), report);

        DropCachesReport d = DropCachesReport.of(Files.readString(CASE.resolve("meminfo.before_drop_caches")),
                Files.readString(CASE.resolve("meminfo.after_drop_caches")), "x");
        assertEquals((15222624L - 12122624L) * 1024, d.pageCache(false)); // Cached without Shmem
        assertEquals((12312624L - 12122624L) * 1024, d.pageCache(true));
        assertEquals(3472000L * 1024, d.row("MemFree").change());
        assertEquals(12, d.rows().size());
        assertTrue(report.contains("Page cache (Cached without Shmem) went from 2.96 GiB to 185.5 MiB, Buffers from 117.2 MiB to 7.81 MiB, "
                + "reclaimable slab (dentries, inodes) from 595.7 MiB to 156.3 MiB."), report);
        assertTrue(report.contains("MemFree rose by 3.31 GiB against 2.88 GiB of Cached and Buffers dropped and 439.5 MiB of reclaimable slab."), report);
        assertTrue(report.contains("Shmem (tmpfs, /dev/shm, SysV shared memory: counted in Cached, never dropped) stays at 11.6 GiB: 11.7 GiB of Cached"), report);
        assertTrue(report.contains("SHARED vs CACHED (founding case 1)"), report);
    }

    @Test
    void aCounterMissingFromAReadingIsUnknownNotZero() {
        DropCachesReport d = DropCachesReport.of("MemFree: 100 kB\nCached: 50 kB\n", "MemFree: 120 kB\nCached: 30 kB\nShmem: 10 kB\n", "taken x");
        assertEquals(-1, d.row("Shmem").before());
        assertTrue(d.render().contains("  Shmem                unknown       10 KiB       unknown"), d.render());
        assertEquals(-20 * 1024, d.row("Cached").change());
        assertTrue(d.meaning().get(0).startsWith("Page cache (Cached without Shmem) went from 50 KiB to 30 KiB"), d.meaning().toString());
    }
}
