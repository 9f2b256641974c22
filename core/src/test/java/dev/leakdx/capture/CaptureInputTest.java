package dev.leakdx.capture;

import dev.leakdx.extract.Samples;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** LineSource (line ends, numbering, bad bytes), Decompress (magic bytes, cut files) and Manifest (case.yaml). */
class CaptureInputTest {

    private static List<String> lines(byte[] bytes) throws IOException {
        List<String> out = new ArrayList<>();
        try (LineSource s = new LineSource(new ByteArrayInputStream(bytes))) {
            String l;
            while ((l = s.next()) != null) {
                out.add(l);
                assertEquals(out.size(), s.lineNo(), "1-based line numbers");
            }
        }
        return out;
    }

    @Test
    void lineEndsCrLfCrAndNoneAtEof() throws IOException {
        assertEquals(List.of("a", "b", "c", "d"), lines("a\r\nb\rc\nd".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of("a", "", "b"), lines("a\n\nb\n".getBytes(StandardCharsets.US_ASCII)));
        assertEquals(List.of(), lines(new byte[0]));
    }

    @Test
    void invalidUtf8IsReplacedNotFatal() throws IOException {
        byte[] b = {'S', 'H', (byte) 0xe9, 'D', '\n', 'o', 'k', '\n'};
        assertEquals(List.of("SH\uFFFDD", "ok"), lines(b));
    }

    @Test
    void compressionIsRecognisedByMagicBytesNotByName(@TempDir Path dir) throws IOException {
        byte[] text = Samples.text("crash8-kmem-i.txt").getBytes(StandardCharsets.UTF_8);
        Path gzAsTxt = dir.resolve("kmem-i.txt");
        try (OutputStream o = new GzipCompressorOutputStream(Files.newOutputStream(gzAsTxt))) { o.write(text); }
        Path xzAsLog = dir.resolve("kmem-i.log");
        try (OutputStream o = new XZOutputStream(Files.newOutputStream(xzAsLog), new LZMA2Options())) { o.write(text); }
        Path plainAsGz = Files.write(dir.resolve("kmem-i.gz"), text);
        assertEquals(Decompress.Kind.GZIP, Decompress.sniff(gzAsTxt));
        assertEquals(Decompress.Kind.XZ, Decompress.sniff(xzAsLog));
        assertEquals(Decompress.Kind.PLAIN, Decompress.sniff(plainAsGz));
        for (Path p : List.of(gzAsTxt, xzAsLog, plainAsGz)) {
            try (InputStream in = Decompress.open(p)) {
                assertTrue(Arrays.equals(text, in.readAllBytes()), p.toString());
                assertFalse(Decompress.wasCut(in), p.toString());
            }
        }
    }

    @Test
    void aCutGzipSaysSoAfterGivingWhatItHad(@TempDir Path dir) throws IOException {
        byte[] text = (Samples.text("crash8-kmem-i.txt") + Samples.text("kmem-m-pfrag-excerpt.txt")).getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream bo = new ByteArrayOutputStream();
        try (OutputStream o = new GzipCompressorOutputStream(bo)) { o.write(text); }
        byte[] gz = bo.toByteArray();
        Path cut = Files.write(dir.resolve("cut.gz"), Arrays.copyOf(gz, gz.length / 2));
        try (InputStream in = Decompress.open(cut)) {
            byte[] got = in.readAllBytes();
            assertTrue(got.length > 1000 && got.length < text.length, "a prefix: " + got.length);
            assertTrue(Arrays.equals(Arrays.copyOf(text, got.length), got), "exactly the bytes before the cut");
            assertTrue(Decompress.wasCut(in));
        }
    }

    @Test
    void manifestHostFactsAndFileLabels(@TempDir Path dir) throws IOException {
        Path yaml = Files.writeString(dir.resolve("case.yaml"), """
                host: {arch: arm64, page_size: 64K, kernel: 4.18.0-372.el8.aarch64}
                files:
                  - glob: "node-1/*"
                    host: node-1
                  - glob: "node-1/kmem-i.1.txt"
                    snapshot: before_drop_caches
                  - glob: "node-1/kmem-i.2.txt"
                    snapshot: after_drop_caches
                  - glob: "**/kmem-i.2.txt"
                    host: node-2
                """);
        Manifest m = Manifest.read(yaml, "case.yaml");
        assertEquals(Map.of("arch", "arm64", "page_size", "64K", "kernel", "4.18.0-372.el8.aarch64"), m.hostFacts());
        assertEquals("case.yaml", m.source());
        assertEquals(4, m.files().size());

        CaptureFile one = m.label(new CaptureFile("node-1/kmem-i.1.txt", dir, "", ""), "node-1/kmem-i.1.txt");
        assertEquals("node-1", one.host());
        assertEquals("before_drop_caches", one.snapshot());
        CaptureFile two = m.label(new CaptureFile("node-1/kmem-i.2.txt", dir, "", ""), "node-1/kmem-i.2.txt");
        assertEquals("node-2", two.host(), "later entries override earlier ones");
        assertEquals("after_drop_caches", two.snapshot());
        CaptureFile other = m.label(new CaptureFile("crash/session.txt", dir, "", "x"), "crash/session.txt");
        assertEquals("", other.host());
        assertEquals("x", other.snapshot(), "a label from the file name stays unless the manifest says otherwise");
    }

    @Test
    void manifestThatIsNotAMappingIsEmpty(@TempDir Path dir) throws IOException {
        Manifest m = Manifest.read(Files.writeString(dir.resolve("case.yaml"), "just a note\n"), "case.yaml");
        assertTrue(m.hostFacts().isEmpty());
        assertTrue(m.files().isEmpty());
    }

    @Test
    void labFolderLayoutLabelsProcBeforeAsBefore(@TempDir Path dir) throws IOException {
        Files.createDirectories(dir.resolve("proc-before"));
        Files.createDirectories(dir.resolve("proc"));
        Files.copy(Samples.path("capture-folder/proc/meminfo.before_drop_caches"), dir.resolve("proc-before/meminfo"));
        Files.copy(Samples.path("capture-folder/proc/meminfo.before_drop_caches"), dir.resolve("proc/meminfo"));
        try (Capture c = CaptureOpener.open(dir)) {
            assertEquals(List.of("proc-before/meminfo|before", "proc/meminfo|"),
                    c.files().stream().map(f -> f.name() + "|" + f.snapshot()).toList());
            assertNull(c.tempDir());
            assertEquals(Manifest.EMPTY, c.manifest());
        }
    }
}
