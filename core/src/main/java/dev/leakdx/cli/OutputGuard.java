package dev.leakdx.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Where a report may be written: never over the capture it reports on. */
final class OutputGuard {
    private OutputGuard() {}

    /**
     * Refuses an {@code -o} that names a capture given, or a file inside a capture folder given: the
     * report would overwrite the evidence it is about (and the next run would read the report).
     */
    static void check(Path output, List<Path> captures) {
        if (output == null) return;
        if (Files.isDirectory(output)) throw new IllegalArgumentException(output + ": is a folder; -o takes a file name");
        if (!Files.exists(output)) return;
        for (Path c : captures) {
            try {
                if (!Files.exists(c)) continue;
                if (Files.isSameFile(output, c))
                    throw new IllegalArgumentException(output + ": is the capture itself; refusing to overwrite it (write the report elsewhere)");
                if (Files.isDirectory(c) && output.toRealPath().startsWith(c.toRealPath()))
                    throw new IllegalArgumentException(output + ": is a file of the capture " + c + "; refusing to overwrite it (write the report elsewhere)");
            } catch (IOException e) {
                // cannot tell: the write itself will say what is wrong
            }
        }
    }
}
