package dev.leakdx.capture;

import dev.leakdx.extract.Diagnostic;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;

/**
 * The files of a capture folder that may be read: regular files inside it. A FIFO, a device or a
 * socket is skipped (reading one can block for ever or never end); a symbolic link is followed only
 * when it ends on a regular file inside the capture (a {@code meminfo -> /proc/meminfo} would
 * diagnose the analyst's own machine; a link to /etc/shadow would read it); folders deeper than
 * {@link Limits#DEPTH} and files beyond {@link Limits#FILES} are not read. Each is a diagnostic.
 */
final class CaptureWalk {
    private CaptureWalk() {}

    static List<Path> regularFiles(Path root, String prefix, List<Diagnostic> notes) throws IOException {
        List<Path> out = new ArrayList<>();
        long maxFiles = Limits.FILES.get();
        int maxDepth = (int) Math.min(Integer.MAX_VALUE, Limits.DEPTH.get());
        int[] beyond = {0};
        Files.walkFileTree(root, EnumSet.noneOf(java.nio.file.FileVisitOption.class), maxDepth, new SimpleFileVisitor<>() {
            @Override public FileVisitResult visitFile(Path p, BasicFileAttributes a) {
                String cite = prefix + root.relativize(p).toString().replace('\\', '/');
                if (a.isDirectory()) {
                    notes.add(new Diagnostic(cite, 0, "warning", "folder deeper than " + maxDepth + " levels (limit leakdx.limit.depth): not read"));
                    return FileVisitResult.CONTINUE;
                }
                Path read = p;
                if (a.isSymbolicLink()) {
                    read = inside(root, p, cite, notes);
                    if (read == null) return FileVisitResult.CONTINUE;
                } else if (!a.isRegularFile()) {
                    notes.add(new Diagnostic(cite, 0, "warning", "not a regular file (a " + FileKind.of(p) + "): skipped"));
                    return FileVisitResult.CONTINUE;
                }
                if (out.size() >= maxFiles) {
                    beyond[0]++;
                    return FileVisitResult.CONTINUE;
                }
                out.add(p);
                return FileVisitResult.CONTINUE;
            }

            @Override public FileVisitResult visitFileFailed(Path p, IOException e) {
                String cite = prefix + root.relativize(p).toString().replace('\\', '/');
                notes.add(new Diagnostic(cite, 0, "error", "not read: " + Failure.reason(e)));
                return FileVisitResult.CONTINUE;
            }
        });
        if (beyond[0] > 0)
            notes.add(new Diagnostic(prefix.isEmpty() ? root.getFileName() + "" : prefix.substring(0, prefix.length() - 1), 0, "warning",
                    "the capture holds more than " + maxFiles + " files (limit leakdx.limit.files): " + beyond[0] + " more not read"));
        out.sort(Comparator.comparing(p -> root.relativize(p).toString()));
        return out;
    }

    /** Where a symbolic link leads when that is a regular file inside {@code root}; else null, with a diagnostic. */
    private static Path inside(Path root, Path link, String cite, List<Diagnostic> notes) {
        Path target;
        try {
            target = link.toRealPath();
        } catch (IOException e) {
            notes.add(new Diagnostic(cite, 0, "warning", "broken symbolic link: skipped"));
            return null;
        }
        if (!target.startsWith(root)) {
            String to;
            try {
                to = Files.readSymbolicLink(link).toString();
            } catch (IOException e) {
                to = target.toString();
            }
            notes.add(new Diagnostic(cite, 0, "warning", "symbolic link to " + to + ", outside the capture: not followed"));
            return null;
        }
        if (!Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            notes.add(new Diagnostic(cite, 0, "warning", "symbolic link to a " + FileKind.of(target) + ": not followed"));
            return null;
        }
        return link; // cited by its own name, read through the link
    }
}
