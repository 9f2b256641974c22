package dev.leakdx.extract;

import dev.leakdx.facts.PageTypesRow;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads page-types -l ("offset len flags", hex) and -L ("offset flags") lists, with the
 * "voffset" column of -p, and aggregates them by flags into the same {@link PageTypesRow}s the
 * summary gives: a list of a 512 GiB host has millions of ranges, the rules need the counts.
 *
 * <p>List rows print only the symbolic string, one character per defined KPF bit in bit order
 * (tools/mm/page-types.c page_flag_name()). The letters of bits 0-26 (L E R U D l A S W I B M a s b
 * H T G u X n x t o z i g) are all different, so each is decoded by its letter rather than its
 * position: that also reads strings trimmed by hand in write-ups (founding case 2 shows
 * "__RUDlA____a_b___t__", shorter than any tool prints) and the 4.x (26 letters) and 6.x (44+)
 * sets alike. Those bits cover everything the rules read (lru, active, mmap, anon, swapbacked,
 * compound head/tail, thp). From position 27 on come raw-mode bits 32+, whose letters repeat
 * lower ones (H is also arch_2): kept as text only. An unknown letter makes the row unreadable.
 * The summary that page-types appends after the list is read as summary rows.
 */
final class PageTypesListReader implements SectionReader {
    static final String LETTERS = "LERUDlASWIBMasbHTGuXnxtozig";

    private static final class Acc {
        long flags, pages, first = -1, last;
        String symbolic;
    }

    private final Section section;
    private final Sink sink;
    private final Map<String, Acc> bySymbol = new LinkedHashMap<>();
    private boolean summary, summarySeen;
    private int columns = 3; // offset len flags; 2 for -L; +1 with voffset
    private boolean hasLen = true;

    PageTypesListReader(Section section, Sink sink) {
        this.section = section;
        this.sink = sink;
    }

    @Override public void line(long no, String text) {
        String s = text.strip();
        if (s.isEmpty()) return;
        String[] t = RowBytes.tokens(s);
        if (t.length == 0) { // control characters only (found by the fuzz harness)
            sink.skipped(section.file(), no, text);
            return;
        }
        if (t[0].equals("voffset") || t[0].equals("offset")) {
            columns = t.length;
            hasLen = java.util.Arrays.asList(t).contains("len");
            return;
        }
        if (t[0].equals("flags") && t.length > 1 && t[1].equals("page-count")) {
            summary = true;
            return;
        }
        if (summary) {
            summaryRow(no, t, text);
            return;
        }
        try {
            if (t.length != columns) throw new IllegalArgumentException("columns");
            long len = hasLen ? Long.parseUnsignedLong(t[columns - 2], 16) : 1;
            String sym = t[columns - 1];
            long flags = decode(sym);
            Acc a = bySymbol.computeIfAbsent(sym, k -> new Acc());
            a.flags = flags;
            a.symbolic = sym;
            a.pages += len;
            if (a.first < 0) a.first = no;
            a.last = no;
        } catch (RuntimeException e) {
            sink.skipped(section.file(), no, text);
        }
    }

    private void summaryRow(long no, String[] t, String text) {
        if (t[0].equals("total")) return;
        try {
            if (!t[0].startsWith("0x") || t.length < 4) throw new IllegalArgumentException("row");
            sink.fact(new PageTypesRow(Long.parseUnsignedLong(t[0].substring(2), 16), Long.parseLong(t[1]), t[3],
                    t.length > 4 ? t[4] : "", section.at(no)));
            summarySeen = true;
        } catch (RuntimeException e) {
            sink.skipped(section.file(), no, text);
        }
    }

    static long decode(String symbolic) {
        long flags = 0;
        int n = Math.min(symbolic.length(), LETTERS.length());
        for (int i = 0; i < n; i++) {
            char c = symbolic.charAt(i);
            if (c == '_') continue;
            int bit = LETTERS.indexOf(c);
            if (bit < 0) throw new IllegalArgumentException("unknown page-types letter " + c + " at position " + i);
            flags |= 1L << bit;
        }
        return flags;
    }

    @Override public void end(long lastLine) {
        // page-types appends its summary of the same pages: it has the exact hex flags, so it wins
        if (summarySeen) return;
        for (Acc a : bySymbol.values())
            sink.fact(new PageTypesRow(a.flags, a.pages, a.symbolic, "", section.span(a.first, a.last)));
    }
}
