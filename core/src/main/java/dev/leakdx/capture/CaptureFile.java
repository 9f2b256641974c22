package dev.leakdx.capture;

import java.nio.file.Path;

/**
 * One file of a capture. {@code name} is what reports cite (relative to the capture root;
 * archive members as {@code bundle.tar.gz!proc/meminfo}); {@code path} is where the bytes
 * are on disk (an archive's members are unpacked to a temporary folder first), possibly
 * still gzip/xz-compressed: {@link Decompress} opens it by its magic bytes.
 */
public record CaptureFile(String name, Path path, String host, String snapshot) {
    public CaptureFile withLabels(String host, String snapshot) {
        return new CaptureFile(name, path, host, snapshot);
    }
}
