package dev.leakdx.extract;

import dev.leakdx.bench.CaptureGenerator;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.PageGroup;
import dev.leakdx.facts.PageTypesRow;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The chunked path that reads big page tables on several cores (Extractor blocks of whole lines,
 * PageTableChunker.chunk/merge) against the reference: every line through PageTableReader.line in
 * order (workers 0). Same facts, same line counts, same diagnostics, whatever the chunk size, the
 * compression, the line ends or where the file is cut; compound heads at the end of a chunk with
 * their tails at the start of the next included. No timings here: the benchmark is bench/run.sh.
 */
class ChunkedExtractionTest {
    @TempDir static Path gen;
    static Path generated;
    static Properties truth = new Properties();

    /** A small case-1 host: 64 KiB pages, 8192-page huge pages, 20,000 injected refcount-0xffff pages over 17 node/zone values. */
    @BeforeAll
    static void generate() throws IOException {
        CaptureGenerator.Options o = new CaptureGenerator.Options();
        o.out = gen.resolve("host");
        o.pages = 600_000;
        o.population = 20_000;
        o.seed = 7;
        o.tables = new java.util.LinkedHashSet<>(List.of("m", "p", "l", "i"));
        CaptureGenerator.generate(o);
        generated = o.out;
        try (var in = Files.newInputStream(gen.resolve("host.truth.properties"))) {
            truth.load(in);
        }
    }

    // ------------------------------------------------------------------------------------------------

    static Sink run(Path file, int chunkBytes, int workers) { return run(file, chunkBytes, workers, Samples.registry()); }

    static Sink run(Path file, int chunkBytes, int workers, ExtractorRegistry registry) {
        try (Capture c = CaptureOpener.open(file)) {
            return new Extractor(registry, chunkBytes, workers).extract(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Everything extraction produced, as text: facts, per-file stats, diagnostics. */
    static List<String> everything(Sink s) {
        List<String> out = new ArrayList<>();
        for (Fact f : s.facts()) out.add(Samples.signature(f, n -> "F"));
        for (var e : s.fileStats().entrySet())
            out.add("stats lines=" + e.getValue().lines + " skipped=" + e.getValue().skipped + " diagnostics=" + e.getValue().diagnostics
                    + " format=" + e.getValue().format);
        for (Diagnostic d : s.diagnostics()) out.add("diagnostic " + d.line() + " " + d.level() + " " + d.message());
        return out;
    }

    static void assertSameAsReference(Path file, int... chunkSizes) {
        List<String> reference = everything(run(file, Extractor.CHUNK_BYTES, 0));
        for (int size : chunkSizes) {
            assertSame(reference, everything(run(file, size, 2)), "chunks of " + size + " bytes, 2 workers: " + file.getFileName());
            assertSame(reference, everything(run(file, size, 1)), "chunks of " + size + " bytes, in turn: " + file.getFileName());
        }
    }

    /** assertEquals on two lists, with the first difference in the message rather than both lists whole. */
    static void assertSame(List<String> expected, List<String> actual, String what) {
        for (int i = 0; i < Math.min(expected.size(), actual.size()); i++)
            if (!expected.get(i).equals(actual.get(i)))
                assertEquals(expected.get(i), actual.get(i), what + ": item " + i + " of " + expected.size());
        assertEquals(expected.size(), actual.size(), what + ": items " + expected.subList(Math.min(expected.size(), actual.size()), expected.size())
                + " / " + actual.subList(Math.min(expected.size(), actual.size()), actual.size()));
    }

    static Path write(Path dir, String name, String text) {
        return write(dir, name, text.getBytes(StandardCharsets.UTF_8));
    }

    static Path write(Path dir, String name, byte[] bytes) {
        try {
            Path f = dir.resolve(name);
            Files.write(f, bytes);
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(out)) { z.write(b); }
        return out.toByteArray();
    }

    static byte[] xz(byte[] b) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (XZOutputStream z = new XZOutputStream(out, new LZMA2Options(1))) { z.write(b); }
        return out.toByteArray();
    }

    static PageGroup population(Sink s) {
        List<PageGroup> l = s.facts().stream().filter(f -> f instanceof PageGroup g && g.refcount() == 0xffff).map(f -> (PageGroup) f).toList();
        assertEquals(1, l.size(), l.toString());
        return l.get(0);
    }

    // ------------------------------------------------------------------------------------------------

    @Test
    void generatedKmemMGivesTheInjectedPopulationWhateverTheChunks() {
        Path f = generated.resolve("kmem-m.txt");
        Sink reference = run(f, Extractor.CHUNK_BYTES, 0);
        PageGroup g = population(reference);
        assertEquals(20_000, g.pages(), "the injected population, exactly");
        assertEquals(17, g.nodeZoneVariants(), "over case 1's 17 node/zone values");
        assertEquals("LIST_POISON1", g.lruClass());
        assertEquals("NULL", g.mappingClass());
        assertEquals(-1, g.mapcount());
        assertEquals(0, reference.fileStats().get("kmem-m.txt").skipped);
        long pages = reference.facts().stream().filter(x -> x instanceof PageGroup).mapToLong(x -> ((PageGroup) x).totalPages()).sum();
        assertEquals(600_000, pages, "every row is a group page or a tail attributed to its head");
        long tails = reference.facts().stream().filter(x -> x instanceof PageGroup).mapToLong(x -> ((PageGroup) x).tailPages()).sum();
        assertEquals(Long.parseLong(truth.getProperty("compound_tails")), tails, "every compound tail found its head");
        // blocks far smaller than a huge page's 8191 tails, odd sizes, and the default
        assertSameAsReference(f, 997, 4096, 65_536, 1 << 20, Extractor.CHUNK_BYTES);
    }

    @Test
    void generatedKmemPAndPageTypesListGiveTheSameFactsChunkedOrNot() {
        assertSameAsReference(generated.resolve("kmem-p.txt"), 1000, 65_536);
        Sink p = run(generated.resolve("kmem-p.txt"), 65_536, 2);
        assertEquals("65536", p.facts().stream().filter(x -> x instanceof HostFact h && h.key().equals("page_size"))
                .map(x -> ((HostFact) x).value()).findFirst().orElse(""), "page size from the PHYSICAL stride");
        assertEquals(20_000, population(p).pages(), "CNT 65535");
        // page-types -l is not a page table: read in order either way, summary rows from its own summary
        Sink l = run(generated.resolve("page-types-l.txt"), 4096, 2);
        long listed = l.facts().stream().filter(x -> x instanceof PageTypesRow).mapToLong(x -> ((PageTypesRow) x).pages()).sum();
        assertEquals(600_000, listed);
        assertEquals(0, l.fileStats().get("page-types-l.txt").skipped);
    }

    @Test
    void compressedInputGivesTheSameFactsAsPlain(@TempDir Path dir) throws IOException {
        byte[] plain = Files.readAllBytes(generated.resolve("kmem-m.txt"));
        byte[] head = Arrays.copyOf(plain, 4_000_000); // cut mid-file: a part of the table is enough here
        int cut = head.length;
        while (head[cut - 1] != '\n') cut--;
        head = Arrays.copyOf(head, cut);
        Path p = write(dir, "plain.txt", head);
        Path gz = write(dir, "table.txt.gz", gzip(head));
        Path xz = write(dir, "table.txt.xz", xz(head));
        List<String> reference = everything(run(p, Extractor.CHUNK_BYTES, 0));
        assertSame(reference, everything(run(gz, 65_536, 2)), "gzip");
        assertSame(reference, everything(run(xz, 65_536, 2)), "xz");
        assertSame(reference, everything(run(xz, 3000, 2)), "xz, small chunks");
    }

    @Test
    void crlfAndLoneCrLineEndsGiveTheSameGroupsAsLf(@TempDir Path dir) throws IOException {
        byte[] plain = Arrays.copyOf(Files.readAllBytes(generated.resolve("kmem-m.txt")), 2_000_000);
        String text = new String(plain, StandardCharsets.US_ASCII);
        text = text.substring(0, text.lastIndexOf('\n') + 1);
        Path lf = write(dir, "lf.txt", text);
        Path crlf = write(dir, "crlf.txt", text.replace("\n", "\r\n"));
        Path cr = write(dir, "cr.txt", text.replace("\n", "\r"));
        List<String> reference = everything(run(lf, Extractor.CHUNK_BYTES, 0));
        for (Path f : List.of(crlf, cr)) {
            assertSame(reference, everything(run(f, Extractor.CHUNK_BYTES, 0)), "reference path, " + f.getFileName());
            for (int size : new int[] {1000, 4097, 65_536}) // odd sizes put CR and LF on both sides of block ends
                assertSame(reference, everything(run(f, size, 2)), f.getFileName() + " in chunks of " + size);
        }
    }

    @Test
    void aLineCutAtEndOfFileIsReadTheSameWay(@TempDir Path dir) throws IOException {
        byte[] plain = Files.readAllBytes(generated.resolve("kmem-m.txt"));
        int end = 1_000_000;
        while (plain[end - 1] != '\n') end--;
        for (int keep : new int[] {1, 17, 40, 72, 84}) { // into PAGE, lru.next, flags, _mapcount, _refcount of the last row
            byte[] cut = Arrays.copyOf(plain, end + keep);
            Path f = write(dir, "cut" + keep + ".txt", cut);
            assertSameAsReference(f, 1000, 65_536);
            Path xz = write(dir, "cut" + keep + ".txt.xz", xz(cut));
            assertSame(everything(run(f, Extractor.CHUNK_BYTES, 0)), everything(run(xz, 65_536, 2)), "xz, cut at " + keep);
        }
        // a compressed file cut short (copied before it was complete): the lines before the cut, and an error
        byte[] z = xz(Arrays.copyOf(plain, end));
        Path cutXz = write(dir, "short.txt.xz", Arrays.copyOf(z, z.length * 2 / 3));
        Sink s = run(cutXz, 65_536, 2);
        assertSame(everything(run(cutXz, Extractor.CHUNK_BYTES, 0)), everything(s), "xz cut short");
        assertTrue(s.diagnostics().stream().anyMatch(d -> d.level().equals("error") && d.message().contains("ends early")), s.diagnostics().toString());
    }

    /** A hand-made table: compound heads and their tails, a tail whose head is missing, a head at the last row of a chunk. */
    static String compoundTable() {
        StringBuilder b = new StringBuilder("crash> kmem -m lru.next,flags,mapping,_mapcount,_refcount\n")
                .append("      PAGE        lru.next  flags  mapping  _mapcount  _refcount\n");
        long base = 0xfffff53480000000L;
        int pfn = 0;
        for (int rep = 0; rep < 6; rep++) {
            // an order-2 head (refcount 0x8000, lru 0) and its 3 tails
            long head = base + pfn * 64L;
            b.append(row(head, 0, 0x000fffffc0010000L, 0, -1, 0x8000));
            pfn++;
            for (int t = 1; t < 4; t++, pfn++) b.append(row(base + pfn * 64L, head | 1, 0x000fffffc0000000L, t == 1 ? 4L << 32 : 0xdead000000000400L, -1, 0));
            // an order-0 page of the leak population
            b.append(row(base + pfn * 64L, 0xdead000000000100L, 0x3dfffff000000000L, 0, -1, 0xffff));
            pfn++;
            // a tail whose head is not in the table (a cut dump): a row of its own
            b.append(row(base + pfn * 64L, base + 0x40000001L, 0x000fffffc0000000L, 0xdead000000000400L, -1, 0));
            pfn++;
        }
        return b.toString();
    }

    static String row(long page, long lru, long flags, long mapping, long mapcount, long refcount) {
        return String.format("%016x  %016x  %016x  %016x  %d  %08x\n", page, lru, flags, mapping, mapcount, refcount);
    }

    @Test
    void everyChunkBoundaryPutsHeadsAndTailsOnEitherSide(@TempDir Path dir) {
        String text = compoundTable();
        Path f = write(dir, "compound.txt", text);
        Sink reference = run(f, Extractor.CHUNK_BYTES, 0);
        PageGroup heads = reference.facts().stream().filter(x -> x instanceof PageGroup g && g.refcount() == 0x8000).map(x -> (PageGroup) x)
                .findFirst().orElseThrow();
        assertEquals(6, heads.pages());
        assertEquals(18, heads.tailPages(), "3 tails per head");
        // a block end after every line, and inside every line: each row is once the last of a chunk and once the first
        int[] sizes = java.util.stream.IntStream.rangeClosed(16, 700).filter(i -> i % 3 == 0 || i % 85 == 0 || i % 85 == 1).toArray();
        assertSameAsReference(f, sizes);
    }

    @Test
    void linesThatAreNotRowsStopAChunkAndAreReadInOrder(@TempDir Path dir) {
        String table = compoundTable();
        String[] lines = table.split("\n");
        List<String> out = new ArrayList<>(List.of(lines));
        out.add(9, "");                                         // a blank line in the table
        out.add(14, "      PAGE        lru.next  flags  mapping  _mapcount  _refcount"); // a repeated header mid-table
        out.add(20, "fffff53480000400  dead000000000100  zzzz  0000000000000000  -1  0000ffff"); // bad flags: skipped
        out.add(23, "fffff5348000044\u00e9  dead000000000100  3dfffff000000000  0000000000000000  -1  0000ffff"); // not ASCII
        out.add(26, "fffff53480000480\tdead000000000100\t3dfffff000000000\t0000000000000000\t-1\t0000ffff"); // tabs
        out.add(29, "crash> kmem -p");                           // the next command, then its table
        out.add(30, "      PAGE       PHYSICAL      MAPPING       INDEX CNT FLAGS");
        out.add(31, "fffff53480000000        0                0        0  1 7ffffc0001000 reserved");
        out.add(32, "fffff53480000040     1000                0        0  1 7ffffc0001000 reserved");
        out.add(33, "fffff53480000080     2000 ffff8ee241042100        0 65535 7ffffc0000200 slab,head");
        out.add(34, "crash> kmem -m lru.next,flags,mapping,_mapcount,_refcount | grep dead000");
        String text = String.join("\n", out) + "\n";
        Path f = write(dir, "mixed.txt", text);
        int[] sizes = java.util.stream.IntStream.rangeClosed(20, 900).filter(i -> i % 7 == 0).toArray();
        assertSameAsReference(f, sizes);
        Sink s = run(f, 200, 2);
        assertTrue(s.fileStats().get("mixed.txt").skipped >= 1, "the row with bad flags is not understood");
    }

    @Test
    void aTailWithBadColumnsCountsWithItsHeadAcrossAChunkBoundary(@TempDir Path dir) {
        // As row by row: a tail is given to its head before its other columns are read, so bad columns there do not matter
        String head = row(0xfffff53480000000L, 0, 0x000fffffc0010000L, 0, -1, 0x8000);
        String tail1 = "fffff53480000040  fffff53480000001  garbage  0000000400000000  -1  00000000\n";
        String tail2 = "fffff53480000080  fffff53480000001  000fffffc0000000  dead000000000400  x  00000000\n";
        String orphan = "fffff534800000c0  fffff53480010001  000fffffc0000000  dead000000000400  x  00000000\n"; // no head: skipped
        String text = "crash> kmem -m lru.next,flags,mapping,_mapcount,_refcount\n" + head + tail1 + tail2 + orphan + head.replace("fffff53480000000  0000", "fffff53480000100  0000");
        Path f = write(dir, "badtail.txt", text);
        Sink ref = run(f, Extractor.CHUNK_BYTES, 0);
        PageGroup g = ref.facts().stream().filter(x -> x instanceof PageGroup pg && pg.refcount() == 0x8000).map(x -> (PageGroup) x).findFirst().orElseThrow();
        assertEquals(2, g.pages());
        assertEquals(2, g.tailPages());
        assertEquals(1, ref.fileStats().get("badtail.txt").skipped, "the orphan tail with a bad _mapcount");
        assertSameAsReference(f, java.util.stream.IntStream.rangeClosed(16, 400).toArray());
    }

    @Test
    void groupLimitNodeZoneCapAndExamplesAreAppliedAsRowByRow(@TempDir Path dir) throws IOException {
        // a registry whose kmem -m spec keeps 40 groups and 2 examples, so the limits are reached in a small table
        Path specs = Files.createDirectories(dir.resolve("specs"));
        try (Stream<Path> s = Files.list(Path.of("facts-extractors"))) {
            for (Path p : s.toList()) {
                String y = Files.readString(p);
                if (p.getFileName().toString().equals("crash-kmem-m.yaml"))
                    y = y.replace("max_groups: 200000", "max_groups: 40").replace("examples: 3", "examples: 2");
                Files.writeString(specs.resolve(p.getFileName()), y);
            }
        }
        ExtractorRegistry small = ExtractorRegistry.load(specs);
        StringBuilder b = new StringBuilder("crash> kmem -m lru.next,flags,mapping,_mapcount,_refcount\n");
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(3);
        long base = 0xfffff53480000000L;
        for (int i = 0; i < 6000; i++) {
            long flags = (long) rnd.nextInt(400) << 36 | 0x200; // up to 400 node/zone values in one group: past the 256 kept
            int refcount = rnd.nextInt(10) < 8 ? 1 : 2 + rnd.nextInt(100); // ~100 keys: past the 40 groups
            b.append(row(base + i * 64L, base + rnd.nextInt(6000) * 64L + 8, flags, 0xffff8ee241042000L, -1, refcount));
        }
        Path f = write(dir, "many.txt", b.toString());
        List<String> reference = everything(run(f, Extractor.CHUNK_BYTES, 0, small));
        assertTrue(reference.stream().anyMatch(x -> x.contains("lruClass=OVERFLOW")), "the limit is reached");
        assertTrue(reference.stream().anyMatch(x -> x.contains("more than 40 distinct page groups")));
        for (int size : new int[] {500, 5000, 40_000})
            assertSame(reference, everything(run(f, size, 2, small)), "chunks of " + size);
        PageGroup ones = run(f, 5000, 2, small).facts().stream()
                .filter(x -> x instanceof PageGroup g && g.refcount() == 1 && g.lruClass().equals("POINTER"))
                .map(x -> (PageGroup) x).findFirst().orElseThrow();
        assertEquals(256, ones.nodeZoneVariants(), "node/zone values kept per group");
        assertEquals(2, ones.examples().size());
    }

    @Test
    void theGeneratorIsDeterministicAndItsKmemIAgreesWithItsTable(@TempDir Path dir) throws IOException {
        CaptureGenerator.Options o = new CaptureGenerator.Options();
        o.out = dir.resolve("again");
        o.pages = 600_000;
        o.population = 20_000;
        o.seed = 7;
        o.tables = new java.util.LinkedHashSet<>(List.of("m", "p", "l", "i"));
        CaptureGenerator.generate(o);
        for (String name : List.of("kmem-m.txt", "kmem-p.txt", "page-types-l.txt", "session.txt"))
            assertTrue(Arrays.equals(Files.readAllBytes(generated.resolve(name)), Files.readAllBytes(o.out.resolve(name))), name + ": same bytes");
        assertEquals(Files.readString(gen.resolve("host.truth.properties")), Files.readString(dir.resolve("again.truth.properties")));
        Sink s = run(generated.resolve("session.txt"), Extractor.CHUNK_BYTES, 2);
        Map<String, Long> kmemI = s.facts().stream().filter(x -> x instanceof dev.leakdx.facts.MemCounter)
                .map(x -> (dev.leakdx.facts.MemCounter) x).collect(Collectors.toMap(m -> m.name(), m -> m.pages(), (a, c) -> a));
        assertEquals(600_000 - Long.parseLong(truth.getProperty("reserved_pages")), kmemI.get("TOTAL MEM"));
        assertEquals(Long.parseLong(truth.getProperty("shared_pages")), kmemI.get("SHARED"));
        assertEquals(Long.parseLong(truth.getProperty("hugetlb_pages")), kmemI.get("TOTAL HUGE"));
        assertFalse(s.diagnostics().stream().anyMatch(d -> d.level().equals("skipped")), s.diagnostics().toString());
    }
}
