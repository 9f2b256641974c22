package dev.leakdx.capture;

import dev.leakdx.extract.Diagnostic;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Turns what the user gave (a folder, a single file, a .tar/.tar.gz/.tar.xz/.zip bundle, a
 * .gz/.xz single file) into a {@link Capture}. Archives are recognised by their bytes
 * (tar's "ustar" magic, zip's "PK\3\4"), and unpacked to a temporary folder so that big
 * members are streamed from disk later rather than held in memory. A sosreport or insights
 * archive is narrowed to the files leakdx understands ({@link SosReport}).
 */
public final class CaptureOpener {
    private CaptureOpener() {}

    /** Labels a snapshot from the file name: meminfo.before_drop_caches, kmem-i.after_drop_caches.txt. */
    private static final Pattern SNAPSHOT_SUFFIX = Pattern.compile(
            "\\.((?:before|after|pre|post)[-_]?[A-Za-z0-9_-]*|t\\d+|\\d{8}(?:[T-]?\\d{4,6})?)$");
    private static final Pattern SNAPSHOT_DIR = Pattern.compile("^[^/]+-(before|after|pre|post|t\\d+)$");
    /**
     * A time in a name: compact (20260101T1000, 20260101-100000), ISO 8601 (2026-01-01T10:00:00Z,
     * with '-' or '_' for ':' as file systems allow) or seconds since the epoch (9-10 digits).
     * Read by {@link dev.leakdx.engine.SnapshotTimes}; documented in knowledge-base-docs/trend.md.
     */
    private static final String TIME = "\\d{8}(?:[T-]?\\d{4,6})?Z?|\\d{4}-\\d{2}-\\d{2}(?:[T_]\\d{2}[:_-]?\\d{2}(?:[:_-]?\\d{2})?Z?)?|\\d{9,10}";
    /** meminfo-1767261600, slabinfo.2026-01-01T10:00:00Z: a snapshot time after '.', '-' or '_'. */
    private static final Pattern SNAPSHOT_TIME_SUFFIX = Pattern.compile("[._-](" + TIME + ")$");
    /**
     * Snapshot folders of a series: proc-2026-01-01T10:00Z/, snapshot_1767261600/ (a time) and
     * proc.1/, proc.2/ (numbered the way logrotate numbers: .1 is the newest rotated one). Only
     * the stems proc and snapshot: a bundle's own top folder (sosreport-host-20240101) is not one.
     */
    private static final Pattern SNAPSHOT_SERIES_DIR = Pattern.compile("^(?:proc|snapshot)[-_.](?:(" + TIME + ")|(\\d{1,3}))$");

    public static Capture open(Path input) throws IOException {
        if (!Files.exists(input)) {
            if (Files.isSymbolicLink(input)) throw new IOException(input + ": broken symbolic link");
            throw new IOException(input + ": no such file or folder");
        }
        String display = input.getFileName() == null ? input.toString() : input.getFileName().toString();
        if (Files.isDirectory(input)) return fromDirectory(input, display, "", null, new ArrayList<>());
        // a FIFO, a device or a socket is never opened: reading one can block for ever or never end
        if (!Files.isRegularFile(input)) throw new IOException(input + ": not a regular file (a " + FileKind.of(input.toRealPath()) + "): not read");
        if (!Files.isReadable(input)) throw new java.nio.file.AccessDeniedException(input.toString());
        if (isArchive(input)) {
            Path tmp = TempDirs.create("unpack");
            List<Diagnostic> notes = new ArrayList<>();
            try {
                ArchiveUnpacker.unpack(input, display, tmp, notes);
            } catch (IOException | RuntimeException e) {
                TempDirs.delete(tmp);
                throw new IOException(display + ": not a readable archive: " + e.getMessage(), e);
            } catch (Error e) {
                TempDirs.delete(tmp);
                throw e;
            }
            // A bundle usually holds one top folder; cite members as bundle.tar.gz!proc/meminfo.
            return fromDirectory(tmp, display, display + "!", tmp, notes);
        }
        CaptureFile f = new CaptureFile(display, input, "", snapshotOf(display));
        return new Capture(display, List.of(f), Manifest.EMPTY, null);
    }

    private static Capture fromDirectory(Path given, String display, String prefix, Path temp, List<Diagnostic> notes) throws IOException {
        // a capture folder that is a symbolic link (a fleet's folder of links to bundles) is walked as its target
        Path root = given.toRealPath();
        Path sos = SosReport.root(root);
        if (sos != null) {
            Capture c = SosReport.open(root, sos, display, prefix, temp);
            return new Capture(c.name(), c.files(), c.manifest(), c.tempDir(), c.missing(), notes);
        }
        List<Path> paths = CaptureWalk.regularFiles(root, prefix, notes);
        // case.yaml sits at the capture root, or inside the one top folder a bundle was packed from.
        Manifest manifest = Manifest.EMPTY;
        Path manifestFile = root.resolve("case.yaml");
        if (!Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            try (Stream<Path> top = Files.list(root)) {
                List<Path> dirs = top.toList();
                if (dirs.size() == 1 && Files.isDirectory(dirs.get(0), LinkOption.NOFOLLOW_LINKS)) manifestFile = dirs.get(0).resolve("case.yaml");
            }
        }
        Path base = root;
        List<MissingInput> missing = List.of();
        if (Files.isRegularFile(manifestFile, LinkOption.NOFOLLOW_LINKS)) {
            base = manifestFile.getParent();
            String cite = prefix + root.relativize(manifestFile).toString().replace('\\', '/');
            try {
                manifest = Manifest.read(manifestFile, cite);
                notes.addAll(manifest.problems());
            } catch (Manifest.NotYaml e) {
                notes.add(new Diagnostic(cite, e.line, "error", "case.yaml not used: " + e.reason));
            } catch (IOException e) {
                notes.add(new Diagnostic(cite, 0, "error", "case.yaml not used: " + Failure.describe(e)));
            }
            missing = MissingInput.fromManifest(manifestFile);
        }
        List<CaptureFile> files = new ArrayList<>();
        for (Path p : paths) {
            String rel = root.relativize(p).toString().replace('\\', '/');
            String name = p.getFileName().toString();
            String relToManifest = p.startsWith(base) ? base.relativize(p).toString().replace('\\', '/') : rel;
            if (name.equals("case.yaml") || name.equals("expected.yaml") || name.equalsIgnoreCase("README.md")) continue;
            CaptureFile cf = new CaptureFile(prefix + rel, p, "", snapshotOf(rel));
            files.add(manifest.label(cf, relToManifest));
        }
        return new Capture(display, files, manifest, temp, missing, notes);
    }

    static String snapshotOf(String relative) {
        String base = relative.substring(relative.lastIndexOf('/') + 1);
        String stripped = base.replaceAll("(?i)(\\.(txt|log|out|gz|xz|bz2))+$", "");
        Matcher m = SNAPSHOT_SUFFIX.matcher(stripped);
        if (m.find()) return m.group(1);
        Matcher t = SNAPSHOT_TIME_SUFFIX.matcher(stripped);
        if (t.find()) return t.group(1);
        String[] parts = relative.split("/");
        for (int i = parts.length - 2; i >= 0; i--) {
            Matcher d = SNAPSHOT_DIR.matcher(parts[i]);
            if (d.matches()) return d.group(1);
            Matcher s = SNAPSHOT_SERIES_DIR.matcher(parts[i]);
            if (s.matches()) return s.group(1) != null ? s.group(1) : "rotated." + s.group(2);
        }
        return "";
    }

    static boolean isArchive(Path p) throws IOException {
        try (InputStream in = Decompress.open(p)) {
            byte[] head = new byte[512];
            int n = in.readNBytes(head, 0, head.length);
            if (n >= 4 && head[0] == 'P' && head[1] == 'K' && head[2] == 3 && head[3] == 4) return true;
            return n >= 262 && new String(head, 257, 5, java.nio.charset.StandardCharsets.US_ASCII).equals("ustar");
        }
    }

    static String lower(String s) { return s.toLowerCase(Locale.ROOT); }
}
