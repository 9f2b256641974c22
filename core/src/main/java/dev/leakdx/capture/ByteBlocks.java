package dev.leakdx.capture;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Arrays;

/**
 * Reads a stream in blocks of whole lines: each block ends just after a line end (LF, CRLF, or a
 * lone CR whose next byte is known), so a CRLF is never split and every block can be cut into
 * lines on its own, by another thread if need be. The last block ends where the file ends, with
 * or without a line end. A line longer than a block grows the block, up to {@code maxLine} bytes:
 * a longer line ends its block there ({@link Block#cutTail}) and the rest of it is skipped
 * without being held, so a 2 GB line costs one block of memory. Line ends are those of
 * {@link LineSource}: LF, CRLF and a lone CR.
 */
public final class ByteBlocks {
    /** {@code buf[start, end)}: whole lines. */
    public static final class Block {
        public final byte[] buf;
        public int start;
        public final int end;
        /** Set when a thread may still be reading the buffer: it is then never reused. */
        public boolean keep;
        /** Set when its lines must be read one by one, in order (its rows could not be merged as a chunk). */
        public boolean inOrder;
        /** Set when the block's last line was cut at the line limit: the rest of that line was skipped. */
        public boolean cutTail;

        public Block(byte[] buf, int start, int end) {
            this.buf = buf;
            this.start = start;
            this.end = end;
        }
    }

    private final InputStream in;
    private final int size;
    private final long maxLine;
    private byte[] carry = new byte[0];
    private int carryLen;
    private boolean eof;
    /** Bytes of a cut line still to be skipped before the next block; a CR was the last byte skipped. */
    private boolean skipping, skippedCr;
    private long skipped;
    private final ArrayDeque<byte[]> free = new ArrayDeque<>();

    public ByteBlocks(InputStream in, int size) {
        this(in, size, Long.MAX_VALUE);
    }

    /** {@code maxLine}: bytes of one line kept in a block; the rest of a longer line is skipped. */
    public ByteBlocks(InputStream in, int size, long maxLine) {
        this.in = in;
        this.size = Math.max(16, size);
        this.maxLine = Math.max(16, maxLine);
    }

    /** Bytes of cut lines skipped so far. */
    public long skippedBytes() { return skipped; }

    /** The next block, or null at the end of the stream. */
    public Block next() throws IOException {
        if (skipping) skipRestOfLine();
        if (eof && carryLen == 0) return null;
        byte[] buf = take(Math.max(size, carryLen + size / 2));
        System.arraycopy(carry, 0, buf, 0, carryLen);
        int n = carryLen;
        carryLen = 0;
        while (true) {
            while (n < buf.length && !eof) {
                int k = in.read(buf, n, buf.length - n);
                if (k < 0) eof = true;
                else n += k;
            }
            if (eof) return n == 0 ? null : new Block(buf, 0, n);
            int cut = lastLineEnd(buf, n);
            if (cut > 0) {
                carryLen = n - cut;
                if (carry.length < carryLen) carry = new byte[Math.max(carryLen, 1024)];
                System.arraycopy(buf, cut, carry, 0, carryLen);
                return new Block(buf, 0, cut);
            }
            if (buf.length >= maxLine) {
                // one line longer than the limit: keep what is here, skip the rest of the line unread
                skipping = true;
                Block cutBlock = new Block(buf, 0, n);
                cutBlock.cutTail = true;
                return cutBlock;
            }
            buf = Arrays.copyOf(buf, (int) Math.min(Integer.MAX_VALUE - 16, Math.max(buf.length * 2L, 16))); // one line longer than a block
        }
    }

    /** Reads on to just after the end of the line that was cut; what follows it is carried to the next block. */
    private void skipRestOfLine() throws IOException {
        byte[] scratch = take(size);
        try {
            while (!eof) {
                int k = in.read(scratch, 0, scratch.length);
                if (k < 0) {
                    eof = true;
                    break;
                }
                int i = 0;
                if (skippedCr) {
                    skippedCr = false;
                    if (scratch[0] == '\n') i = 1;
                    keep(scratch, i, k);
                    skipping = false;
                    return;
                }
                for (; i < k; i++) {
                    if (scratch[i] == '\n' || scratch[i] == '\r') break;
                }
                skipped += i;
                if (i == k) continue;
                if (scratch[i] == '\r') {
                    if (i + 1 == k) {
                        skippedCr = true; // a CRLF may be split across reads
                        continue;
                    }
                    if (scratch[i + 1] == '\n') i++;
                }
                keep(scratch, i + 1, k);
                skipping = false;
                return;
            }
            skipping = false;
        } finally {
            if (scratch.length == size && free.size() < 8) free.push(scratch);
        }
    }

    private void keep(byte[] b, int from, int to) {
        carryLen = to - from;
        if (carry.length < carryLen) carry = new byte[Math.max(carryLen, 1024)];
        System.arraycopy(b, from, carry, 0, carryLen);
    }

    /** Offset just after the last line end of buf[0, n) whose extent is certain, or 0. */
    static int lastLineEnd(byte[] buf, int n) {
        for (int i = n - 1; i >= 0; i--) {
            if (buf[i] == '\n') return i + 1;
            if (buf[i] == '\r' && i < n - 1) return i + 1; // followed by something other than LF
        }
        return 0;
    }

    /** Gives a block's buffer back for reuse; only when nothing reads it any more. */
    public void recycle(Block b) {
        if (!b.keep && b.buf.length == size && free.size() < 8) free.push(b.buf);
    }

    private byte[] take(int n) {
        if (n == size && !free.isEmpty()) return free.pop();
        return new byte[n];
    }
}
