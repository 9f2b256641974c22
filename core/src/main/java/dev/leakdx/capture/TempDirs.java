package dev.leakdx.capture;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * leakdx's temporary folders (unpacked archives, live captures): named {@code leakdx-PID-...} so that
 * a later run can tell a dead run's leftovers from a live run's, removed when their capture is
 * closed, and by a shutdown hook on every exit the JVM sees (normal end, System.exit, SIGTERM,
 * Ctrl-C). Leftovers of runs that were killed outright (SIGKILL, a power cut) are removed by the
 * next run's {@link #cleanStale()}.
 */
public final class TempDirs {
    private TempDirs() {}

    private static final Set<Path> LIVE = ConcurrentHashMap.newKeySet();
    private static final Pattern OURS = Pattern.compile("^leakdx-(\\d+)-.*");
    /** Folders of the older naming (no pid) are taken as stale only after this long. */
    private static final Duration OLD_NAMING_AGE = Duration.ofDays(1);
    private static volatile boolean hooked;

    /** A new temporary folder {@code leakdx-PID-KIND-*}, removed at exit if not before. */
    public static Path create(String kind) throws IOException {
        hook();
        Path p = Files.createTempDirectory("leakdx-" + ProcessHandle.current().pid() + "-" + kind + "-");
        LIVE.add(p);
        return p;
    }

    /** Removes a folder made by {@link #create} (or any folder), quietly. */
    public static void delete(Path dir) {
        if (dir == null) return;
        try {
            if (Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
                Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                    @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                        Files.deleteIfExists(f);
                        return FileVisitResult.CONTINUE;
                    }

                    @Override public FileVisitResult visitFileFailed(Path f, IOException e) {
                        return FileVisitResult.CONTINUE;
                    }

                    @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                        Files.deleteIfExists(d);
                        return FileVisitResult.CONTINUE;
                    }
                });
            }
        } catch (IOException ignored) {
            // a temp folder left behind is not worth failing a diagnosis for; the next run's cleanStale() retries
        }
        LIVE.remove(dir);
    }

    private static synchronized void hook() {
        if (hooked) return;
        hooked = true;
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (Path p : LIVE.toArray(new Path[0])) delete(p);
        }, "leakdx-temp-cleanup"));
    }

    /** The folders this process made and has not yet removed. */
    public static Set<Path> live() { return Set.copyOf(LIVE); }

    /**
     * Removes leftovers of dead runs from the temporary folder: {@code leakdx-PID-*} whose process is
     * gone, and folders of the older {@code leakdx-*} naming not touched for a day. Returns how many.
     */
    public static int cleanStale() {
        return cleanStale(Path.of(System.getProperty("java.io.tmpdir")));
    }

    static int cleanStale(Path tmp) {
        int n = 0;
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(tmp, "leakdx-*")) {
            for (Path p : ds) {
                if (!Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) continue;
                Matcher m = OURS.matcher(p.getFileName().toString());
                boolean stale;
                if (m.matches()) {
                    long pid;
                    try {
                        pid = Long.parseLong(m.group(1));
                    } catch (NumberFormatException e) {
                        continue;
                    }
                    stale = pid != ProcessHandle.current().pid() && ProcessHandle.of(pid).map(h -> !h.isAlive()).orElse(true);
                } else {
                    FileTime t = Files.getLastModifiedTime(p, java.nio.file.LinkOption.NOFOLLOW_LINKS);
                    stale = t.toInstant().isBefore(Instant.now().minus(OLD_NAMING_AGE));
                }
                if (stale && Files.isWritable(p)) {
                    delete(p);
                    n++;
                }
            }
        } catch (IOException | RuntimeException ignored) {
            // nothing to clean, or not ours to clean
        }
        return n;
    }
}
