package dev.leakdx.capture;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/** Packs a capture folder as a .tar.gz with one top folder, the shape CaptureOpener unpacks (case.yaml inside the top folder). */
public final class BundleWriter {
    private BundleWriter() {}

    /** The top folder's name for a bundle file: x.tar.gz holds x/. */
    public static String topName(Path bundle) {
        String n = bundle.getFileName().toString();
        String t = n.replaceAll("(?i)(\\.tar\\.gz|\\.tgz|\\.tar)$", "");
        if (t.equals(n) && n.indexOf('.') > 0) t = n.substring(0, n.indexOf('.'));
        return t.isEmpty() ? "capture" : t;
    }

    public static void write(Path folder, Path bundle) throws IOException {
        write(folder, bundle, topName(bundle));
    }

    /** With the top folder named {@code top} (capture --redact: a name that does not hold the host's). */
    public static void write(Path folder, Path bundle, String top) throws IOException {
        if (bundle.toAbsolutePath().getParent() != null) Files.createDirectories(bundle.toAbsolutePath().getParent());
        List<Path> files;
        try (Stream<Path> s = Files.walk(folder)) {
            files = s.filter(Files::isRegularFile).sorted().toList();
        }
        Path tmp = bundle.resolveSibling(bundle.getFileName() + ".part");
        try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 16);
             GZIPOutputStream gz = new GZIPOutputStream(raw, 1 << 16);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(gz)) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            for (Path f : files) {
                String rel = folder.relativize(f).toString().replace('\\', '/');
                TarArchiveEntry e = new TarArchiveEntry(f.toFile(), top + "/" + rel);
                tar.putArchiveEntry(e);
                Files.copy(f, tar);
                tar.closeArchiveEntry();
            }
            tar.finish();
        }
        Files.move(tmp, bundle, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }
}
