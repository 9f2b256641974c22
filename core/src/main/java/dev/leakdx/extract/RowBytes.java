package dev.leakdx.extract;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/**
 * The tokens and numbers of one page-table row, from a String or straight from the bytes of a
 * block. A table of a 512 GiB host has 134 M rows, so these run billions of times: no regex, no
 * allocation per token, hex digits checked and converted eight bytes at a time in one 64-bit word
 * (crash prints pointers as %016lx, two words each). Anything they do not accept (a sign where
 * none belongs, a 17-digit number, a non-ASCII byte) makes the caller fall back to the String
 * route, which decides exactly as reading the table line by line does.
 */
final class RowBytes {
    private RowBytes() {}

    static final VarHandle LONG_LE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    static final long HIGH_BITS = 0x8080808080808080L;
    private static final byte[] HEXVAL = new byte[256];
    static {
        java.util.Arrays.fill(HEXVAL, (byte) -1);
        for (int i = 0; i < 10; i++) HEXVAL['0' + i] = (byte) i;
        for (int i = 0; i < 6; i++) {
            HEXVAL['a' + i] = (byte) (10 + i);
            HEXVAL['A' + i] = (byte) (10 + i);
        }
    }

    /** Whitespace split without a regex: this runs once per row of tables with hundreds of millions of rows. */
    static String[] tokens(String s) {
        int n = 0, len = s.length();
        for (int i = 0; i < len; ) {
            while (i < len && s.charAt(i) <= ' ') i++;
            if (i == len) break;
            n++;
            while (i < len && s.charAt(i) > ' ') i++;
        }
        String[] out = new String[n];
        int k = 0;
        for (int i = 0; i < len; ) {
            while (i < len && s.charAt(i) <= ' ') i++;
            if (i == len) break;
            int st = i;
            while (i < len && s.charAt(i) > ' ') i++;
            out[k++] = s.substring(st, i);
        }
        return out;
    }

    /** A hex number, maybe negative: what a row starts with (PAGE, lru.next of an excerpt, a count). */
    static boolean isNumber(String t) {
        int i = t.startsWith("-") ? 1 : 0;
        if (i == t.length()) return false;
        for (; i < t.length(); i++) if (Character.digit(t.charAt(i), 16) < 0) return false;
        return true;
    }

    static boolean isDecimal(String t) {
        if (t.isEmpty()) return false;
        for (int i = 0; i < t.length(); i++) if (t.charAt(i) < '0' || t.charAt(i) > '9') return false;
        return true;
    }

    /** Where one line's tokens are. */
    static final class Scan {
        final int[] ts, te;
        final long[] v = new long[1];
        int end, nt;
        boolean ascii;

        Scan(int max) {
            ts = new int[max];
            te = new int[max];
        }
    }

    /**
     * Finds the line at {@code pos}: its end, and its tokens (split at bytes up to ' '). Returns the
     * next line's start. Token ends are found eight bytes at a time (a byte below 0x21 in a word).
     */
    static int scan(byte[] buf, int pos, int to, Scan sc) {
        int[] ts = sc.ts, te = sc.te;
        int max = ts.length, nt = 0, i = pos;
        boolean ascii = true;
        while (true) {
            int b = 0;
            while (i < to) {
                b = buf[i];
                if (b < 0 || b > ' ' || b == '\n' || b == '\r') break;
                i++;
            }
            if (i >= to || b == '\n' || b == '\r') break;
            if (nt < max) ts[nt] = i;
            boolean found = false;
            while (i + 8 <= to) {
                long x = (long) LONG_LE.get(buf, i);
                if ((x & HIGH_BITS) != 0) break;
                long sep = ~(x + 0x5f5f5f5f5f5f5f5fL) & HIGH_BITS; // bytes below 0x21
                if (sep != 0) {
                    i += Long.numberOfTrailingZeros(sep) >>> 3;
                    found = true;
                    break;
                }
                i += 8;
            }
            if (!found) {
                while (i < to) {
                    b = buf[i];
                    if (b >= 0 && b <= ' ') break;
                    if (b < 0) ascii = false;
                    i++;
                }
            }
            if (nt < max) te[nt] = i;
            nt++;
        }
        sc.end = i;
        sc.nt = nt;
        sc.ascii = ascii && nt <= max;
        if (i < to) i += buf[i] == '\r' && i + 1 < to && buf[i + 1] == '\n' ? 2 : 1;
        return i;
    }

    /** Eight ASCII hex digits (the first in the lowest byte) as a number, or -1 if they are not all hex digits. */
    static long hex8(long x) {
        if ((x & HIGH_BITS) != 0) return -1;
        long t = x | 0x2020202020202020L; // A-F as a-f; digits keep their value
        long digit = (t + 0x5050505050505050L) & ~(t + 0x4646464646464646L); // 0x30..0x39
        long alpha = (t + 0x1f1f1f1f1f1f1f1fL) & ~(t + 0x1919191919191919L); // 0x61..0x66
        if (((digit | alpha) & HIGH_BITS) != HIGH_BITS) return -1;
        long n = (t & 0x0f0f0f0f0f0f0f0fL) + 9 * ((t >>> 6) & 0x0101010101010101L);
        n = Long.reverseBytes(n);
        n = (n | (n >>> 4)) & 0x00ff00ff00ff00ffL;
        n = (n | (n >>> 8)) & 0x0000ffff0000ffffL;
        return (n | (n >>> 16)) & 0xffffffffL;
    }

    static boolean numberToken(byte[] b, int s, int e) {
        int i = b[s] == '-' ? s + 1 : s;
        if (i == e) return false;
        for (; i < e; i++) if (HEXVAL[b[i] & 0xff] < 0) return false;
        return true;
    }

    /** An unsigned hex number of 1-16 digits into out[0]; false if it is not one (the String route decides). */
    static boolean hex(byte[] b, int s, int e, long[] out) {
        int n = e - s;
        if (n == 16 && s + 16 <= b.length) {
            long hi = hex8((long) LONG_LE.get(b, s)), lo = hex8((long) LONG_LE.get(b, s + 8));
            if ((hi | lo) < 0) return false;
            out[0] = hi << 32 | lo;
            return true;
        }
        if (n == 8 && s + 8 <= b.length) {
            long v = hex8((long) LONG_LE.get(b, s));
            if (v < 0) return false;
            out[0] = v;
            return true;
        }
        if (n < 1 || n > 16) return false;
        long v = 0;
        for (int i = s; i < e; i++) {
            int d = HEXVAL[b[i] & 0xff];
            if (d < 0) return false;
            v = v << 4 | d;
        }
        out[0] = v;
        return true;
    }

    /** A decimal of at most 18 digits, maybe negative, into out[0]; false if it is not one. */
    static boolean decimal(byte[] b, int s, int e, long[] out) {
        boolean neg = b[s] == '-';
        int i = neg ? s + 1 : s;
        if (i == e || e - i > 18) return false;
        long v = 0;
        for (; i < e; i++) {
            int d = b[i] - '0';
            if (d < 0 || d > 9) return false;
            v = v * 10 + d;
        }
        out[0] = neg ? -v : v;
        return true;
    }

    static boolean sameBytes(byte[] b, int x, int y, int len) {
        int i = 0;
        for (; i + 8 <= len; i += 8) if ((long) LONG_LE.get(b, x + i) != (long) LONG_LE.get(b, y + i)) return false;
        for (; i < len; i++) if (b[x + i] != b[y + i]) return false;
        return true;
    }
}
