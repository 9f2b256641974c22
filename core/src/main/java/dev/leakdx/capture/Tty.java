package dev.leakdx.capture;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether a standard stream is a terminal. Java only tells whether stdin and stdout both are
 * ({@code System.console()}); leakdx needs each stream on its own (a progress bar belongs on a
 * terminal stderr even when stdout goes to a file), so it reads where /proc/self/fd/N points.
 */
public final class Tty {
    private Tty() {}

    /** True when file descriptor {@code fd} (1 stdout, 2 stderr) is a terminal. */
    public static boolean isTerminal(int fd) {
        try {
            String target = Files.readSymbolicLink(Path.of("/proc/self/fd/" + fd)).toString();
            return target.startsWith("/dev/pts/") || target.matches("/dev/tty\\w*") || target.equals("/dev/console");
        } catch (Exception e) {
            return fd == 1 && System.console() != null;
        }
    }
}
