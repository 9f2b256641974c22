package dev.leakdx.capture;

import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

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
        return open(p, null);
    }

    /** As {@link #open(Path)}, adding the bytes read from the file (compressed, if it is) to {@code counter}. */
    public static InputStream open(Path p, AtomicLong counter) throws IOException {
        Kind k = sniff(p);
        InputStream file = Files.newInputStream(p);
        if (counter != null) file = new Counting(file, counter);
        InputStream raw = new BufferedInputStream(file, 1 << 16);
        return switch (k) {
            case GZIP -> new Opened(new CutTolerant(new GzipCompressorInputStream(raw, true)));
            case XZ -> new Opened(new CutTolerant(new XZCompressorInputStream(raw, true)));
            case PLAIN -> raw;
        };
    }

    /** True when the stream was a compressed file cut short (a capture copied before it was complete). */
    public static boolean wasCut(InputStream in) {
        return in instanceof Opened o && o.tolerant.cut;
    }

    /** Counts the bytes read from the file, for a progress bar. */
    static final class Counting extends java.io.FilterInputStream {
        private final AtomicLong counter;

        Counting(InputStream in, AtomicLong counter) {
            super(in);
            this.counter = counter;
        }

        @Override public int read() throws IOException {
            int b = in.read();
            if (b >= 0) counter.incrementAndGet();
            return b;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            int n = in.read(b, off, len);
            if (n > 0) counter.addAndGet(n);
            return n;
        }

        @Override public long skip(long n) throws IOException {
            long k = in.skip(n);
            if (k > 0) counter.addAndGet(k);
            return k;
        }
    }

    /** A decompressed stream that remembers whether its compressed input ended early. */
    static final class Opened extends BufferedInputStream {
        final CutTolerant tolerant;

        Opened(CutTolerant t) {
            super(t, 1 << 16);
            this.tolerant = t;
        }
    }

    /**
     * A decompressor reads whole chunks and throws at a cut; reading in small pieces keeps
     * everything up to the cut (less at most one piece), and the cut becomes a clean end of
     * input with {@link #cut} set, so extraction reports it instead of losing the file.
     */
    static final class CutTolerant extends InputStream {
        private static final int PIECE = 4096;
        private final InputStream in;
        boolean cut;

        CutTolerant(InputStream in) { this.in = in; }

        @Override public int read() throws IOException {
            byte[] one = new byte[1];
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
        }

        @Override public int read(byte[] b, int off, int len) throws IOException {
            if (cut) return -1;
            try {
                return in.read(b, off, Math.min(len, PIECE));
            } catch (java.io.EOFException e) {
                cut = true;
                return -1;
            } catch (IOException e) {
                // corrupt data (bad checksum, garbage after the cut): same treatment, keep what was read
                cut = true;
                return -1;
            }
        }

        @Override public void close() throws IOException { in.close(); }
    }
}
