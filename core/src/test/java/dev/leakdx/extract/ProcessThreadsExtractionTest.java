package dev.leakdx.extract;

import dev.leakdx.facts.ProcessMemory;
import dev.leakdx.facts.ProcessThreads;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** /proc/PID/status: Threads and VmPTE next to the RSS split, from a case file and from a kernel thread's status. */
class ProcessThreadsExtractionTest {
    @Test
    void threadsAndPageTablesOfTheLeakingAgent(@TempDir Path dir) throws Exception {
        Path f = Path.of("cases/kstack-thread-leak-built/proc/4711.acme-agent.status");
        Samples.Result r = Samples.extractText(dir, "4711.acme-agent.status", Files.readString(f));
        ProcessThreads t = r.one(ProcessThreads.class, p -> true);
        assertEquals(4711, t.pid());
        assertEquals("acme-agent", t.comm());
        assertEquals(96_004, t.threads());
        assertEquals((96_000L * 4 / 10 + 900) * 1024, t.pageTableBytes());
        assertEquals(35, t.provenance().lastLine(), "cited up to the Threads: line");
        assertEquals(0, r.one(ProcessMemory.class, p -> true).shmem());
    }

    @Test
    void aKernelThreadHasNoVmPte(@TempDir Path dir) {
        String status = "Name:\tkworker/3:1H\nUmask:\t0000\nState:\tI (idle)\nTgid:\t212\nNgid:\t0\nPid:\t212\nPPid:\t2\n"
                + "Threads:\t1\nSigQ:\t0/127516\n";
        Samples.Result r = Samples.extractText(dir, "212.kworker.status", status);
        ProcessThreads t = r.one(ProcessThreads.class, p -> true);
        assertEquals(1, t.threads());
        assertEquals(-1, t.pageTableBytes());
        assertEquals("kworker/3:1H", t.comm());
    }
}
