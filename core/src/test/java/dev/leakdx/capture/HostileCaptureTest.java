package dev.leakdx.capture;

import dev.leakdx.extract.Diagnostic;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipArchiveOutputStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 13, the capture side: bombs, cut archives, FIFOs, symbolic links out of the capture,
 * hostile globs and page sizes in case.yaml, temporary folders of dead runs. Each reproduces a
 * defect the adversarial campaign found; limits are lowered through their properties so the
 * inputs stay small.
 */
class HostileCaptureTest {
    static final String MEMINFO = "MemTotal:        8000000 kB\nMemFree:         4000000 kB\nMemAvailable:    5000000 kB\n";

    @AfterEach
    void clearLimits() {
        for (Limits.Limit l : Limits.ALL) System.clearProperty(l.property());
    }

    static byte[] tar(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (TarArchiveOutputStream t = new TarArchiveOutputStream(b)) {
            t.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (var e : members.entrySet()) {
                TarArchiveEntry te = new TarArchiveEntry(e.getKey());
                te.setSize(e.getValue().length);
                t.putArchiveEntry(te);
                t.write(e.getValue());
                t.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }

    static byte[] gzip(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (OutputStream g = new GZIPOutputStream(o)) { g.write(b); }
        return o.toByteArray();
    }

    static byte[] xz(byte[] b) throws IOException {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        try (OutputStream g = new XZOutputStream(o, new LZMA2Options())) { g.write(b); }
        return o.toByteArray();
    }

    static byte[] zip(Map<String, byte[]> members) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipArchiveOutputStream z = new ZipArchiveOutputStream(b)) {
            for (var e : members.entrySet()) {
                z.putArchiveEntry(new ZipArchiveEntry(e.getKey()));
                z.write(e.getValue());
                z.closeArchiveEntry();
            }
        }
        return b.toByteArray();
    }

    static Map<String, byte[]> bundle() {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("host/proc/meminfo", MEMINFO.getBytes(StandardCharsets.UTF_8));
        m.put("host/proc/vmstat", "nr_free_pages 1000000\n".getBytes(StandardCharsets.UTF_8));
        byte[] big = new byte[256 * 1024];
        Arrays.fill(big, (byte) 'x');
        for (int i = 0; i < big.length; i += 100) big[i] = '\n';
        m.put("host/zz-big.txt", big);
        return m;
    }

    static List<String> names(Capture c) { return c.files().stream().map(CaptureFile::name).toList(); }

    static String notes(Capture c) { return c.notes().toString(); }

    static long unpackedBytes(Capture c) throws IOException {
        long n = 0;
        for (CaptureFile f : c.files()) n += Files.size(f.path());
        return n;
    }

    // ---- bombs: bytes, ratio, members, depth

    @Test
    void anArchiveThatExpandsBeyondTheRatioIsStoppedAndWhatCameBeforeIsRead(@TempDir Path dir) throws IOException {
        // 8 MiB of zeros packs to ~8 KiB: a small bomb; with the floor at 1 MiB the ratio of 200 stops it early
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("b/proc/meminfo", MEMINFO.getBytes(StandardCharsets.UTF_8));
        m.put("b/zeros", new byte[8 << 20]);
        Path bomb = Files.write(dir.resolve("bomb.tar.gz"), gzip(tar(m)));
        System.setProperty(Limits.RATIO_FLOOR.property(), "1M");
        try (Capture c = CaptureOpener.open(bomb)) {
            assertTrue(names(c).contains("bomb.tar.gz!b/proc/meminfo"), names(c).toString());
            assertTrue(notes(c).contains("bomb.tar.gz!b/zeros: error: the archive expands more than 200 times"), notes(c));
            assertTrue(notes(c).contains("limit leakdx.limit.ratio"), notes(c));
            assertTrue(unpackedBytes(c) < 8 << 20, "stopped before the whole member was written: " + unpackedBytes(c));
        }
    }

    @Test
    void aZipBombIsStoppedByTheRatioToo(@TempDir Path dir) throws IOException {
        // a zip inflates inside the archive stream: its members' bytes must count (the 1 MB zip of 1 GB unpacked whole)
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("b/proc/meminfo", MEMINFO.getBytes(StandardCharsets.UTF_8));
        m.put("b/zeros", new byte[8 << 20]);
        Path bomb = Files.write(dir.resolve("bomb.zip"), zip(m));
        System.setProperty(Limits.RATIO_FLOOR.property(), "1M");
        try (Capture c = CaptureOpener.open(bomb)) {
            assertTrue(names(c).contains("bomb.zip!b/proc/meminfo"), names(c).toString());
            assertTrue(notes(c).contains("bomb.zip!b/zeros: error: the archive expands more than 200 times"), notes(c));
            assertTrue(unpackedBytes(c) < 8 << 20, "stopped before the whole member was written: " + unpackedBytes(c));
        }
    }

    @Test
    void anArchiveAboveItsByteLimitIsStoppedWithADiagnostic(@TempDir Path dir) throws IOException {
        Path t = Files.write(dir.resolve("big.tar"), tar(bundle()));
        System.setProperty(Limits.ARCHIVE_BYTES.property(), "100K");
        try (Capture c = CaptureOpener.open(t)) {
            assertEquals(List.of("big.tar!host/proc/meminfo", "big.tar!host/proc/vmstat", "big.tar!host/zz-big.txt"), names(c));
            assertTrue(notes(c).contains("big.tar!host/zz-big.txt: error: the archive unpacks to more than 100 KiB (limit leakdx.limit.archive-bytes): unpacking stopped in host/zz-big.txt (kept up to there); the 2 members before it are read"), notes(c));
        }
    }

    @Test
    void aMemberAboveItsLimitIsCutAndTheNextMembersAreRead(@TempDir Path dir) throws IOException {
        Map<String, byte[]> m = bundle();
        m.put("host/zzz-after", "MemFree: 1 kB\n".getBytes(StandardCharsets.UTF_8));
        Path t = Files.write(dir.resolve("m.tar.xz"), xz(tar(m)));
        System.setProperty(Limits.MEMBER_BYTES.property(), "64K");
        try (Capture c = CaptureOpener.open(t)) {
            assertTrue(names(c).contains("m.tar.xz!host/zzz-after"), names(c).toString());
            CaptureFile big = c.files().stream().filter(f -> f.name().endsWith("zz-big.txt")).findFirst().orElseThrow();
            assertEquals(64 * 1024, Files.size(big.path()));
            assertTrue(notes(c).contains("m.tar.xz!host/zz-big.txt: warning: member larger than 64 KiB unpacked (limit leakdx.limit.member-bytes)"), notes(c));
        }
    }

    @Test
    void tooManyMembersStopTheUnpackingAtTheLimit(@TempDir Path dir) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        for (int i = 0; i < 50; i++) m.put(String.format("many/f%03d", i), "x\n".getBytes(StandardCharsets.UTF_8));
        Path z = Files.write(dir.resolve("many.zip"), zip(m));
        System.setProperty(Limits.FILES.property(), "20");
        try (Capture c = CaptureOpener.open(z)) {
            assertEquals(20, c.files().size());
            assertTrue(notes(c).contains("many.zip: warning: the archive holds more than 20 members (limit leakdx.limit.files): unpacking stopped at many/f020; the 20 before it are read"), notes(c));
        }
    }

    @Test
    void membersNestedTooDeepAreNotUnpacked(@TempDir Path dir) throws IOException {
        Map<String, byte[]> m = new LinkedHashMap<>();
        m.put("d/meminfo", MEMINFO.getBytes(StandardCharsets.UTF_8));
        m.put("d/" + "x/".repeat(40) + "deep", "x\n".getBytes(StandardCharsets.UTF_8));
        Path t = Files.write(dir.resolve("deep.tar"), tar(m));
        try (Capture c = CaptureOpener.open(t)) {
            assertEquals(List.of("deep.tar!d/meminfo"), names(c));
            assertTrue(notes(c).contains("deep.tar: warning: 1 archive members deeper than 32 folders (limit leakdx.limit.depth): not unpacked"), notes(c));
        }
    }

    // ---- cut archives keep what was read

    @Test
    void aCutTarGzKeepsTheMembersBeforeTheCut(@TempDir Path dir) throws IOException {
        byte[] whole = gzip(tar(bundle()));
        Path cut = Files.write(dir.resolve("cut.tar.gz"), Arrays.copyOf(whole, whole.length * 2 / 3));
        try (Capture c = CaptureOpener.open(cut)) {
            assertTrue(names(c).containsAll(List.of("cut.tar.gz!host/proc/meminfo", "cut.tar.gz!host/proc/vmstat")), names(c).toString());
            assertTrue(Files.readString(c.files().get(0).path()).equals(MEMINFO));
            assertTrue(c.notes().stream().anyMatch(d -> d.level().equals("error") && d.message().contains("ends early")), notes(c));
        }
    }

    @Test
    void aCutTarXzKeepsTheMembersBeforeTheCut(@TempDir Path dir) throws IOException {
        Map<String, byte[]> m = bundle();
        byte[] noise = new byte[512 * 1024];
        new java.util.Random(7).nextBytes(noise); // incompressible: the cut falls inside it
        m.put("host/zzzz-noise", noise);
        byte[] whole = xz(tar(m));
        Path cut = Files.write(dir.resolve("cut.tar.xz"), Arrays.copyOf(whole, whole.length / 2));
        try (Capture c = CaptureOpener.open(cut)) {
            assertTrue(names(c).containsAll(List.of("cut.tar.xz!host/proc/meminfo", "cut.tar.xz!host/proc/vmstat")), names(c).toString());
            assertTrue(c.notes().stream().anyMatch(d -> d.file().equals("cut.tar.xz!host/zzzz-noise") && d.message().contains("kept up to the cut")
                    || d.message().contains("ends early")), notes(c));
        }
    }

    @Test
    void aCutZipKeepsTheMembersBeforeTheCut(@TempDir Path dir) throws IOException {
        Map<String, byte[]> m = bundle();
        byte[] noise = new byte[256 * 1024];
        new java.util.Random(7).nextBytes(noise);
        m.put("host/zzzz-noise", noise);
        byte[] whole = zip(m);
        Path cut = Files.write(dir.resolve("cut.zip"), Arrays.copyOf(whole, whole.length - 100 * 1024));
        try (Capture c = CaptureOpener.open(cut)) {
            assertTrue(names(c).containsAll(List.of("cut.zip!host/proc/meminfo", "cut.zip!host/proc/vmstat")), names(c).toString());
            assertTrue(c.notes().stream().anyMatch(d -> d.level().equals("error") && d.file().startsWith("cut.zip")
                    && (d.message().contains("ends early") || d.message().contains("corrupt"))), notes(c));
        }
    }

    // ---- only regular files inside the capture

    static Path mkfifo(Path p) throws IOException, InterruptedException {
        Process pr = new ProcessBuilder("mkfifo", p.toString()).inheritIO().start();
        assertEquals(0, pr.waitFor());
        return p;
    }

    @Test
    void aFifoAsTheCaptureIsRefusedWithoutBlocking(@TempDir Path dir) throws Exception {
        Path fifo = mkfifo(dir.resolve("capture.fifo"));
        IOException e = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> assertThrows(IOException.class, () -> CaptureOpener.open(fifo)));
        assertEquals(fifo + ": not a regular file (a FIFO): not read", e.getMessage());
    }

    @Test
    void aFifoInsideAFolderIsSkippedWithADiagnostic(@TempDir Path dir) throws Exception {
        Path cap = Files.createDirectories(dir.resolve("cap/proc"));
        Files.writeString(cap.resolve("meminfo"), MEMINFO);
        mkfifo(cap.resolve("vmstat"));
        try (Capture c = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CaptureOpener.open(dir.resolve("cap")))) {
            assertEquals(List.of("proc/meminfo"), names(c));
            assertEquals("[proc/vmstat: warning: not a regular file (a FIFO): skipped]", notes(c));
        }
    }

    @Test
    void symbolicLinksOutOfTheCaptureAreNotFollowed(@TempDir Path dir) throws IOException {
        Path cap = Files.createDirectories(dir.resolve("cap"));
        Files.writeString(cap.resolve("slabinfo"), "slabinfo - version: 2.1\n");
        Files.createSymbolicLink(cap.resolve("meminfo"), Path.of("/proc/meminfo"));
        Files.createSymbolicLink(cap.resolve("shadow"), Path.of("/etc/shadow"));
        Files.createSymbolicLink(cap.resolve("inside"), Path.of("slabinfo"));
        Files.createSymbolicLink(cap.resolve("dangling"), Path.of("nowhere"));
        try (Capture c = CaptureOpener.open(cap)) {
            assertEquals(List.of("inside", "slabinfo"), names(c), "a link to a file inside the capture is read");
            List<String> n = c.notes().stream().map(Diagnostic::toString).toList();
            assertTrue(n.contains("meminfo: warning: symbolic link to /proc/meminfo, outside the capture: not followed"), n.toString());
            assertTrue(n.contains("shadow: warning: symbolic link to /etc/shadow, outside the capture: not followed"), n.toString());
            assertTrue(n.contains("dangling: warning: broken symbolic link: skipped"), n.toString());
        }
    }

    @Test
    void aCaseYamlThatIsALinkOutIsNotRead(@TempDir Path dir) throws IOException {
        Path cap = Files.createDirectories(dir.resolve("cap"));
        Files.writeString(cap.resolve("meminfo"), MEMINFO);
        Path outside = Files.writeString(dir.resolve("secret.yaml"), "host: {arch: stolen}\n");
        Files.createSymbolicLink(cap.resolve("case.yaml"), outside);
        try (Capture c = CaptureOpener.open(cap)) {
            assertTrue(c.manifest().hostFacts().isEmpty(), c.manifest().toString());
        }
    }

    @Test
    void aFolderTooDeepAndTooManyFilesAreLimited(@TempDir Path dir) throws IOException {
        Path cap = Files.createDirectories(dir.resolve("cap"));
        for (int i = 0; i < 12; i++) Files.writeString(cap.resolve("f" + i), "x\n");
        Path deep = Files.createDirectories(cap.resolve("a/b/c/d"));
        Files.writeString(deep.resolve("deep"), "x\n");
        System.setProperty(Limits.FILES.property(), "10");
        System.setProperty(Limits.DEPTH.property(), "3");
        try (Capture c = CaptureOpener.open(cap)) {
            assertEquals(10, c.files().size());
            assertTrue(notes(c).contains("a/b/c: warning: folder deeper than 3 levels (limit leakdx.limit.depth): not read"), notes(c));
            assertTrue(notes(c).contains("cap: warning: the capture holds more than 10 files (limit leakdx.limit.files): 2 more not read"), notes(c));
        }
    }

    // ---- case.yaml: globs without backtracking, page sizes, errors with file:line

    @Test
    void aBacktrackingGlobIsMatchedAtOnce(@TempDir Path dir) throws IOException {
        Path cap = Files.createDirectories(dir.resolve("cap"));
        Files.writeString(cap.resolve("a".repeat(200)), MEMINFO);
        Files.writeString(cap.resolve("case.yaml"), "files:\n  - glob: \"*a*a*a*a*a*a*a*a*a*a*a*a*ab\"\n    host: evil\n");
        try (Capture c = assertTimeoutPreemptively(Duration.ofSeconds(30), () -> CaptureOpener.open(cap))) {
            assertEquals("", c.files().get(0).host(), "the glob does not match a name without b");
        }
    }

    @Test
    void safeGlobMatchesAsTheJdkGlobDoes() {
        String[][] yes = {{"node-1/*", "node-1/kmem-i.txt"}, {"**/kmem-i.2.txt", "a/b/kmem-i.2.txt"}, {"*.{txt,log}", "x.log"},
                {"kmem-?.txt", "kmem-i.txt"}, {"[a-c]x", "bx"}, {"[!a-c]x", "dx"}, {"a\\*b", "a*b"}, {"**", "a/b/c"}, {"*a*a*ab", "xaxaxab"}};
        String[][] no = {{"node-1/*", "node-1/a/b"}, {"*", "a/b"}, {"kmem-?.txt", "kmem-/.txt"}, {"[a-c]x", "dx"}, {"[!a-c]x", "ax"},
                {"*.{txt,log}", "x.out"}, {"*a*a*a*a*a*a*a*a*a*a*a*a*ab", "a".repeat(200)}};
        for (String[] c : yes) {
            assertTrue(SafeGlob.compile(c[0]).matches(c[1]), c[0] + " vs " + c[1]);
            assertTrue(java.nio.file.FileSystems.getDefault().getPathMatcher("glob:" + c[0]).matches(Path.of(c[1])), "JDK: " + c[0]);
        }
        for (String[] c : no) assertFalse(SafeGlob.compile(c[0]).matches(c[1]), c[0] + " vs " + c[1]);
    }

    @Test
    void pageSizesThatAreNotPowersOfTwoAreDiagnosticsNeverUsed(@TempDir Path dir) throws IOException {
        for (String ps : List.of("0", "3", "-4096", "abc")) {
            Path cap = Files.createDirectories(dir.resolve("cap" + ps.hashCode()));
            Files.writeString(cap.resolve("meminfo"), MEMINFO);
            Files.writeString(cap.resolve("case.yaml"), "# a case\nhost:\n  arch: x86_64\n  page_size: " + ps + "\n");
            try (Capture c = CaptureOpener.open(cap)) {
                assertEquals(Map.of("arch", "x86_64"), c.manifest().hostFacts(), ps);
                String why = switch (ps) { case "0", "-4096" -> "is not positive"; case "3" -> "is not a power of two"; default -> "is not a size"; };
                assertEquals("[case.yaml:4: error: host page_size '" + ps + "' " + why + ": ignored]", notes(c), ps);
            }
        }
        assertEquals(null, Manifest.pageSizeFault("64K"));
        assertEquals(null, Manifest.pageSizeFault("4096"));
    }

    @Test
    void yamlAndGlobErrorsNameCaseYamlAndTheLine(@TempDir Path dir) throws IOException {
        Path cap = Files.createDirectories(dir.resolve("cap"));
        Files.writeString(cap.resolve("meminfo"), MEMINFO);
        Files.writeString(cap.resolve("case.yaml"), "host:\n  arch: arm64\nfiles:\n  - glob: \"node-[1\"\n    host: a\n  - glob: \"{a,b\"\n");
        try (Capture c = CaptureOpener.open(cap)) {
            List<String> n = c.notes().stream().map(Diagnostic::toString).toList();
            assertEquals(2, n.size(), n.toString());
            assertTrue(n.get(0).startsWith("case.yaml:4: error: files[].glob: glob 'node-[1': '[' at 6 is never closed: entry ignored"), n.toString());
            assertTrue(n.get(1).startsWith("case.yaml:6: error: files[].glob: glob '{a,b': '{' at 1 is never closed"), n.toString());
            assertEquals("arm64", c.manifest().hostFacts().get("arch"), "the rest of case.yaml is used");
        }
        Files.writeString(cap.resolve("case.yaml"), "host:\n  arch: arm64\n  page_size: [4096\n");
        try (Capture c = CaptureOpener.open(cap)) {
            assertEquals(1, c.notes().size(), notes(c));
            Diagnostic d = c.notes().get(0);
            assertEquals("case.yaml", d.file());
            assertTrue(d.line() >= 3, d.toString());
            assertTrue(d.message().startsWith("case.yaml not used: not valid YAML: "), d.toString());
            assertEquals(List.of("meminfo"), names(c), "the capture is still read");
        }
    }

    // ---- temporary folders

    @Test
    void temporaryFoldersOfDeadRunsAreCleanedAndLiveOnesKept(@TempDir Path tmp) throws IOException {
        Path dead = Files.createDirectories(tmp.resolve("leakdx-999999999-unpack-1/x"));
        Files.writeString(dead.resolve("f"), "x");
        Path mine = Files.createDirectories(tmp.resolve("leakdx-" + ProcessHandle.current().pid() + "-unpack-2"));
        Path oldNaming = Files.createDirectories(tmp.resolve("leakdx-12345"));
        Files.setLastModifiedTime(oldNaming, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() - 3L * 86400_000));
        Path recentOldNaming = Files.createDirectories(tmp.resolve("leakdx-67890"));
        Path other = Files.createDirectories(tmp.resolve("not-ours"));
        assertEquals(2, TempDirs.cleanStale(tmp));
        assertFalse(Files.exists(tmp.resolve("leakdx-999999999-unpack-1")));
        assertFalse(Files.exists(oldNaming));
        assertTrue(Files.exists(mine) && Files.exists(recentOldNaming) && Files.exists(other));
    }

    @Test
    void anArchiveIsUnpackedInAFolderNamedAfterThisRunAndRemovedOnClose(@TempDir Path dir) throws IOException {
        Path t = Files.write(dir.resolve("b.tar"), tar(bundle()));
        Path temp;
        try (Capture c = CaptureOpener.open(t)) {
            temp = c.tempDir();
            assertTrue(temp.getFileName().toString().startsWith("leakdx-" + ProcessHandle.current().pid() + "-"), temp.toString());
            assertTrue(TempDirs.live().contains(temp), "registered for the shutdown hook");
        }
        assertFalse(Files.exists(temp));
        assertFalse(TempDirs.live().contains(temp));
    }
}
