package dev.leakdx.extract;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tokens and numbers of real rows, from Strings and from bytes. */
class RowBytesTest {
    @Test
    void tokensOfARow() {
        assertArrayEquals(new String[] {"fffff53480041380", "104e000", "ffff8ee241042a00", "0", "1", "fffffc0010200", "slab,head"},
                RowBytes.tokens(PageTableRows.P_SLAB_HEAD));
        assertArrayEquals(new String[] {"453795", "000fffffc0000000", "0000000000000000", "-1", "00000000"}, RowBytes.tokens(PageTableRows.M_UNIQ_C));
        assertEquals(0, RowBytes.tokens(" \t ").length);
        assertTrue(RowBytes.isNumber("fffff53480000000"));
        assertTrue(RowBytes.isNumber("-1"));
        assertFalse(RowBytes.isNumber("PAGE"));
        assertFalse(RowBytes.isNumber("-"));
        assertTrue(RowBytes.isDecimal("453795"));
        assertFalse(RowBytes.isDecimal("-1"));
    }

    @Test
    void scanFindsTheSameTokensAndTheNextLine() {
        String two = PageTableRows.M_POISON1 + "\r\n" + PageTableRows.M_RESERVED + "\n";
        byte[] b = two.getBytes(StandardCharsets.US_ASCII);
        RowBytes.Scan sc = new RowBytes.Scan(8);
        int next = RowBytes.scan(b, 0, b.length, sc);
        assertEquals(PageTableRows.M_POISON1.length() + 2, next, "past the CRLF");
        assertEquals(6, sc.nt);
        assertTrue(sc.ascii);
        assertEquals(PageTableRows.M_POISON1.length(), sc.end);
        String[] tok = RowBytes.tokens(PageTableRows.M_POISON1);
        for (int i = 0; i < 6; i++) assertEquals(tok[i], new String(b, sc.ts[i], sc.te[i] - sc.ts[i], StandardCharsets.US_ASCII));
        assertEquals(b.length, RowBytes.scan(b, next, b.length, sc));
        assertEquals(6, sc.nt);
    }

    @Test
    void numbersEightBytesAtATime() {
        byte[] b = PageTableRows.M_POISON1.getBytes(StandardCharsets.US_ASCII);
        long[] v = new long[1];
        assertTrue(RowBytes.hex(b, 0, 16, v));
        assertEquals(0xfffff53480041040L, v[0]);
        assertTrue(RowBytes.hex(b, 18, 34, v));
        assertEquals(0xdead000000000100L, v[0]);
        assertEquals(0x00000001L, RowBytes.hex8((long) RowBytes.LONG_LE.get(b, b.length - 8)));
        assertEquals(-1, RowBytes.hex8((long) RowBytes.LONG_LE.get(b, 10)), "'041040  ' has blanks");
        int minus = PageTableRows.M_POISON1.indexOf("-1");
        assertTrue(RowBytes.decimal(b, minus, minus + 2, v));
        assertEquals(-1, v[0]);
        assertTrue(RowBytes.numberToken(b, minus, minus + 2));
        byte[] p = "104e000".getBytes(StandardCharsets.US_ASCII);
        assertTrue(RowBytes.hex(p, 0, p.length, v), "crash's %8lx PHYSICAL, 7 digits");
        assertEquals(0x104e000L, v[0]);
        assertFalse(RowBytes.decimal(p, 0, p.length, v));
        byte[] rows = PageTableRows.bytes(PageTableRows.M_PFRAG_HEAD_AND_TAILS);
        int len = PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(2).length() - 16;
        int row2 = PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(0).length() + 1 + PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(1).length() + 1;
        int row3 = row2 + PageTableRows.M_PFRAG_HEAD_AND_TAILS.get(2).length() + 1;
        assertTrue(RowBytes.sameBytes(rows, row2 + 16, row3 + 16, len), "two tails differ only in PAGE");
        assertFalse(RowBytes.sameBytes(rows, 16, row2 + 16, len), "a head and a tail do not");
    }
}
