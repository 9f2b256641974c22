package dev.leakdx.rules;

import dev.leakdx.engine.Evidence;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.Hypothesis;
import dev.leakdx.facts.EventCounter;
import dev.leakdx.facts.OomKill;
import org.junit.jupiter.api.Test;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/oom.drl. */
class OomRulesTest {
    final OomKill first = new OomKill(3001, "qemu-kvm", false, 100.5, 80L << 30, 2L << 30, 10L << 20, 0, at("dmesg.txt", 40));
    final OomKill last = new OomKill(3002, "qemu-kvm", false, 2000.25, 80L << 30, 3L << 30, 20L << 20, 0, at("dmesg.txt", 90));

    @Test void killsAreSummarisedByTheLastOne() {
        Finding f = finding(fire("The kernel killed processes to free memory", first, last));
        assertTrue(f.summary().startsWith("2 OOM kill(s); the last killed qemu-kvm (pid 3002) at 2000.25 s"), f.summary());
    }

    @Test void aLeakStarvedTheVictim() {
        Hypothesis leak = new Hypothesis("THP_REFCOUNT_LEAK", "s", "t", "critical", 1, 223L << 30, 447, "s");
        Evidence e = evidence(fire("A kernel-side leak starved the process the OOM killer chose", leak, host("ram_bytes", 253L << 30), first, last));
        assertTrue(e.text().contains("pid 3002"), e.text());
        // a memcg OOM is a limit, not the system running out
        OomKill memcg = new OomKill(5, "java", true, 1, 1, 1, 1, 0, at("dmesg.txt", 5));
        none(fire("A kernel-side leak starved the process the OOM killer chose", leak, host("ram_bytes", 253L << 30), memcg), Evidence.class);
    }

    @Test void vmstatCounter() {
        Finding f = finding(fire("vmstat counts OOM kills", new EventCounter("vmstat", "oom_kill", 23, at("vmstat", 130))));
        assertEquals("OOM_KILL_COUNTER", f.code());
        assertTrue(f.summary().contains("23"));
    }

    @Test void memcgLimit() {
        OomKill memcg = new OomKill(77, "java", true, 5.0, 1L << 30, 900L << 20, 10L << 20, 0, at("dmesg.txt", 12));
        Hypothesis h = one(fire("A memory cgroup hit its limit: not a kernel leak", memcg), Hypothesis.class);
        assertEquals("MEMCG_LIMIT_OOM", h.code());
        assertTrue(h.summary().contains("java (pid 77"), h.summary());
        none(fire("A memory cgroup hit its limit: not a kernel leak", first), Hypothesis.class);
    }

    @Test void userSpaceOomWhenTheVictimHeldAQuarterOfRam() {
        OomKill hog = new OomKill(9, "batchjob", false, 10.0, 20L << 30, 6L << 30, 1L << 20, 0, at("dmesg.txt", 30));
        Hypothesis h = one(fire("The OOM victim itself held most of the memory: a user-space OOM", host("ram_bytes", 16L << 30), hog), Hypothesis.class);
        assertEquals("USERSPACE_OOM", h.code());
        assertEquals((6L << 30) + (1L << 20), h.bytes());
        // case 2's qemu (3 GiB of 253 GiB) is no user-space OOM
        none(fire("The OOM victim itself held most of the memory: a user-space OOM", host("ram_bytes", 253L << 30), last), Hypothesis.class);
    }

    @Test void aBiggerKernelLeakArguesAgainstUserSpace() {
        Hypothesis u = new Hypothesis("USERSPACE_OOM", "oom victim x", "t", "warning", 1, 4L << 30, -1, "s");
        Hypothesis thp = new Hypothesis("THP_REFCOUNT_LEAK", "s", "t", "critical", 1, 223L << 30, 447, "s");
        Evidence e = evidence(fire("A kernel-side leak larger than the victim argues against a user-space OOM", u, thp));
        assertFalse(e.supports());
    }
}
