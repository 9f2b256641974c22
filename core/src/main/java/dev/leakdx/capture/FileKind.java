package dev.leakdx.capture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;

/** What a path is, without following a symbolic link, in words for a diagnostic. */
public final class FileKind {
    private FileKind() {}

    /** "FIFO", "character device", "block device", "socket", "symbolic link", "folder", "regular file" or "special file". */
    public static String of(Path p) {
        try {
            if (Files.isSymbolicLink(p)) return "symbolic link";
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) return "folder";
            if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) return "regular file";
            Object mode = Files.getAttribute(p, "unix:mode", LinkOption.NOFOLLOW_LINKS);
            if (mode instanceof Integer m) {
                return switch (m & 0170000) {
                    case 0010000 -> "FIFO";
                    case 0020000 -> "character device";
                    case 0060000 -> "block device";
                    case 0140000 -> "socket";
                    default -> "special file";
                };
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            // fall through
        }
        return "special file";
    }
}
