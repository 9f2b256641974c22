package dev.leakdx.extract;

import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.Units;

import java.util.HashMap;
import java.util.Map;

/**
 * Infers struct page size and page size from a table's first rows: consecutive PAGE addresses are
 * sizeof(struct page) apart (64 bytes on most 64-bit configs, more with debug options), consecutive
 * kmem -p PHYSICAL addresses PAGE_SIZE apart, and a row at physical 0 gives mem_map's base. The
 * dominant stride of the first {@link #STRIDE_ROWS} rows counts, so holes between memory sections
 * and a reordered excerpt do not (a sorted or grouped excerpt is not tracked at all). Never assume
 * 4 KiB pages (DESIGN.md): these are HostFacts, with the rows that show them.
 */
final class PageStrides {
    /** Rows whose strides are looked at. */
    static final int STRIDE_ROWS = 4096;

    private final boolean reordered;
    private long prevPage = -1, prevPhys = -1, rows;
    private final Map<Long, Long> pageStrides = new HashMap<>(), physStrides = new HashMap<>();
    private long firstPage = -1, firstPhys = -1, firstRowLine;

    /** {@code reordered}: the rows went through sort or the like, so neighbours are not neighbours in memory. */
    PageStrides(boolean reordered) { this.reordered = reordered; }

    /** A row with a PAGE column read at line {@code no} (phys -1: none, as in kmem -m). */
    void track(long page, long phys, long no) {
        if (page == -1 || reordered) return;
        rows++;
        if (firstPage == -1) { firstPage = page; firstPhys = phys; firstRowLine = no; }
        if (prevPage != -1 && Long.compareUnsigned(page, prevPage) > 0 && rows < STRIDE_ROWS) pageStrides.merge(page - prevPage, 1L, Long::sum);
        if (phys >= 0 && prevPhys >= 0 && phys > prevPhys && rows < STRIDE_ROWS) physStrides.merge(phys - prevPhys, 1L, Long::sum);
        prevPage = page;
        prevPhys = phys;
    }

    /** A chunk's rows, in file order: its first rows (all that can matter) and how many more there were. */
    void replay(Sample s, long base) {
        if (reordered) return;
        for (int i = 0; i < s.nTracked; i++) track(s.tPage[i], s.tPhys[i], base + s.tLine[i]);
        rows += s.tracked - s.nTracked;
    }

    /** The HostFacts the strides show, if they agree. */
    void emit(Sink sink, Section section) {
        Long stride = dominant(pageStrides);
        if (stride != null && stride >= 32 && stride <= 256) {
            sink.fact(new HostFact("struct_page_size", Long.toString(stride),
                    "consecutive PAGE addresses of " + section.baseCommand() + " are " + Units.hex(stride) + " apart",
                    section.span(firstRowLine, firstRowLine + 1)));
        }
        Long ps = dominant(physStrides);
        if (ps != null && Units.isPowerOfTwo(ps) && ps >= 4096) {
            sink.fact(new HostFact("page_size", Long.toString(ps),
                    "consecutive PHYSICAL addresses of kmem -p are " + Units.hex(ps) + " apart", section.span(firstRowLine, firstRowLine + 1)));
            if (firstPhys == 0)
                sink.fact(new HostFact("mem_map_base", Units.hex(firstPage), "kmem -p: the struct page of physical address 0",
                        section.span(firstRowLine, firstRowLine)));
        }
    }

    /** The stride of more than half of at least two, or null. */
    static Long dominant(Map<Long, Long> strides) {
        Long best = null;
        long n = 0, total = 0;
        for (var e : strides.entrySet()) {
            total += e.getValue();
            if (e.getValue() > n) { n = e.getValue(); best = e.getKey(); }
        }
        return total >= 2 && n * 2 > total ? best : null;
    }

    /** A chunk's tracked rows: the first {@link #STRIDE_ROWS} kept (line numbers from the chunk's start), the rest counted. */
    static final class Sample {
        long tracked;
        long[] tPage = new long[0], tPhys = new long[0], tLine = new long[0];
        int nTracked;

        void add(long page, long phys, long no) {
            if (page == -1) return;
            tracked++;
            if (nTracked < STRIDE_ROWS) {
                if (nTracked == tPage.length) {
                    int n = Math.max(64, tPage.length * 2);
                    tPage = java.util.Arrays.copyOf(tPage, n);
                    tPhys = java.util.Arrays.copyOf(tPhys, n);
                    tLine = java.util.Arrays.copyOf(tLine, n);
                }
                tPage[nTracked] = page;
                tPhys[nTracked] = phys;
                tLine[nTracked] = no;
                nTracked++;
            }
        }
    }
}
