package dev.leakdx.extract;

import dev.leakdx.capture.Manifest;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.MemCounter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static dev.leakdx.facts.Units.GiB;
import static dev.leakdx.facts.Units.KiB;
import static dev.leakdx.facts.Units.MiB;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * crash {@code kmem -i}: the crash 8.0.6 output of lab-pfrag (with SHARED) and the crash >= 9.0
 * layout (the same rows without SHARED). Sizes are crash's rounded binary sizes until the page
 * size is settled; then bytes are exact pages x page size.
 */
class KmemInfoExtractionTest {

    /** name, pages, bytes as crash prints the size, line in crash8-kmem-i.txt. */
    private static final Object[][] CRASH8 = {
            {"TOTAL MEM", 498930L, Math.round(1.9 * GiB), 3L},
            {"FREE", 453971L, Math.round(1.7 * GiB), 4L},
            {"USED", 44959L, Math.round(175.6 * MiB), 5L},
            {"SHARED", 4543L, Math.round(17.7 * MiB), 6L},
            {"BUFFERS", 0L, 0L, 7L},
            {"CACHED", 1624L, Math.round(6.3 * MiB), 8L},
            {"SLAB", 4233L, Math.round(16.5 * MiB), 9L},
            {"TOTAL HUGE", 0L, 0L, 11L},
            {"HUGE FREE", 0L, 0L, 12L},
            {"TOTAL SWAP", 0L, 0L, 14L},
            {"SWAP USED", 0L, 0L, 15L},
            {"SWAP FREE", 0L, 0L, 16L},
            {"COMMIT LIMIT", 249465L, Math.round(974.5 * MiB), 18L},
            {"COMMITTED", 0L, 0L, 19L},
    };

    private static void assertCounters(Object[][] expected, List<MemCounter> got, String file, String command) {
        assertEquals(expected.length, got.size(), "counters: " + got);
        for (int i = 0; i < expected.length; i++) {
            MemCounter m = got.get(i);
            String name = (String) expected[i][0];
            assertEquals(name, m.name(), "row " + i);
            assertEquals("kmem -i", m.source());
            assertEquals((long) expected[i][1], m.pages(), name + " pages");
            assertEquals((long) expected[i][2], m.bytes(), name + " bytes (as crash rounds the size)");
            assertEquals((long) expected[i][3], m.provenance().firstLine(), name + " line");
            assertEquals((long) expected[i][3], m.provenance().lastLine(), name + " line");
            assertEquals(file, m.provenance().file());
            assertEquals(command, m.provenance().command());
            assertEquals("", m.host());
            assertEquals("", m.snapshot());
        }
    }

    @Test
    void crash8OutputFromTheLabSessionGivesEveryCounterWithItsLine() {
        Samples.Result r = Samples.extract("crash8-kmem-i.txt");
        assertCounters(CRASH8, r.of(MemCounter.class), "crash8-kmem-i.txt", "kmem -i");
        CommandRun run = r.one(CommandRun.class, c -> true);
        assertEquals("kmem -i", run.command());
        assertEquals("crash.kmem-i", run.format());
        assertEquals(19, run.lines());
        assertEquals("crash8-kmem-i.txt:2-20", run.provenance().cite());
        assertEquals(0, r.stats("crash8-kmem-i.txt").skipped);
        assertEquals(20, r.stats("crash8-kmem-i.txt").lines);
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
    }

    @Test
    void crash9OutputWithoutSharedIsReadAndShiftsTheLines() {
        Samples.Result r = Samples.extract("crash9-kmem-i.txt");
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : CRASH8) {
            if (row[0].equals("SHARED")) continue;
            long line = (long) row[3];
            rows.add(new Object[] {row[0], row[1], row[2], line > 6 ? line - 1 : line});
        }
        assertCounters(rows.toArray(new Object[0][]), r.of(MemCounter.class), "crash9-kmem-i.txt", "kmem -i");
        assertTrue(r.of(MemCounter.class, m -> m.name().equals("SHARED")).isEmpty());
        assertEquals(0, r.stats("crash9-kmem-i.txt").skipped, "a missing SHARED row is not an error");
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
    }

    @Test
    void crash9SharedOptionIsStillKmemI(@TempDir Path dir) {
        String text = Samples.text("crash8-kmem-i.txt").replaceFirst("crash> kmem -i\n", "crash> kmem -i=shared\n");
        Samples.Result r = Samples.extractText(dir, "kmem-i-shared.txt", text);
        assertCounters(CRASH8, r.of(MemCounter.class), "kmem-i-shared.txt", "kmem -i=shared");
    }

    @Test
    void outputPastedWithoutThePromptIsFoundByItsHeader(@TempDir Path dir) {
        String text = Samples.text("crash8-kmem-i.txt").substring("crash> kmem -i\n".length());
        Samples.Result r = Samples.extractText(dir, "kmem-i.txt", text);
        List<MemCounter> got = r.of(MemCounter.class);
        assertEquals(14, got.size());
        MemCounter shared = r.one(MemCounter.class, m -> m.name().equals("SHARED"));
        assertEquals(4543, shared.pages());
        assertEquals(5, shared.provenance().firstLine());
        assertEquals("", shared.provenance().command());
        assertEquals(249465, r.one(MemCounter.class, m -> m.name().equals("COMMIT LIMIT")).pages());
        assertEquals(0, r.stats("kmem-i.txt").skipped);
    }

    @Test
    void bytesBecomeExactOncePageSizeIsSettledFromKmemP() {
        Sink sink = new Sink();
        List<Fact> facts = new ArrayList<>();
        facts.addAll(Samples.extract("crash8-kmem-i.txt").facts());
        facts.addAll(Samples.extract("kmem-p-head.txt").facts());
        List<Fact> settled = HostInference.settle(facts, Manifest.EMPTY, sink);

        HostFact ps = settled.stream().filter(f -> f instanceof HostFact h && h.key().equals("page_size"))
                .map(HostFact.class::cast).findFirst().orElseThrow();
        assertEquals(4096, ps.asLong());
        assertEquals("kmem-p-head.txt", ps.provenance().file(), "the PHYSICAL stride is trusted before the rounded sizes");
        for (Object[] row : CRASH8) {
            MemCounter m = settled.stream().filter(f -> f instanceof MemCounter c && c.name().equals(row[0]))
                    .map(MemCounter.class::cast).findFirst().orElseThrow();
            assertEquals((long) row[1] * 4 * KiB, m.bytes(), row[0] + ": pages x 4096");
            assertEquals((long) row[3], m.provenance().firstLine());
        }
        assertTrue(sink.diagnostics().isEmpty(), "kmem -i and kmem -p agree: " + sink.diagnostics());
    }

    @Test
    void pageSizeIsInferredFromTheRoundedSizesAlone() {
        Sink sink = new Sink();
        List<Fact> settled = HostInference.settle(Samples.extract("crash9-kmem-i.txt").facts(), Manifest.EMPTY, sink);
        HostFact ps = settled.stream().filter(f -> f instanceof HostFact h && h.key().equals("page_size"))
                .map(HostFact.class::cast).findFirst().orElseThrow();
        assertEquals(4096, ps.asLong());
        assertTrue(ps.how().contains("TOTAL MEM"), ps.how());
        assertEquals("crash9-kmem-i.txt:3", ps.provenance().cite());
        MemCounter total = settled.stream().filter(f -> f instanceof MemCounter c && c.name().equals("TOTAL MEM"))
                .map(MemCounter.class::cast).findFirst().orElseThrow();
        assertEquals(498930L * 4096, total.bytes());
    }

    @Test
    void ramBytesIsExactPagesTimesPageSize() {
        Sink sink = new Sink();
        List<Fact> facts = new ArrayList<>(Samples.extract("crash8-kmem-i.txt").facts());
        facts.addAll(Samples.extract("kmem-p-head.txt").facts());
        List<Fact> settled = HostInference.settle(facts, Manifest.EMPTY, sink);
        HostFact ram = settled.stream().filter(f -> f instanceof HostFact h && h.key().equals("ram_bytes"))
                .map(HostFact.class::cast).findFirst().orElseThrow();
        assertEquals("crash8-kmem-i.txt:3", ram.provenance().cite());
        assertEquals(498930L * 4096, ram.asLong(), "TOTAL MEM 498930 pages of 4096 bytes, not crash's rounded '1.9 GB'");
    }

    @Test
    void manifestPageSizeWinsAndADisagreeingCaptureIsReported(@TempDir Path dir) throws java.io.IOException {
        Path yaml = java.nio.file.Files.writeString(dir.resolve("case.yaml"), "host: {page_size: 64K}\n");
        Manifest manifest = Manifest.read(yaml, "case.yaml");
        List<Fact> facts = new ArrayList<>(Samples.extract("crash8-kmem-i.txt").facts());
        facts.addAll(Samples.extract("kmem-p-head.txt").facts());
        Sink sink = new Sink();
        List<Fact> settled = HostInference.settle(facts, manifest, sink);
        HostFact ps = settled.stream().filter(f -> f instanceof HostFact h && h.key().equals("page_size"))
                .map(HostFact.class::cast).findFirst().orElseThrow();
        assertEquals(65536, ps.asLong(), "64K");
        assertEquals("case.yaml:1", ps.provenance().cite());
        assertEquals(1, settled.stream().filter(f -> f instanceof HostFact h && h.key().equals("page_size")).count(), "one settled value");
        List<Diagnostic> w = sink.diagnostics().stream().filter(d -> d.message().startsWith("page_size 4096")).toList();
        assertEquals(2, w.size(), "kmem -p's stride and kmem -i's rounded sizes both disagree: " + sink.diagnostics());
        assertEquals("kmem-p-head.txt:3", w.get(0).cite());
        assertEquals("warning", w.get(0).level());
        assertTrue(w.get(0).message().contains("65536"), w.get(0).message());
        assertEquals("crash8-kmem-i.txt:3", w.get(1).cite());
        MemCounter total = settled.stream().filter(f -> f instanceof MemCounter c && c.name().equals("TOTAL MEM"))
                .map(MemCounter.class::cast).findFirst().orElseThrow();
        assertEquals(498930L * 65536, total.bytes(), "the settled page size is used, even when a capture disagrees");
    }
}
