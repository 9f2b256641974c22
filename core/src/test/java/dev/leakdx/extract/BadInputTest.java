package dev.leakdx.extract;

import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.PageGroup;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Input that is empty, binary, oddly terminated, garbled or cut short: diagnostics with file:line, never an exception. */
class BadInputTest {

    private static List<String> sameFile(Samples.Result r) {
        return r.signatures(f -> "F");
    }

    @Test
    void emptyFile(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "empty.txt", "");
        assertTrue(r.facts().isEmpty(), r.facts().toString());
        assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("empty.txt", d.file());
        assertEquals(0, d.line());
        assertEquals("warning", d.level());
        assertEquals("empty file", d.message());
        assertEquals("empty.txt", d.cite());
        assertEquals(0, r.stats("empty.txt").lines);
    }

    @Test
    void emptyGzipFileIsAnEmptyFileToo(@TempDir Path dir) throws IOException {
        Samples.Result r = Samples.extractBytes(dir, "empty.txt.gz", gzip(new byte[0]));
        assertTrue(r.facts().isEmpty());
        assertEquals("empty file", r.diagnostics().get(0).message());
    }

    @Test
    void binaryFileIsSkipped(@TempDir Path dir) {
        byte[] elf = new byte[4096];
        byte[] head = {0x7f, 'E', 'L', 'F', 2, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 4, 0, 0x3e, 0};
        System.arraycopy(head, 0, elf, 0, head.length);
        for (int i = head.length; i < elf.length; i++) elf[i] = (byte) (i * 31 + 7);
        Samples.Result r = Samples.extractBytes(dir, "vmcore", elf);
        assertTrue(r.facts().isEmpty(), r.facts().toString());
        assertEquals(1, r.diagnostics().size(), r.diagnostics().toString());
        Diagnostic d = r.diagnostics().get(0);
        assertEquals("vmcore", d.file());
        assertEquals("warning", d.level());
        assertTrue(d.message().contains("binary"), d.message());
        assertTrue(d.message().contains("skipped"), d.message());
        assertEquals("binary", r.stats("vmcore").format);
    }

    @Test
    void binaryWithoutNulBytesIsSkippedToo(@TempDir Path dir) {
        byte[] b = new byte[2048];
        for (int i = 0; i < b.length; i++) b[i] = (byte) (1 + i % 8); // control characters only
        Samples.Result r = Samples.extractBytes(dir, "blob.dat", b);
        assertTrue(r.facts().isEmpty());
        assertEquals("binary", r.stats("blob.dat").format);
    }

    @Test
    void crlfLineEndsGiveTheSameFactsAsLf(@TempDir Path dir) {
        for (String sample : List.of("crash8-kmem-i.txt", "session-kmem-addr.txt", "session-struct.txt", "kmem-m-pfrag-excerpt.txt")) {
            String lf = Samples.text(sample);
            Samples.Result a = Samples.extractText(dir, "lf-" + sample, lf);
            Samples.Result b = Samples.extractText(dir, "crlf-" + sample, lf.replace("\n", "\r\n"));
            assertEquals(sameFile(a), sameFile(b), sample);
            assertTrue(a.facts().size() > 1, sample);
            assertEquals(0, b.stats("crlf-" + sample).skipped, sample);
        }
    }

    @Test
    void loneCrLineEndsGiveTheSameFactsAsLf(@TempDir Path dir) {
        String lf = Samples.text("crash8-kmem-i.txt");
        Samples.Result a = Samples.extractText(dir, "lf.txt", lf);
        Samples.Result b = Samples.extractText(dir, "cr.txt", lf.replace("\n", "\r"));
        assertEquals(sameFile(a), sameFile(b));
        assertEquals(14, b.of(MemCounter.class).size());
    }

    @Test
    void lastLineWithoutNewlineIsStillALine(@TempDir Path dir) {
        String text = Samples.text("crash8-kmem-i.txt").stripTrailing(); // ends "... 0% of TOTAL LIMIT" with no '\n'
        Samples.Result r = Samples.extractText(dir, "noeol.txt", text);
        MemCounter committed = r.one(MemCounter.class, m -> m.name().equals("COMMITTED"));
        assertEquals(0, committed.pages());
        assertEquals(19, committed.provenance().firstLine());
        assertEquals(14, r.of(MemCounter.class).size());
        assertEquals(19, r.stats("noeol.txt").lines);
        assertEquals(0, r.stats("noeol.txt").skipped);
    }

    @Test
    void lineCutInTheMiddleAtEofIsSkippedWithItsLine(@TempDir Path dir) {
        String full = Samples.text("crash8-kmem-i.txt");
        String text = full.substring(0, full.indexOf(" COMMIT LIMIT") + " COMMIT LIMIT   2494".length()); // no newline, no size
        Samples.Result r = Samples.extractText(dir, "cut.txt", text);
        assertEquals(12, r.of(MemCounter.class).size(), "every complete row before the cut");
        assertTrue(r.of(MemCounter.class, m -> m.name().equals("COMMIT LIMIT")).isEmpty());
        assertEquals(1, r.stats("cut.txt").skipped);
        Diagnostic d = r.diagnostics("skipped").get(0);
        assertEquals("cut.txt:18", d.cite());
        assertTrue(d.message().contains("COMMIT LIMIT   2494"), d.message());
    }

    @Test
    void garbledLineInsideKmemIIsCountedAndCitedAndTheOtherRowsAreRead(@TempDir Path dir) throws IOException {
        String text = Samples.text("crash8-kmem-i.txt");
        String good = "       SHARED     4543      17.7 MB    0% of TOTAL MEM";
        assertTrue(text.contains(good));
        byte[] bytes = text.replace(good, "       SHAR\u0001ED    45?3      17.7 MB    0% of TOTAL MEM").getBytes(StandardCharsets.UTF_8);
        // and a stray Latin-1 byte (invalid UTF-8) in the same line
        int at = indexOf(bytes, "45?3".getBytes(StandardCharsets.US_ASCII));
        bytes[at + 2] = (byte) 0xe9;
        Samples.Result r = Samples.extractBytes(dir, "garbled.txt", bytes);

        assertEquals(13, r.of(MemCounter.class).size());
        assertTrue(r.of(MemCounter.class, m -> m.name().equals("SHARED")).isEmpty());
        assertEquals(453971, r.one(MemCounter.class, m -> m.name().equals("FREE")).pages());
        assertEquals(4, r.one(MemCounter.class, m -> m.name().equals("FREE")).provenance().firstLine());
        assertEquals(8, r.one(MemCounter.class, m -> m.name().equals("CACHED")).provenance().firstLine(), "line numbers do not shift");
        assertEquals(1, r.stats("garbled.txt").skipped);
        assertEquals(20, r.stats("garbled.txt").lines);
        List<Diagnostic> skipped = r.diagnostics("skipped");
        assertEquals(1, skipped.size(), r.diagnostics().toString());
        assertEquals("garbled.txt:6", skipped.get(0).cite());
        assertTrue(skipped.get(0).message().contains("17.7 MB"), skipped.get(0).message());
        assertEquals("crash.kmem-i", r.one(CommandRun.class, c -> true).format());
    }

    @Test
    void manyGarbledLinesAreCountedButDoNotFloodTheDiagnostics(@TempDir Path dir) {
        StringBuilder b = new StringBuilder(Samples.text("crash8-kmem-i.txt").replace("\n\n", "\n"));
        b.setLength(b.indexOf(" COMMIT LIMIT"));
        for (int i = 0; i < 500; i++) b.append("   ???? ").append(i).append(" garbage\n");
        Samples.Result r = Samples.extractText(dir, "flood.txt", b.toString());
        assertEquals(500, r.stats("flood.txt").skipped);
        assertTrue(r.diagnostics("skipped").size() <= 3, "a few examples, not 500: " + r.diagnostics().size());
        assertTrue(r.diagnostics().size() <= Sink.DIAGNOSTICS_PER_FILE);
        assertEquals("flood.txt:" + (b.toString().split("\n", -1).length - 500), r.diagnostics("skipped").get(0).cite(),
                "the first garbage line");
        assertEquals(12, r.of(MemCounter.class).size());
    }

    @Test
    void truncatedXzKeepsTheRowsBeforeTheCut(@TempDir Path dir) throws IOException {
        byte[] full = Files.readAllBytes(Samples.path("kmem-m-pfrag.txt.xz"));
        Samples.Result r = Samples.extractBytes(dir, "kmem-m.txt.xz", Arrays.copyOf(full, 120_000));
        long read = r.stats("kmem-m.txt.xz").lines;
        assertTrue(read > 59475 && read < 524290, "read up to the cut: " + read);
        PageGroup g = r.one(PageGroup.class, x -> x.refcount() == 32768);
        assertEquals(4096, g.pages(), "every leaked head lies in lines 12379-59475, before the cut");
        assertEquals(28672, g.tailPages());
        long rows = r.of(PageGroup.class).stream().mapToLong(PageGroup::totalPages).sum();
        assertTrue(rows >= read - 3 && rows <= read - 2, "rows read before the cut: " + rows + " of " + read + " lines");
        List<Diagnostic> errors = r.diagnostics("error");
        assertEquals(1, errors.size(), r.diagnostics().toString());
        assertEquals("kmem-m.txt.xz", errors.get(0).file());
        assertEquals(read, errors.get(0).line(), "says where it stopped");
        assertTrue(errors.get(0).message().matches("(?s).*\\b(cut|ends early|end)\\b.*"), errors.get(0).message());
    }

    @Test
    void truncatedMultiBlockXzKeepsTheSectionsBeforeTheCut(@TempDir Path dir) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        long firstBlockEnd;
        try (XZOutputStream xz = new XZOutputStream(bo, new LZMA2Options())) {
            xz.write(Samples.text("crash8-kmem-i.txt").getBytes(StandardCharsets.UTF_8));
            xz.endBlock();
            xz.flush();
            firstBlockEnd = bo.size();
            xz.write(Samples.text("kmem-m-pfrag-excerpt.txt").getBytes(StandardCharsets.UTF_8));
        }
        byte[] all = bo.toByteArray();
        byte[] cut = Arrays.copyOf(all, (int) (firstBlockEnd + (all.length - firstBlockEnd) / 2));
        Samples.Result r = Samples.extractBytes(dir, "session.txt.xz", cut);
        assertEquals(14, r.of(MemCounter.class).size(), "the kmem -i block is whole");
        assertEquals(498930, r.one(MemCounter.class, m -> m.name().equals("TOTAL MEM")).pages());
        assertEquals("session.txt.xz:3", r.one(MemCounter.class, m -> m.name().equals("TOTAL MEM")).provenance().cite());
        assertEquals(1, r.diagnostics("error").size(), r.diagnostics().toString());
        assertEquals(r.stats("session.txt.xz").lines, r.diagnostics("error").get(0).line());
    }

    @Test
    void truncatedGzipKeepsTheLinesBeforeTheCut(@TempDir Path dir) throws IOException {
        String text = Samples.text("crash8-kmem-i.txt") + Samples.text("kmem-m-pfrag-excerpt.txt");
        byte[] gz = gzip(text.getBytes(StandardCharsets.UTF_8));
        Samples.Result r = Samples.extractBytes(dir, "session.txt.gz", Arrays.copyOf(gz, gz.length / 2));
        assertEquals(14, r.of(MemCounter.class).size());
        assertEquals(4543, r.one(MemCounter.class, m -> m.name().equals("SHARED")).pages());
        assertTrue(r.stats("session.txt.gz").lines > 20);
        assertEquals(1, r.diagnostics("error").size(), r.diagnostics().toString());
    }

    @Test
    void unknownTextIsListedNotLost(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "notes.txt", "the customer says it leaks\nsince tuesday\n");
        CommandRun c = r.one(CommandRun.class, x -> true);
        assertEquals("unknown", c.format());
        assertEquals(2, c.lines());
        assertEquals("notes.txt:1-2", c.provenance().cite());
        assertEquals("info", r.diagnostics().get(0).level());
        assertTrue(r.diagnostics().get(0).message().contains("2 lines not read"), r.diagnostics().get(0).message());
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bo)) {
            gz.write(data);
        }
        return bo.toByteArray();
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= hay.length; i++) {
            for (int j = 0; j < needle.length; j++) if (hay[i + j] != needle[j]) continue outer;
            return i;
        }
        return -1;
    }
}
