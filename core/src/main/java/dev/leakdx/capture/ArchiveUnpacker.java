package dev.leakdx.capture;

import dev.leakdx.extract.Diagnostic;
import org.apache.commons.compress.archivers.ArchiveEntry;
import org.apache.commons.compress.archivers.ArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.zip.ZipArchiveInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Unpacks a .tar, .tar.gz, .tar.xz or .zip bundle into a temporary folder within the
 * {@link Limits}: bytes per member, bytes in all, expansion ratio, member count and folder depth.
 * Every byte decompressed counts, members skipped included, so a bomb is stopped after at most
 * the limit's worth of work. Only regular members are written, never outside the folder (no
 * {@code ../}, no absolute path, no link, no device). An archive cut short or corrupt keeps the
 * members before the cut, and the one cut is kept up to the cut: each of these is a diagnostic
 * naming the member where it stopped.
 */
final class ArchiveUnpacker {
    private ArchiveUnpacker() {}

    /** Thrown inside the copy loop when the whole archive must stop. */
    private static final class Stop extends Exception {
        Stop(String why) { super(why, null, false, false); }
    }

    static void unpack(Path archive, String display, Path into, List<Diagnostic> notes) throws IOException {
        long archiveSize = Math.max(1, Files.size(archive));
        long maxTotal = Limits.ARCHIVE_BYTES.get(), maxMember = Limits.MEMBER_BYTES.get(), ratio = Limits.RATIO.get(),
                floor = Limits.RATIO_FLOOR.get(), maxFiles = Limits.FILES.get(), maxDepth = Limits.DEPTH.get();
        AtomicLong unpacked = new AtomicLong();
        int members = 0, specials = 0, tooDeep = 0;
        long inflated = 0;
        String current = null;
        try (InputStream raw = Decompress.open(archive)) {
            BufferedInputStream in = new BufferedInputStream(new Decompress.Counting(raw, unpacked), 1 << 16);
            in.mark(8);
            byte[] sig = in.readNBytes(4);
            in.reset();
            boolean zip = sig.length == 4 && sig[0] == 'P' && sig[1] == 'K';
            try (ArchiveInputStream<? extends ArchiveEntry> ar = zip ? new ZipArchiveInputStream(in) : new TarArchiveInputStream(in)) {
                ArchiveEntry e;
                byte[] buf = new byte[1 << 16];
                while (true) {
                    current = null;
                    e = ar.getNextEntry();
                    if (e == null) break;
                    check(Math.max(unpacked.get(), inflated), archiveSize, maxTotal, ratio, floor);
                    if (e.isDirectory()) continue;
                    if (e instanceof TarArchiveEntry t && !t.isFile()) {
                        if (!t.isSymbolicLink() && !t.isLink()) specials++;
                        continue;
                    }
                    if (!ar.canReadEntryData(e)) continue;
                    String name = e.getName().replace('\\', '/');
                    while (name.startsWith("/") || name.startsWith("./")) name = name.substring(name.startsWith("/") ? 1 : 2);
                    Path target = into.resolve(name).normalize();
                    if (!target.startsWith(into) || name.isEmpty() || target.equals(into)) continue; // refuse ../ escapes
                    if (into.relativize(target).getNameCount() > maxDepth + 1) {
                        tooDeep++;
                        continue;
                    }
                    if (members >= maxFiles) {
                        notes.add(new Diagnostic(display, 0, "warning", "the archive holds more than " + maxFiles
                                + " members (limit leakdx.limit.files): unpacking stopped at " + name + "; the " + members + " before it are read"));
                        break;
                    }
                    current = name;
                    Files.createDirectories(target.getParent());
                    long written = 0;
                    boolean cutMember = false;
                    try (OutputStream out = Files.newOutputStream(target)) {
                        int n;
                        while ((n = ar.read(buf)) > 0) {
                            if (written + n > maxMember) {
                                if (!cutMember) {
                                    out.write(buf, 0, (int) (maxMember - written));
                                    written = maxMember;
                                    cutMember = true;
                                }
                            } else {
                                out.write(buf, 0, n);
                                written += n;
                            }
                            inflated += n;
                            // a zip inflates inside the archive stream: its members' bytes count, not only the outer decompressor's
                            check(Math.max(unpacked.get(), inflated), archiveSize, maxTotal, ratio, floor);
                        }
                    } finally {
                        members++;
                    }
                    if (cutMember)
                        notes.add(new Diagnostic(display + "!" + name, 0, "warning", "member larger than " + bytes(maxMember)
                                + " unpacked (limit leakdx.limit.member-bytes): its first " + bytes(maxMember) + " are read, the rest skipped"));
                }
            } catch (Stop s) {
                notes.add(new Diagnostic(current == null ? display : display + "!" + current, 0, "error", s.getMessage() + ": unpacking stopped"
                        + (current == null ? "" : " in " + current + " (kept up to there)") + "; the " + Math.max(0, members - (current == null ? 0 : 1))
                        + " members before it are read"));
            } catch (IOException | RuntimeException cut) {
                // a cut or corrupt archive: what was unpacked before the fault is kept
                if (members == 0) throw cut instanceof IOException io ? io : new IOException(Failure.reason(cut), cut);
                notes.add(new Diagnostic(current == null ? display : display + "!" + current, 0, "error",
                        "the archive ends early or is corrupt (" + Failure.reason(cut) + "): unpacking stopped"
                                + (current == null ? " after " + members + " members, which are read" : " in " + current
                                + ", kept up to the cut; the " + (members - 1) + " members before it are read")));
                return;
            }
            if (Decompress.wasCut(raw))
                notes.add(new Diagnostic(display, 0, "error", "the compressed archive ends early (cut short or corrupt): the " + members
                        + " members before the cut are read"));
        }
        if (specials > 0)
            notes.add(new Diagnostic(display, 0, "warning", specials + " archive members that are devices or FIFOs: not unpacked"));
        if (tooDeep > 0)
            notes.add(new Diagnostic(display, 0, "warning", tooDeep + " archive members deeper than " + maxDepth + " folders (limit leakdx.limit.depth): not unpacked"));
    }

    private static void check(long unpacked, long archiveSize, long maxTotal, long ratio, long floor) throws Stop {
        if (unpacked > maxTotal)
            throw new Stop("the archive unpacks to more than " + bytes(maxTotal) + " (limit leakdx.limit.archive-bytes)");
        if (unpacked > floor && unpacked / archiveSize > ratio)
            throw new Stop("the archive expands more than " + ratio + " times its " + bytes(archiveSize) + " (limit leakdx.limit.ratio): a decompression bomb?");
    }

    private static String bytes(long n) { return dev.leakdx.facts.Units.bytes(n); }
}
