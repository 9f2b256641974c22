package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.engine.MemInfoDelta;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.ProcessMemory;
import org.junit.jupiter.api.Test;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/shmem.drl: 6 GiB of /dev/shm files nobody maps on a 16 GiB host, and 6 GiB of PostgreSQL shared buffers. */
class ShmemRulesTest {
    static MemCounter mi(String name, long kb, int line) { return new MemCounter("meminfo", name, -1, kb * 1024, at("meminfo", line)); }

    static MemCounter mi(String name, long kb, String snapshot) {
        return new MemCounter("meminfo", name, -1, kb * 1024, at("meminfo." + snapshot, 23, "", snapshot));
    }

    static ProcessMemory proc(long pid, String comm, long shmemKb) {
        return new ProcessMemory(pid, comm, shmemKb * 1024 + (100L << 20), 100L << 20, 0, 0, shmemKb * 1024, "status", at(pid + "." + comm + ".status", 1));
    }

    final MemCounter total = mi("MemTotal", 16L << 20, 1);
    final MemCounter shmem = mi("Shmem", 6L << 20, 23);
    final String rule = "Shmem that no process maps: tmpfs or /dev/shm files";

    @Test void shmemNobodyMapsIsFilesToDelete() {
        Hypothesis h = one(fire(rule, total, shmem, mi("Mapped", 300_000, 22), proc(812, "sshd", 1024)), Hypothesis.class);
        assertEquals(((6L << 20) - 1024) * 1024, h.bytes(), "both are lower bounds; Shmem - sum(RssShmem) is the larger here");
        assertEquals("critical", h.severity()); // 35.8 % of MemTotal
        assertTrue(h.summary().contains("not a kernel leak"), h.summary());
        // Mapped alone bounds it too
        assertEquals(((6L << 20) - 300_000) * 1024, one(fire(rule, total, shmem, mi("Mapped", 300_000, 22)), Hypothesis.class).bytes());
    }

    @Test void sharedBuffersAreNotTmpfs() {
        // PostgreSQL maps 5.9 GiB of it: Mapped and RssShmem say so
        none(fire(rule, total, shmem, mi("Mapped", 6_300_000, 22), proc(1201, "postgres", 6_200_000)), Hypothesis.class);
        Finding f = finding(fire("Shmem mapped by a process is its shared memory, not forgotten files", total, shmem, proc(1201, "postgres", 6_200_000)));
        assertTrue(f.summary().startsWith("pid 1201 (postgres) maps 5.91 GiB"), f.summary());
        // with neither Mapped nor processes nothing can be said
        none(fire(rule, total, shmem), Hypothesis.class);
    }

    @Test void processesMapLittle() {
        Evidence e = evidence(fire("The processes map little of the Shmem", hypothesis("SHMEM_TMPFS_GROWTH", "shmem"), shmem,
                proc(812, "sshd", 1024), proc(900, "Xorg", 40_960)));
        assertTrue(e.text().startsWith("2 processes' RssShmem add to 41 MiB"), e.text());
        assertTrue(e.text().contains("pid 900 (Xorg)"), e.text());
    }

    @Test void dropCachesLeavesIt() {
        MemInfoDelta d = new MemInfoDelta("meminfo", "", "Shmem", "drop_caches", mi("Shmem", 6L << 20, "before_drop_caches"),
                mi("Shmem", (6L << 20) - 200, "after_drop_caches"));
        assertTrue(evidence(fire("Shmem that drop_caches does not free", hypothesis("SHMEM_TMPFS_GROWTH", "shmem"), d)).supports());
    }

    @Test void nextCaptures() {
        var cmds = next(fire("To find the files that hold the shared memory, list tmpfs and SysV segments", hypothesis("SHMEM_TMPFS_GROWTH", "shmem")))
                .stream().map(NextCapture::command).toList();
        assertTrue(cmds.stream().anyMatch(c -> c.startsWith("df -h -t tmpfs")), cmds.toString());
        assertTrue(cmds.stream().anyMatch(c -> c.startsWith("ipcs -m")), cmds.toString());
        assertTrue(cmds.stream().anyMatch(c -> c.startsWith("find /dev/shm")), cmds.toString());
    }

    @Test void freeAloneWithSharedAtHalfOfRamIsShmemGrowth() {
        String rule = "free shows shared memory far above its norm: tmpfs or shared memory files";
        // `free -k`: Mem: total 32,863,076, shared 16,431,538
        dev.leakdx.facts.MemCounter total = new dev.leakdx.facts.MemCounter("free", "Mem total", -1, 32_863_076L * 1024, at("free.txt", 2));
        dev.leakdx.facts.MemCounter shared = new dev.leakdx.facts.MemCounter("free", "Mem shared", -1, 16_431_538L * 1024, at("free.txt", 2));
        Hypothesis h = one(fire(rule, total, shared), Hypothesis.class);
        assertEquals(16_431_538L * 1024, h.bytes());
        assertEquals("info", h.severity(), "free's shared is all of Shmem, an upper bound of the Shmem nobody maps that the norm judges: information");
        assertTrue(h.summary().contains("the critical scale applies only to Shmem nobody maps"), h.summary());
        assertEquals(0.5, h.prior(), "free cannot say who maps it");
        assertTrue(h.summary().startsWith("free shows shared 15.7 GiB of total 31.3 GiB (50.0%)"), h.summary());
        // shared at 1% of RAM is normal
        none(fire(rule, total, new dev.leakdx.facts.MemCounter("free", "Mem shared", -1, 328_630L * 1024, at("free.txt", 2))), Hypothesis.class);
        assertTrue(next(fire("To tell forgotten tmpfs files from a process's shared memory, capture meminfo and the processes",
                hypothesis("SHMEM_TMPFS_GROWTH", "shmem"))).get(0).command().startsWith("cat /proc/meminfo"));
    }
}
