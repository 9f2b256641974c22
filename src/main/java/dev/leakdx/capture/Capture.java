package dev.leakdx.capture;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;

/**
 * The files of one capture, in a stable order, the manifest if there was one, and the inputs it is
 * known to lack (a sosreport's absent files, what a live capture could not read). Close to drop
 * unpacked archives.
 */
public record Capture(String name, List<CaptureFile> files, Manifest manifest, Path tempDir, List<MissingInput> missing)
        implements AutoCloseable {
    public Capture(String name, List<CaptureFile> files, Manifest manifest, Path tempDir) {
        this(name, files, manifest, tempDir, List.of());
    }

    @Override public void close() {
        if (tempDir == null) return;
        try {
            Files.walkFileTree(tempDir, new SimpleFileVisitor<>() {
                @Override public FileVisitResult visitFile(Path f, BasicFileAttributes a) throws IOException {
                    Files.deleteIfExists(f);
                    return FileVisitResult.CONTINUE;
                }
                @Override public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException ignored) {
            // a temp folder left behind is not worth failing a diagnosis for
        }
    }
}
