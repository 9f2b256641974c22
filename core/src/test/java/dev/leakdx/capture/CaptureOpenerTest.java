package dev.leakdx.capture;

import dev.leakdx.extract.Diagnostic;
import dev.leakdx.extract.Samples;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.MemCounter;
import org.apache.commons.compress.archivers.ArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The capture layer: a folder, a .tar.gz, a .zip and a .tar of the same files give the same
 * facts; single .gz/.xz files are opened by their magic bytes; snapshot labels come from file
 * names and host labels from case.yaml. Uses samples/capture-folder (see samples/README.md).
 */
class CaptureOpenerTest {

    /** archive!case1/crash/x.txt and crash/x.txt name the same file. */
    private static final Function<String, String> MEMBER = n -> n.replaceFirst("^[^!]*!", "").replaceFirst("^case1/", "");

    private static Map<String, byte[]> folderFiles(Path root) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (Stream<Path> s = Files.walk(root)) {
            for (Path p : s.filter(Files::isRegularFile).sorted().toList())
                out.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
        }
        return out;
    }

    static Path tarGz(Path dir, String name, String prefix, Map<String, byte[]> files) throws IOException {
        Path out = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(out); GzipCompressorOutputStream gz = new GzipCompressorOutputStream(o);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            writeAll(tar, prefix, files, true);
        }
        return out;
    }

    static Path tar(Path dir, String name, String prefix, Map<String, byte[]> files) throws IOException {
        Path out = dir.resolve(name);
        try (OutputStream o = Files.newOutputStream(out); TarArchiveOutputStream tar = new TarArchiveOutputStream(o)) {
            writeAll(tar, prefix, files, true);
        }
        return out;
    }

    static Path zip(Path dir, String name, String prefix, Map<String, byte[]> files) throws IOException {
        Path out = dir.resolve(name);
        try (ZipArchiveOutputStream zip = new ZipArchiveOutputStream(Files.newOutputStream(out))) {
            writeAll(zip, prefix, files, false);
        }
        return out;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void writeAll(ArchiveOutputStream a, String prefix, Map<String, byte[]> files, boolean isTar) throws IOException {
        if (!prefix.isEmpty()) {
            if (isTar) a.putArchiveEntry(new TarArchiveEntry(prefix));
            else a.putArchiveEntry(new ZipArchiveEntry(prefix));
            a.closeArchiveEntry();
        }
        for (var e : files.entrySet()) {
            if (isTar) {
                TarArchiveEntry t = new TarArchiveEntry(prefix + e.getKey());
                t.setSize(e.getValue().length);
                a.putArchiveEntry(t);
            } else {
                a.putArchiveEntry(new ZipArchiveEntry(prefix + e.getKey()));
            }
            a.write(e.getValue());
            a.closeArchiveEntry();
        }
    }

    private record Opened(List<String> files, List<String> facts, List<String> diagnostics, Map<String, String> host) {}

    private static Opened open(Path input) throws IOException {
        try (Capture c = CaptureOpener.open(input)) {
            Samples.Result r = Samples.extract(c);
            List<String> files = c.files().stream().map(f -> MEMBER.apply(f.name()) + "|host=" + f.host() + "|snap=" + f.snapshot()).toList();
            List<String> facts = new ArrayList<>(r.signatures(MEMBER));
            Collections.sort(facts);
            List<String> diags = r.diagnostics().stream().map(d -> MEMBER.apply(d.file()) + ":" + d.line() + " " + d.level() + " " + d.message())
                    .sorted().toList();
            return new Opened(files, facts, diags, c.manifest().hostFacts());
        }
    }

    @Test
    void folderTarGzZipAndTarGiveTheSameFacts(@TempDir Path dir) throws IOException {
        Path folder = Samples.path("capture-folder");
        Map<String, byte[]> files = folderFiles(folder);
        assertTrue(files.containsKey("case.yaml"));

        Opened plain = open(folder);
        assertEquals(List.of(
                "crash/kmem-i.1.txt|host=|snap=before_drop_caches",
                "crash/session.txt|host=|snap=",
                "kmem-i.after_drop_caches.txt|host=|snap=after_drop_caches",
                "proc/meminfo.before_drop_caches|host=|snap=before_drop_caches",
                "twin/kmem-i.txt|host=healthy-twin|snap="), plain.files(), "case.yaml is not a capture file");
        assertEquals(Map.of("arch", "x86_64", "page_size", "4096"), plain.host());
        assertTrue(plain.facts().size() > 40, "kmem -i x3, sys, struct, meminfo: " + plain.facts().size());

        for (Path archive : List.of(tarGz(dir, "case1.tar.gz", "case1/", files), zip(dir, "case1.zip", "case1/", files),
                tar(dir, "flat.tar", "", files), zip(dir, "flat.zip", "", files))) {
            Opened a = open(archive);
            String what = archive.getFileName().toString();
            assertEquals(plain.files(), a.files(), what);
            assertEquals(plain.host(), a.host(), what + ": case.yaml at the root or inside the one top folder");
            assertEquals(plain.facts(), a.facts(), what);
            assertEquals(plain.diagnostics(), a.diagnostics(), what);
        }
    }

    @Test
    void archiveMembersAreCitedAsArchiveBangMember(@TempDir Path dir) throws IOException {
        Path tgz = tarGz(dir, "case1.tar.gz", "case1/", folderFiles(Samples.path("capture-folder")));
        try (Capture c = CaptureOpener.open(tgz)) {
            assertEquals("case1.tar.gz", c.name());
            Samples.Result r = Samples.extract(c);
            MemCounter twinFree = r.one(MemCounter.class, m -> m.host().equals("healthy-twin") && m.name().equals("FREE"));
            assertEquals("case1.tar.gz!case1/twin/kmem-i.txt:4", twinFree.provenance().cite());
            assertEquals(470543, twinFree.pages(), "lab-baseline kmem -i FREE");
            assertEquals("case1.tar.gz!case1/case.yaml", c.manifest().source());
        }
    }

    @Test
    void unpackedArchiveIsDeletedOnClose(@TempDir Path dir) throws IOException {
        Path zip = zip(dir, "c.zip", "", Map.of("kmem-i.txt", Samples.text("crash8-kmem-i.txt").getBytes(StandardCharsets.UTF_8)));
        Path temp;
        try (Capture c = CaptureOpener.open(zip)) {
            temp = c.tempDir();
            assertTrue(Files.isDirectory(temp));
            assertTrue(Files.isRegularFile(c.files().get(0).path()));
            assertEquals("c.zip!kmem-i.txt", c.files().get(0).name());
        }
        assertFalse(Files.exists(temp), "temporary folder removed");
        try (Capture c = CaptureOpener.open(Samples.path("capture-folder"))) {
            assertNull(c.tempDir(), "a folder is read in place");
        }
    }

    @Test
    void archiveEntriesCannotEscapeTheTemporaryFolder(@TempDir Path dir) throws IOException {
        String escape = "leakdx-escape-" + System.nanoTime() + ".txt";
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("../" + escape, "crash> kmem -i\n".getBytes(StandardCharsets.UTF_8));
        files.put("ok/kmem-i.txt", Samples.text("crash8-kmem-i.txt").getBytes(StandardCharsets.UTF_8));
        Path zip = zip(dir, "evil.zip", "", files);
        try (Capture c = CaptureOpener.open(zip)) {
            assertEquals(List.of("evil.zip!ok/kmem-i.txt"), c.files().stream().map(CaptureFile::name).toList());
            assertFalse(Files.exists(c.tempDir().getParent().resolve(escape)), "nothing written beside the temp folder");
            assertEquals(14, Samples.extract(c).of(MemCounter.class).size());
        }
    }

    @Test
    void singleGzAndXzFilesGiveTheSameFactsAsPlain(@TempDir Path dir) throws IOException {
        byte[] text = Samples.text("crash8-kmem-i.txt").getBytes(StandardCharsets.UTF_8);
        Path plain = Files.write(dir.resolve("kmem-i.txt"), text);
        Path gz = dir.resolve("kmem-i.txt.gz");
        try (OutputStream o = new GzipCompressorOutputStream(Files.newOutputStream(gz))) { o.write(text); }
        Path xz = dir.resolve("kmem-i.txt.xz");
        try (OutputStream o = new XZOutputStream(Files.newOutputStream(xz), new LZMA2Options())) { o.write(text); }
        Path gzNamedTxt = Files.copy(gz, dir.resolve("renamed.txt"));

        Function<String, String> any = n -> "F";
        List<String> expected = Samples.extract(plain).signatures(any);
        assertEquals(15, expected.size(), "14 counters and the CommandRun");
        for (Path p : List.of(gz, xz, gzNamedTxt)) {
            try (Capture c = CaptureOpener.open(p)) {
                assertEquals(1, c.files().size());
                assertEquals(p.getFileName().toString(), c.files().get(0).name());
                assertEquals("", c.files().get(0).snapshot());
                assertNull(c.tempDir(), "a compressed single file is streamed, not unpacked");
                Samples.Result r = Samples.extract(c);
                assertEquals(expected, r.signatures(any), p.getFileName().toString());
                assertEquals(p.getFileName() + ":6", r.one(MemCounter.class, m -> m.name().equals("SHARED")).provenance().cite());
            }
        }
    }

    @Test
    void tarGzOfOneFileIsAnArchiveNotAGzippedText(@TempDir Path dir) throws IOException {
        Path tgz = tarGz(dir, "one.tgz", "", Map.of("kmem-i.txt", Samples.text("crash8-kmem-i.txt").getBytes(StandardCharsets.UTF_8)));
        try (Capture c = CaptureOpener.open(tgz)) {
            assertEquals(List.of("one.tgz!kmem-i.txt"), c.files().stream().map(CaptureFile::name).toList());
            assertEquals(14, Samples.extract(c).of(MemCounter.class).size());
        }
    }

    @Test
    void snapshotLabelsFromFileNames() {
        assertEquals("before_drop_caches", CaptureOpener.snapshotOf("proc/meminfo.before_drop_caches"));
        assertEquals("after_drop_caches", CaptureOpener.snapshotOf("kmem-i.after_drop_caches.txt"));
        assertEquals("after_drop_caches", CaptureOpener.snapshotOf("crash/kmem-i.after_drop_caches.txt.gz"));
        assertEquals("before", CaptureOpener.snapshotOf("proc-before/meminfo"), "lab layout: proc-before/");
        assertEquals("post-reboot", CaptureOpener.snapshotOf("dmesg.post-reboot.log"));
        assertEquals("t2", CaptureOpener.snapshotOf("meminfo.t2"));
        assertEquals("20261122T0300", CaptureOpener.snapshotOf("slabinfo.20261122T0300"));
        assertEquals("", CaptureOpener.snapshotOf("proc/meminfo"));
        assertEquals("", CaptureOpener.snapshotOf("crash/session.txt"));
        assertEquals("", CaptureOpener.snapshotOf("crash/kmem-m.txt.xz"));
        assertEquals("", CaptureOpener.snapshotOf("proc/smaps/222.thp_leaker.smaps_rollup"));
        assertEquals("", CaptureOpener.snapshotOf("lab-pfrag/proc/vmstat"));
        // time series (knowledge-base-docs/trend.md): times in names, numbered and timed folders
        assertEquals("1772352000", CaptureOpener.snapshotOf("meminfo-1772352000"));
        assertEquals("2026-03-01T08:00:00Z", CaptureOpener.snapshotOf("proc/slabinfo.2026-03-01T08:00:00Z"));
        assertEquals("20260301T0800", CaptureOpener.snapshotOf("proc-20260301T0800/meminfo"));
        assertEquals("2026-03-01T08-00", CaptureOpener.snapshotOf("snapshot_2026-03-01T08-00/meminfo"));
        assertEquals("rotated.2", CaptureOpener.snapshotOf("proc.2/meminfo"));
        assertEquals("t3", CaptureOpener.snapshotOf("proc-t3/uptime"));
        assertEquals("", CaptureOpener.snapshotOf("sosreport-host-20240101/proc/meminfo"), "a bundle's top folder is no snapshot");
        assertEquals("", CaptureOpener.snapshotOf("node-1/kmem-i.1.txt"));
    }

    @Test
    void snapshotAndHostLabelsReachTheFacts() throws IOException {
        try (Capture c = CaptureOpener.open(Samples.path("capture-folder"))) {
            Samples.Result r = Samples.extract(c);
            MemCounter memFree = r.one(MemCounter.class, m -> m.source().equals("meminfo") && m.name().equals("MemFree"));
            assertEquals("before_drop_caches", memFree.snapshot(), "from the name meminfo.before_drop_caches");
            assertEquals(1815884L * 1024, memFree.bytes());
            assertEquals("proc/meminfo.before_drop_caches:2", memFree.provenance().cite());

            MemCounter after = r.one(MemCounter.class, m -> m.snapshot().equals("after_drop_caches") && m.name().equals("FREE"));
            assertEquals(401697, after.pages());
            assertEquals("kmem-i.after_drop_caches.txt:3", after.provenance().cite(), "pasted without prompt: header is line 1");
            assertEquals("", after.host());

            MemCounter before = r.one(MemCounter.class, m -> m.source().equals("kmem -i") && m.snapshot().equals("before_drop_caches")
                    && m.name().equals("FREE"));
            assertEquals(453971, before.pages());
            assertEquals("crash/kmem-i.1.txt:4", before.provenance().cite(), "labelled by case.yaml, not by its name");

            List<MemCounter> twin = r.of(MemCounter.class, m -> m.host().equals("healthy-twin"));
            assertEquals(14, twin.size());
            assertTrue(twin.stream().allMatch(m -> m.provenance().file().equals("twin/kmem-i.txt") && m.snapshot().isEmpty()));
            assertEquals(613, r.one(MemCounter.class, m -> m.host().equals("healthy-twin") && m.name().equals("SHARED")).pages());

            List<MemCounter> underDiagnosis = r.of(MemCounter.class, m -> m.host().isEmpty() && m.snapshot().isEmpty());
            assertTrue(underDiagnosis.isEmpty(), "every counter of this capture is labelled: " + underDiagnosis);
            CommandRun sys = r.one(CommandRun.class, x -> x.command().equals("sys"));
            assertEquals("", sys.provenance().host());
            assertEquals("", sys.provenance().snapshot());
            List<Diagnostic> d = r.diagnostics();
            assertTrue(d.isEmpty(), d.toString());
        }
    }

    @Test
    void missingInputIsAnError(@TempDir Path dir) {
        IOException e = assertThrows(IOException.class, () -> CaptureOpener.open(dir.resolve("nope")));
        assertTrue(e.getMessage().contains("no such file or folder"), e.getMessage());
    }

    @Test
    void factsAreInCaptureOrderWhateverTheThreads() throws IOException {
        try (Capture c = CaptureOpener.open(Samples.path("capture-folder"))) {
            List<String> first = Samples.extract(c).facts().stream().map(Fact::toString).toList();
            for (int i = 0; i < 3; i++) assertEquals(first, Samples.extract(c).facts().stream().map(Fact::toString).toList());
            List<String> order = Samples.extract(c).facts().stream().map(f -> f.provenance().file()).distinct().collect(Collectors.toList());
            assertEquals(c.files().stream().map(CaptureFile::name).toList(), order);
        }
    }
}
