package dev.leakdx.capture;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** Opens a file as plain bytes whether it is plain, gzip or xz: decided by magic bytes, never by name. */
public final class Decompress {
    private Decompress() {}

    public enum Kind { PLAIN, GZIP, XZ }

    public static Kind sniff(Path p) throws IOException {
        byte[] head = new byte[6];
        int n;
        try (InputStream in = Files.newInputStream(p)) { n = in.readNBytes(head, 0, head.length); }
        if (n >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b) return Kind.GZIP;
        if (n >= 6 && (head[0] & 0xff) == 0xfd && head[1] == '7' && head[2] == 'z' && head[3] == 'X' && head[4] == 'Z' && head[5] == 0)
            return Kind.XZ;
        return Kind.PLAIN;
    }

    public static InputStream open(Path p) throws IOException {
        Kind k = sniff(p);
        InputStream raw = new BufferedInputStream(Files.newInputStream(p), 1 << 16);
        return switch (k) {
            case GZIP -> new BufferedInputStream(new GzipCompressorInputStream(raw, true), 1 << 16);
            case XZ -> new BufferedInputStream(new XZCompressorInputStream(raw, true), 1 << 16);
            case PLAIN -> raw;
        };
    }
}
