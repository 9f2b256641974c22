package dev.leakdx.extract;

import dev.leakdx.capture.Limits;
import dev.leakdx.facts.MemCounter;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, the extraction side: lines too long to hold, stray NUL bytes, a byte order mark,
 * counters no kernel prints (overflowing, negative, a zero MemTotal) and numbers that are not.
 */
class HostileLinesTest {
    static final String MEMINFO = "MemTotal:        8000000 kB\nMemFree:         4000000 kB\nMemAvailable:    5000000 kB\n";

    @AfterEach
    void clearLimits() {
        for (Limits.Limit l : Limits.ALL) System.clearProperty(l.property());
    }

    private static List<String> diags(Samples.Result r) { return r.diagnostics().stream().map(Diagnostic::toString).toList(); }

    @Test
    void aLineLongerThanTheLimitIsCutCountedAndCitedAndTheNextLinesAreRead(@TempDir Path dir) throws IOException {
        System.setProperty(Limits.LINE_BYTES.property(), "64K");
        // a line of 3 MiB (it spans blocks: the rest of it is skipped, never held) between two meminfo lines
        Path f = dir.resolve("meminfo");
        try (OutputStream o = Files.newOutputStream(f)) {
            o.write("MemTotal:        8000000 kB\n".getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'A');
            for (int i = 0; i < 3; i++) o.write(chunk);
            o.write("\r\nMemFree:         4000000 kB\nMemAvailable:    5000000 kB\n".getBytes(StandardCharsets.US_ASCII));
        }
        Samples.Result r = Samples.extract(f);
        assertEquals(List.of("MemTotal", "MemFree", "MemAvailable"), r.of(MemCounter.class).stream().map(MemCounter::name).toList());
        assertTrue(diags(r).contains("meminfo:2: warning: line longer than 64 KiB (limit leakdx.limit.line-bytes): only its first 64 KiB are read"), diags(r).toString());
        assertEquals(4, r.stats("meminfo").lines);
        assertEquals(1, r.stats("meminfo").skipped, "the cut line is shown as not understood");
    }

    @Test
    void aFileThatIsOneHugeLineIsCutNotReadWhole(@TempDir Path dir) throws IOException {
        // the 2 GB line of the issue, scaled: a single line with no end, 5 times the limit
        System.setProperty(Limits.LINE_BYTES.property(), "1M");
        Path f = dir.resolve("huge");
        try (OutputStream o = Files.newOutputStream(f)) {
            byte[] chunk = new byte[1 << 20];
            java.util.Arrays.fill(chunk, (byte) 'A');
            for (int i = 0; i < 5; i++) o.write(chunk);
        }
        Samples.Result r = Samples.extract(f);
        assertTrue(diags(r).contains("huge:1: warning: line longer than 1 MiB (limit leakdx.limit.line-bytes): only its first 1 MiB are read"), diags(r).toString());
        assertEquals(1, r.stats("huge").lines);
        assertFalse(diags(r).toString().contains("could not read"), diags(r).toString());
    }

    @Test
    void oneNulByteDoesNotMakeAFileBinary(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "meminfo", "MemTotal:        8000000 kB\nMemFree:   \0      4000000 kB\nMemAvailable:    5000000 kB\n");
        assertEquals("proc.meminfo", r.stats("meminfo").format);
        assertEquals(List.of("MemTotal", "MemAvailable"), r.of(MemCounter.class).stream().map(MemCounter::name).toList());
        assertEquals(1, r.stats("meminfo").skipped, "the line with the NUL is counted as not understood");
        assertTrue(diags(r).get(0).startsWith("meminfo:2: skipped: line not understood"), diags(r).toString());
    }

    @Test
    void aByteOrderMarkDoesNotHideTheFormat(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "meminfo", "\uFEFF" + MEMINFO);
        assertEquals("proc.meminfo", r.stats("meminfo").format);
        assertEquals(8000000L * 1024, r.one(MemCounter.class, m -> m.name().equals("MemTotal")).bytes());
        assertEquals(List.of(), diags(r));
    }

    @Test
    void aCounterThatOverflowsBytesIsAnImpossibleValueNotUsed(@TempDir Path dir) {
        // MemFree of 2^53 kB is 2^63 bytes: one past Long.MAX_VALUE; it used to wrap to a negative and give a false CRITICAL
        Samples.Result r = Samples.extractText(dir, "meminfo", "MemTotal:        8000000 kB\nMemFree:         9007199254740992 kB\nMemAvailable:    5000000 kB\n");
        assertEquals(List.of("MemTotal", "MemAvailable"), r.of(MemCounter.class).stream().map(MemCounter::name).toList());
        assertEquals(List.of("meminfo:2: error: proc.meminfo: impossible value, MemCounter not used: kb 9007199254740992 kB overflows 64-bit bytes"), diags(r));
    }

    @Test
    void aZeroOrOverflowedMemTotalIsAnImpossibleValue(@TempDir Path dir) {
        Samples.Result zero = Samples.extractText(dir, "meminfo", "MemTotal:        0 kB\nMemFree:         4000000 kB\n");
        assertEquals(List.of("MemFree"), zero.of(MemCounter.class).stream().map(MemCounter::name).toList());
        assertEquals(List.of("meminfo:1: error: proc.meminfo: impossible value, MemCounter not used: MemTotal is 0: a machine has memory"), diags(zero));
        Samples.Result big = Samples.extractText(dir, "meminfo2", "MemTotal:        99999999999999999999 kB\nMemFree:         4000000 kB\n");
        assertEquals(List.of("MemFree"), big.of(MemCounter.class).stream().map(MemCounter::name).toList());
        assertEquals(List.of("meminfo2:1: error: proc.meminfo: cannot read MemCounter: field 'kb' is out of range: 99999999999999999999"), diags(big));
    }

    @Test
    void pagesThatOverflowBytesOnceThePageSizeIsKnownAreNotUsed(@TempDir Path dir) throws IOException {
        Path cap = Files.createDirectories(dir.resolve("cap"));
        Files.writeString(cap.resolve("vmstat"), "nr_free_pages 4611686018427387904\nnr_inactive_anon 1000\n");
        Files.writeString(cap.resolve("case.yaml"), "host: {page_size: 4096}\n");
        try (dev.leakdx.capture.Capture c = dev.leakdx.capture.CaptureOpener.open(cap)) {
            dev.leakdx.engine.Diagnoser d = new dev.leakdx.engine.Diagnoser(java.util.concurrent.CompletableFuture.completedFuture(null), Samples.registry());
            dev.leakdx.engine.Diagnoser.Extraction e = d.extract(c);
            List<String> names = e.facts().stream().filter(MemCounter.class::isInstance).map(f -> ((MemCounter) f).name()).toList();
            assertFalse(names.contains("nr_free_pages"), names.toString());
            assertTrue(e.sink().diagnostics().stream().map(Diagnostic::toString).anyMatch(s -> s.equals(
                    "vmstat:1: error: impossible value, MemCounter not used: nr_free_pages 4611686018427387904 pages of 4096 bytes overflows 64-bit bytes")),
                    e.sink().diagnostics().toString());
        }
    }

    /** Found by the fuzz harness: a hex "word" of more than 16 digits in rd output threw and lost the rest of the file. */
    @Test
    void aRawMemoryWordWiderThan64BitsIsNotAWordAndTheFileGoesOn(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "session.txt", """
                crash> rd -u 7ffd5e3c1a40 4
                    7ffd5e3c1a40:  303030303030303030330 3030303030   ................
                    123456789012345678901:  0000000000000001 0000000000000002   ................
                crash> kmem -i
                                 PAGES        TOTAL      PERCENTAGE
                    TOTAL MEM  8362460     510.4 GB         ----
                """);
        assertFalse(diags(r).toString().contains("could not read"), diags(r).toString());
        assertTrue(r.of(MemCounter.class).stream().anyMatch(m -> m.name().equals("TOTAL MEM")), r.facts().toString());
        assertTrue(diags(r).stream().anyMatch(d -> d.startsWith("session.txt:3: skipped")), diags(r).toString());
    }

    @Test
    void aNegativeSizeIsAnImpossibleValue() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(FactFactory.ImpossibleValue.class,
                () -> FactFactory.create("MemCounter", java.util.Map.of("source", "kmem -i", "name", "FREE", "kb", "-5"), null));
        assertEquals("kb -5 kB is negative", e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(FactFactory.ImpossibleValue.class,
                () -> FactFactory.create("ProcessMemory", java.util.Map.of("pid", "1", "rss_kb", "-1"), null));
        assertEquals("rss_kb -1 kB is negative", e.getMessage());
    }

    @Test
    void aFieldThatIsNotANumberIsNamedNotForInputString() {
        IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FactFactory.create("SlabCache", java.util.Map.of("name", "x", "active", "12x", "num", "1", "objsize", "1", "slabs", "1", "source", "s"), null));
        assertEquals("field 'active' is not a number: '12x'", e.getMessage());
        assertFalse(e.getMessage().contains("For input string"));
    }
}
