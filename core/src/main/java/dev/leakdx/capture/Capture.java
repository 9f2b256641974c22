package dev.leakdx.capture;

import dev.leakdx.extract.Diagnostic;

import java.nio.file.Path;
import java.util.List;

/**
 * The files of one capture, in a stable order, the manifest if there was one, the inputs it is
 * known to lack (a sosreport's absent files, what a live capture could not read), and what opening
 * it had to say (a limit reached, a FIFO or an outward symbolic link skipped, a cut archive), each
 * with file:line. Close to drop unpacked archives.
 */
public record Capture(String name, List<CaptureFile> files, Manifest manifest, Path tempDir, List<MissingInput> missing,
                      List<Diagnostic> notes) implements AutoCloseable {
    public Capture(String name, List<CaptureFile> files, Manifest manifest, Path tempDir) {
        this(name, files, manifest, tempDir, List.of());
    }

    public Capture(String name, List<CaptureFile> files, Manifest manifest, Path tempDir, List<MissingInput> missing) {
        this(name, files, manifest, tempDir, missing, List.of());
    }

    @Override public void close() {
        TempDirs.delete(tempDir);
    }
}
