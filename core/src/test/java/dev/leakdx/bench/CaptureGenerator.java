package dev.leakdx.bench;

import org.tukaani.xz.LZMA2Options;
import org.tukaani.xz.XZOutputStream;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.TreeMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes synthetic but format-true page tables of a host with a chosen number of pages and page
 * size, with founding case 1's leak injected (CASES.md case 1: 661,713 pages with lru.next
 * LIST_POISON1, mapping 0, _mapcount -1, _refcount 0x0000ffff, spread over 17 node/zone values
 * in the high bits of flags), so a benchmark can time extraction at any scale and check the
 * answer. Deterministic: the same options give the same bytes.
 *
 * <p>Files (in {@code --out DIR}):
 * <ul>
 * <li>{@code kmem-m.txt} — {@code crash> kmem -m lru.next,flags,mapping,_mapcount,_refcount}: prompt,
 *   header, then one row per page ({@code %016lx} pointers, decimal _mapcount, {@code %08x}
 *   _refcount, two spaces apart), as crash 8 prints it (lab-pfrag's kmem-m.txt.xz);</li>
 * <li>{@code kmem-p.txt} — {@code crash> kmem -p}: PAGE PHYSICAL MAPPING INDEX CNT FLAGS[ names];</li>
 * <li>{@code page-types-l.txt} — {@code page-types -r -l}: "offset len flags" ranges of equal
 *   kpageflags, then page-types' summary of the same pages;</li>
 * <li>{@code session.txt} — a crash transcript with {@code kmem -i}, its counters computed from
 *   the generated pages (TOTAL MEM = rows - reserved, FREE = buddy pages, SLAB, CACHED, SHARED =
 *   non-reserved pages with _refcount &gt; 1, TOTAL HUGE = HUGE FREE = the free hugetlb pool);</li>
 * </ul>
 * and, beside the folder ({@code DIR.truth.properties}, or {@code --truth FILE}), what was injected
 * and generated, for the benchmark's check; it is kept out of the folder so that diagnosing the
 * folder reads only capture files.
 *
 * <p>The host (profile {@code case1}) is case 1's: at 8,362,460 pages of 64 KiB the hugetlb pool
 * holds 91.5% of RAM in free huge pages of PAGE_SIZE^2/8 (a head and its tails), the injected
 * population 661,713 pages, and the rest is slab (order 0 and compound), page cache and anon
 * pages on the LRU, other kernel pages (some page tables, some with _refcount 2), reserved pages
 * and free buddy blocks; other sizes scale these shares. Profile {@code mixed} is a busier
 * host: a quarter free, a quarter page cache, a fifth anon, 10% hugetlb.
 *
 * <p>Usage: {@code java -cp "$(bench/classpath.sh)" dev.leakdx.bench.CaptureGenerator
 * --out DIR [--pages N | --ram 512G] [--page-size 64K|4K] [--seed N] [--compress none|gz|xz]
 * [--tables m,p,l,i] [--population N] [--profile case1|mixed] [--crlf] [--truth FILE]}
 */
public final class CaptureGenerator {

    /** Case 1's 17 node/zone values (the high bits of flags) and the pages of each (kmem-m-grouped.txt of case 1). */
    static final long[] CASE1_HIGH = {
            0x3dfffff000000000L, 0x39fffff000000000L, 0x35fffff000000000L, 0x31fffff000000000L, 0x2dfffff000000000L,
            0x29fffff000000000L, 0x25fffff000000000L, 0x21fffff000000000L, 0x1dfffff000000000L, 0x19fffff000000000L,
            0x15fffff000000000L, 0x11fffff000000000L, 0x0dfffff000000000L, 0x09fffff000000000L, 0x05fffff000000000L,
            0x01fffff000000000L, 0x00fffff000000000L};
    static final long[] CASE1_COUNTS = {45788, 47697, 47075, 47022, 46971, 46808, 46892, 43058, 36569, 38351, 37636,
            30459, 37683, 37898, 37757, 15744, 18305};
    static final long CASE1_PAGES = 8_362_460L;
    static final long CASE1_POPULATION = 661_713L;

    static final long LIST_POISON1 = 0xdead000000000100L;
    static final long TAIL_MAPPING = 0xdead000000000400L;
    static final int REFCOUNT_USHRT_MAX = 0xffff;

    // struct page flag bits (include/linux/page-flags.h, 6.1)
    static final long PG_REFERENCED = 1L << 1, PG_UPTODATE = 1L << 2, PG_DIRTY = 1L << 3, PG_LRU = 1L << 4, PG_ACTIVE = 1L << 5,
            PG_SLAB = 1L << 9, PG_RESERVED = 1L << 12, PG_HEAD = 1L << 16, PG_MAPPEDTODISK = 1L << 17, PG_SWAPBACKED = 1L << 19;
    static final String[] PG_NAMES = {"locked", "referenced", "uptodate", "dirty", "lru", "active", "workingset", "waiters",
            "error", "slab", "owner_priv_1", "arch_1", "reserved", "private", "private_2", "writeback", "head", "mappedtodisk",
            "reclaim", "swapbacked", "unevictable", "mlocked"};

    // kpageflags (include/uapi/linux/kernel-page-flags.h); page-types prints one letter per named bit
    static final int KPF_REFERENCED = 2, KPF_UPTODATE = 3, KPF_DIRTY = 4, KPF_LRU = 5, KPF_ACTIVE = 6, KPF_SLAB = 7,
            KPF_BUDDY = 10, KPF_MMAP = 11, KPF_ANON = 12, KPF_SWAPBACKED = 14, KPF_COMPOUND_HEAD = 15, KPF_COMPOUND_TAIL = 16,
            KPF_HUGE = 17, KPF_PGTABLE = 26, KPF_RESERVED = 32, KPF_MAPPEDTODISK = 34;
    /** Letters of KPF bits 0-26, then of the raw bits 32-41, 47 and the 6.x additions, in page-types' order. */
    static final String KPF_LETTERS = "LERUDlASWIBMasbHTGuXnxtozig" + "rmdPpOhcfHdIPAEFw1";
    static final String[] KPF_NAMES = {"locked", "error", "referenced", "uptodate", "dirty", "lru", "active", "slab", "writeback",
            "reclaim", "buddy", "mmap", "anonymous", "swapcache", "swapbacked", "compound_head", "compound_tail", "huge",
            "unevictable", "hwpoison", "nopage", "ksm", "thp", "offline", "zero_page", "idle_page", "pgtable",
            "reserved", "mlocked", "mappedtodisk", "private", "private_2", "owner_private", "arch", "uncached", "softdirty",
            "arch_2", "anon_exclusive", "readahead", "slob_free", "slub_frozen", "slub_debug", "file", "swap", "mmap_exclusive"};
    /** KPF bit of each letter position. */
    static final int[] KPF_BIT_AT = new int[KPF_LETTERS.length()];
    static {
        for (int i = 0; i < 27; i++) KPF_BIT_AT[i] = i;
        int[] raw = {32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 47, 48, 49, 50, 51, 52, 53, 54};
        for (int i = 0; i < raw.length; i++) KPF_BIT_AT[27 + i] = raw[i];
    }

    /** What a generator run is asked for. */
    public static final class Options {
        public Path out, truth;
        public long pages = CASE1_PAGES;
        public int pageSize = 65536;
        public long seed = 1;
        public String compress = "none";
        public Set<String> tables = new LinkedHashSet<>(List.of("m", "i"));
        public long population = CASE1_POPULATION;
        public String profile = "case1";
        public boolean crlf;
        /** gzip level (1 = fastest; the default keeps an 11 GB table cheap to write). */
        public int gzipLevel = 1;

        boolean arm64() { return pageSize > 4096; }
    }

    /** Page kinds the layout is made of. */
    enum Kind { RESERVED, POPULATION, FREE, SLAB, FILE, ANON, KERNEL, HUGETLB }

    /** One page as the tables show it; reused for every page (the generator allocates nothing per row). */
    static final class Page {
        long pfn, addr, lru, flags, mapping, index;
        int mapcount, refcount;
        long kpf;
        Kind kind;
    }

    /** Counters of what was generated, for kmem -i and the truth file. */
    public static final class Counts {
        public long rows, reserved, free, slab, cached, anon, kernel, hugetlb, hugePages, shared, population, tails, heads;
        public final long[] populationByHigh = new long[CASE1_HIGH.length];
    }

    // ------------------------------------------------------------------------------------------------

    public static void main(String[] args) throws IOException {
        Options o = parse(args);
        long t0 = System.nanoTime();
        Counts c = generate(o);
        System.err.printf(Locale.ROOT, "generated %,d pages of %d KiB in %s (population %,d pages) in %.1f s%n", c.rows,
                o.pageSize / 1024, o.out, c.population, (System.nanoTime() - t0) / 1e9);
    }

    static Options parse(String[] args) {
        Options o = new Options();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--out" -> { o.out = Path.of(need(a, v)); i++; }
                case "--truth" -> { o.truth = Path.of(need(a, v)); i++; }
                case "--pages" -> { o.pages = Long.parseLong(need(a, v).replace(",", "").replace("_", "")); i++; }
                case "--ram" -> { o.pages = -size(need(a, v)); i++; }
                case "--page-size" -> { o.pageSize = (int) size(need(a, v)); i++; }
                case "--seed" -> { o.seed = Long.parseLong(need(a, v)); i++; }
                case "--compress" -> { o.compress = need(a, v); i++; }
                case "--gzip-level" -> { o.gzipLevel = Integer.parseInt(need(a, v)); i++; }
                case "--tables" -> { o.tables = new LinkedHashSet<>(List.of(need(a, v).split(","))); i++; }
                case "--population" -> { o.population = Long.parseLong(need(a, v).replace(",", "")); i++; }
                case "--profile" -> { o.profile = need(a, v); i++; }
                case "--crlf" -> o.crlf = true;
                case "-h", "--help" -> {
                    System.out.println("usage: CaptureGenerator --out DIR [--pages N | --ram 512G] [--page-size 64K|4K] [--seed N]\n"
                            + "       [--compress none|gz|xz] [--tables m,p,l,i] [--population N] [--profile case1|mixed] [--crlf] [--truth FILE]");
                    System.exit(0);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (o.out == null) throw new IllegalArgumentException("--out DIR is required");
        if (o.pages < 0) o.pages = -o.pages / o.pageSize; // --ram given before or after --page-size
        if (!o.compress.matches("none|gz|xz")) throw new IllegalArgumentException("--compress none|gz|xz");
        if (!o.profile.matches("case1|mixed")) throw new IllegalArgumentException("--profile case1|mixed");
        if (Long.bitCount(o.pageSize) != 1 || o.pageSize < 4096) throw new IllegalArgumentException("--page-size must be a power of two >= 4K");
        return o;
    }

    private static String need(String opt, String v) {
        if (v == null) throw new IllegalArgumentException(opt + " needs a value");
        return v;
    }

    static long size(String s) {
        String t = s.strip().toUpperCase(Locale.ROOT).replace("IB", "").replace("B", "");
        long mult = 1;
        if (t.endsWith("K")) mult = 1L << 10;
        else if (t.endsWith("M")) mult = 1L << 20;
        else if (t.endsWith("G")) mult = 1L << 30;
        else if (t.endsWith("T")) mult = 1L << 40;
        if (mult != 1) t = t.substring(0, t.length() - 1);
        return Long.parseLong(t) * mult;
    }

    /** Writes the requested tables and returns what was generated. */
    public static Counts generate(Options o) throws IOException {
        Files.createDirectories(o.out);
        String ext = switch (o.compress) { case "gz" -> ".gz"; case "xz" -> ".xz"; default -> ""; };
        List<TableWriter> writers = new ArrayList<>();
        try {
            if (o.tables.contains("m")) writers.add(new KmemM(open(o, o.out.resolve("kmem-m.txt" + ext)), o));
            if (o.tables.contains("p")) writers.add(new KmemP(open(o, o.out.resolve("kmem-p.txt" + ext)), o));
            if (o.tables.contains("l")) writers.add(new PageTypesList(open(o, o.out.resolve("page-types-l.txt" + ext)), o));
            for (TableWriter w : writers) w.begin();
            Layout layout = new Layout(o);
            Counts c = layout.walk(p -> { for (TableWriter w : writers) w.page(p); });
            for (TableWriter w : writers) w.end(c);
            for (TableWriter w : writers) w.out.close();
            writers.clear();
            if (o.tables.contains("i")) writeSession(o, c);
            writeTruth(o, c);
            return c;
        } finally {
            for (TableWriter w : writers) {
                try { w.out.close(); } catch (IOException ignored) { /* already failing */ }
            }
        }
    }

    // ------------------------------------------------------------------------------------------------
    // Layout: which page is what. The host is split into 17 node/zone ranges (case 1's flags values),
    // each into slots of one huge page (PAGE_SIZE^2/8 bytes); a slot is either a free hugetlb page or
    // is filled with small allocations drawn in runs by their remaining counts, so totals are exact.

    interface PageVisitor { void page(Page p); }

    static final class Layout {
        final Options o;
        final SplittableRandom rnd;
        final long hugePages; // base pages per huge page
        final int maxOrder;
        final long vmemmap, heap;
        final long[] high = CASE1_HIGH;

        Layout(Options o) {
            this.o = o;
            this.rnd = new SplittableRandom(o.seed);
            this.hugePages = (long) o.pageSize / 8; // PAGE_SIZE^2/8 bytes = PAGE_SIZE/8 pages
            this.maxOrder = o.arm64() ? 13 : 10;
            this.vmemmap = o.arm64() ? 0xffff7fe000000000L : 0xfffff53480000000L;
            this.heap = o.arm64() ? 0xffff000040000000L : 0xffff8ee240000000L;
        }

        long addr(long pfn) { return vmemmap + pfn * 64; }

        /** Per-kind totals of the small (non-hugetlb) pages for the whole host. */
        Map<Kind, Long> smallTotals() {
            double f = o.pages / (double) CASE1_PAGES;
            Map<Kind, Long> m = new LinkedHashMap<>();
            if (o.profile.equals("mixed")) {
                double n = o.pages;
                m.put(Kind.RESERVED, Math.round(n * 0.004));
                m.put(Kind.FREE, Math.round(n * 0.25));
                m.put(Kind.SLAB, Math.round(n * 0.05));
                m.put(Kind.FILE, Math.round(n * 0.25));
                m.put(Kind.ANON, Math.round(n * 0.20));
                m.put(Kind.KERNEL, Math.round(n * 0.04));
            } else {
                // case 1's kmem -i: SLAB 20,234, CACHED 1,328, FREE 29 of 8,362,460 pages; the other 27,828
                // pages not in hugetlb or the population are reserved, anon and other kernel pages
                m.put(Kind.RESERVED, Math.round(8_362 * f));
                m.put(Kind.FREE, Math.round(29 * f));
                m.put(Kind.SLAB, Math.round(20_234 * f));
                m.put(Kind.FILE, Math.round(1_328 * f));
                m.put(Kind.ANON, Math.round(9_000 * f));
                m.put(Kind.KERNEL, Math.round(10_466 * f));
            }
            return m;
        }

        Counts walk(PageVisitor v) {
            int nr = high.length;
            long[] pop = split(o.population, CASE1_COUNTS);
            Map<Kind, Long> totals = smallTotals();
            long slots = (o.pages + hugePages - 1) / hugePages;
            long[] rangeSlots = split(slots, ones(nr));
            Counts c = new Counts();
            Page p = new Page();
            long pfn = 0;
            Map<Kind, long[]> perRange = new LinkedHashMap<>();
            long[] rangePages = new long[nr];
            for (int r = 0; r < nr; r++) rangePages[r] = Math.min(rangeSlots[r] * hugePages, o.pages - pfnStart(rangeSlots, r));
            for (var e : totals.entrySet()) perRange.put(e.getKey(), split(e.getValue(), rangePages));
            for (int r = 0; r < nr; r++) {
                long size = rangePages[r];
                long[] need = new long[Kind.values().length];
                need[Kind.POPULATION.ordinal()] = pop[r];
                for (var e : perRange.entrySet()) need[e.getKey().ordinal()] = e.getValue()[r];
                long small = 0;
                for (long n : need) small += n;
                if (small > size)
                    throw new IllegalArgumentException("range " + r + " has " + size + " pages, too few for " + small
                            + " small pages: use more --pages or a smaller --population");
                long fullSlots = size / hugePages;
                long reservedSlots = (need[Kind.RESERVED.ordinal()] + hugePages - 1) / hugePages;
                long eligible = Math.max(0, fullSlots - reservedSlots);
                long huge = Math.min(eligible, (size - small) / hugePages);
                need[Kind.FREE.ordinal()] += size - small - huge * hugePages; // what hugetlb slots leave over is free
                long rangeEnd = pfn + size, hugeLeft = huge;
                RangeFill fill = new RangeFill(this, r, pfn, rangeEnd, need, p, v, c);
                fill.reserved(); // memblock reservations sit at the start of the range
                for (long slot = pfn; slot < rangeEnd; slot += hugePages) {
                    long slotEnd = Math.min(rangeEnd, slot + hugePages);
                    if (fill.next >= slotEnd) continue;
                    if (fill.next == slot && slotEnd - slot == hugePages) {
                        if (rnd.nextLong(eligible) < hugeLeft) {
                            fill.hugetlb(slot);
                            hugeLeft--;
                        } else {
                            fill.small(slot, slotEnd);
                        }
                        eligible--;
                    } else {
                        fill.small(fill.next, slotEnd);
                    }
                }
                if (fill.next != rangeEnd || fill.smallLeft() != 0 || hugeLeft != 0)
                    throw new IllegalStateException("layout of range " + r + " did not add up");
                pfn = rangeEnd;
            }
            return c;
        }

        private long pfnStart(long[] rangeSlots, int r) {
            long s = 0;
            for (int i = 0; i < r; i++) s += rangeSlots[i];
            return s * hugePages;
        }
    }

    /** Fills one node/zone range page by page. */
    static final class RangeFill {
        final Layout l;
        final int range;
        final long start, end, hi;
        final long[] need;
        final Page p;
        final PageVisitor v;
        final Counts c;
        final SplittableRandom rnd;
        long next; // next pfn to emit (reserved pages may run ahead of the slot walk)

        RangeFill(Layout l, int range, long start, long end, long[] need, Page p, PageVisitor v, Counts c) {
            this.l = l;
            this.range = range;
            this.start = start;
            this.end = end;
            this.hi = l.high[range];
            this.need = need;
            this.p = p;
            this.v = v;
            this.c = c;
            this.rnd = l.rnd;
            this.next = start;
        }

        long smallLeft() {
            long s = 0;
            for (long n : need) s += n;
            return s;
        }

        void reserved() {
            long n = need[Kind.RESERVED.ordinal()];
            // the reserved run only fills whole slots it starts; the slot walk continues after it
            for (long i = 0; i < n; i++) emitSimple(Kind.RESERVED);
            need[Kind.RESERVED.ordinal()] = 0;
        }

        void hugetlb(long pfn) {
            long head = l.addr(pfn);
            // a free huge page is on its hstate's free list: lru.next points at another free head's lru
            long other = l.addr(start + rnd.nextLong((end - start) / l.hugePages) * l.hugePages);
            set(pfn, Kind.HUGETLB, other == head ? l.heap + 0x1fa9ef0L : other + 8, hi | PG_HEAD, 0, 0, -1, 0,
                    1L << KPF_HUGE | 1L << KPF_COMPOUND_HEAD);
            emit();
            c.heads++;
            c.hugePages++;
            for (long i = 1; i < l.hugePages; i++) {
                set(pfn + i, Kind.HUGETLB, head | 1, hi, i == 1 ? l.hugePages << 32 : TAIL_MAPPING, 0, -1, 0,
                        1L << KPF_HUGE | 1L << KPF_COMPOUND_TAIL);
                emit();
                c.tails++;
            }
            c.hugetlb += l.hugePages;
            next = pfn + l.hugePages;
        }

        /** Fills [from, to) with small allocations drawn by their remaining counts. */
        void small(long from, long to) {
            while (from < to) {
                long left = smallLeft();
                if (left <= 0) throw new IllegalStateException("layout ran out of small pages in range " + range);
                long pick = rnd.nextLong(left);
                Kind k = null;
                for (Kind x : Kind.values()) {
                    pick -= need[x.ordinal()];
                    if (pick < 0) { k = x; break; }
                }
                long space = to - from;
                long avail = need[k.ordinal()];
                long run;
                switch (k) {
                    case POPULATION -> run = Math.min(Math.min(space, avail), 1 + rnd.nextInt(24));
                    case FILE, ANON -> run = Math.min(Math.min(space, avail), 1 + rnd.nextInt(16));
                    case KERNEL -> run = Math.min(Math.min(space, avail), 1 + rnd.nextInt(8));
                    case SLAB -> run = slab(from, space, avail);
                    case FREE -> run = buddy(from, space, avail);
                    default -> run = Math.min(space, avail);
                }
                if (k != Kind.SLAB && k != Kind.FREE) for (long i = 0; i < run; i++) emitSimple(k);
                need[k.ordinal()] -= run;
                from += run;
            }
        }

        private int orderCap(long pfn, long space, long avail) {
            int cap = Math.min(l.maxOrder, Long.numberOfTrailingZeros(pfn | (1L << 62)));
            while (cap > 0 && ((1L << cap) > space || (1L << cap) > avail)) cap--;
            return cap;
        }

        private long slab(long pfn, long space, long avail) {
            int order = rnd.nextInt(10) < 7 ? 0 : Math.min(1 + rnd.nextInt(3), orderCap(pfn, space, avail));
            long cache = l.heap + 0x1042000L + (rnd.nextInt(48) << 8);
            if (order == 0) {
                long lru = rnd.nextInt(4) == 0 ? l.addr(pfn) + 8 : l.addr(start + rnd.nextLong(end - start)) + 8;
                set(pfn, Kind.SLAB, lru, hi | PG_SLAB, cache, 0, -1, 1, 1L << KPF_SLAB);
                emit();
                c.slab++;
                return 1;
            }
            long n = 1L << order, head = l.addr(pfn);
            set(pfn, Kind.SLAB, 0, hi | PG_SLAB | PG_HEAD, cache, 0, -1, 1, 1L << KPF_SLAB | 1L << KPF_COMPOUND_HEAD);
            emit();
            c.heads++;
            for (long i = 1; i < n; i++) {
                set(pfn + i, Kind.SLAB, head | 1, hi, i == 1 ? n << 32 : TAIL_MAPPING, 0, -1, 0, 1L << KPF_SLAB | 1L << KPF_COMPOUND_TAIL);
                emit();
                c.tails++;
            }
            c.slab += n;
            return n;
        }

        private long buddy(long pfn, long space, long avail) {
            int cap = orderCap(pfn, space, avail);
            int order = cap == 0 ? 0 : rnd.nextInt(cap + 1);
            long n = 1L << order;
            long link = rnd.nextInt(3) == 0 ? l.heap + 0x7ea7310L + order * 0x58L : l.addr(start + rnd.nextLong(end - start)) + 8;
            // the first page of a free block carries PG_buddy (_mapcount -129) and sits on a free list
            set(pfn, Kind.FREE, link, hi, 0, 0, -129, 0, 1L << KPF_BUDDY);
            emit();
            for (long i = 1; i < n; i++) {
                set(pfn + i, Kind.FREE, l.addr(pfn + i) + 8, hi, 0, 0, -1, 0, 1L << KPF_BUDDY);
                emit();
            }
            c.free += n;
            return n;
        }

        private void emitSimple(Kind k) {
            long pfn = next;
            long self = l.addr(pfn) + 8;
            switch (k) {
                case RESERVED -> {
                    set(pfn, k, self, hi | PG_RESERVED, 0, 0, -1, 1, 1L << KPF_RESERVED);
                    c.reserved++;
                }
                case POPULATION -> {
                    set(pfn, k, LIST_POISON1, hi, 0, 0, -1, REFCOUNT_USHRT_MAX, 0);
                    c.population++;
                    c.populationByHigh[range]++;
                }
                case FILE -> {
                    boolean active = rnd.nextBoolean(), mapped = rnd.nextInt(4) == 0;
                    long flags = hi | PG_UPTODATE | PG_LRU | PG_MAPPEDTODISK | (active ? PG_ACTIVE | PG_REFERENCED : 0);
                    int mapcount = mapped ? rnd.nextInt(3) : -1;
                    long kpf = 1L << KPF_UPTODATE | 1L << KPF_LRU | 1L << KPF_MAPPEDTODISK
                            | (active ? 1L << KPF_ACTIVE | 1L << KPF_REFERENCED : 0) | (mapped ? 1L << KPF_MMAP : 0);
                    set(pfn, k, lruNeighbour(), flags, l.heap + 0x1913928L + (rnd.nextInt(256) << 10), rnd.nextInt(1 << 16),
                            mapcount, mapcount + 2, kpf);
                    c.cached++;
                }
                case ANON -> {
                    boolean active = rnd.nextBoolean();
                    long flags = hi | PG_UPTODATE | PG_LRU | PG_SWAPBACKED | PG_DIRTY | (active ? PG_ACTIVE | PG_REFERENCED : 0);
                    long kpf = 1L << KPF_UPTODATE | 1L << KPF_LRU | 1L << KPF_ANON | 1L << KPF_SWAPBACKED | 1L << KPF_MMAP
                            | 1L << KPF_DIRTY | (active ? 1L << KPF_ACTIVE | 1L << KPF_REFERENCED : 0);
                    set(pfn, k, lruNeighbour(), flags, l.heap + 0x27af479L + ((long) rnd.nextInt(4096) << 6), 0x7f0000000L + rnd.nextInt(1 << 20),
                            0, 1, kpf);
                    c.anon++;
                }
                case KERNEL -> {
                    int r = rnd.nextInt(100);
                    if (r < 5) set(pfn, k, 0, hi, 0, 0, -513, 1, 1L << KPF_PGTABLE); // page table: PG_table page type
                    else if (r < 50) set(pfn, k, self, hi, 0, 0, -1, 2, 0);
                    else set(pfn, k, r < 80 ? self : 0, hi, 0, 0, -1, 1, 0);
                    c.kernel++;
                }
                default -> throw new IllegalStateException(k.name());
            }
            emit();
        }

        private long lruNeighbour() {
            long other = start + rnd.nextLong(end - start);
            if (other == next) other = other + 1 < end ? other + 1 : start;
            return l.addr(other) + 8;
        }

        private void set(long pfn, Kind k, long lru, long flags, long mapping, long index, int mapcount, int refcount, long kpf) {
            p.pfn = pfn;
            p.addr = l.addr(pfn);
            p.kind = k;
            p.lru = lru;
            p.flags = flags;
            p.mapping = mapping;
            p.index = index;
            p.mapcount = mapcount;
            p.refcount = refcount;
            p.kpf = kpf;
        }

        private void emit() {
            if (p.pfn != next) throw new IllegalStateException("layout skipped from pfn " + next + " to " + p.pfn);
            next = p.pfn + 1;
            c.rows++;
            if (p.refcount > 1 && p.kind != Kind.RESERVED) c.shared++;
            v.page(p);
        }
    }

    /** Splits total into parts proportional to weights, summing exactly to total (largest remainder). */
    static long[] split(long total, long[] weights) {
        long[] out = new long[weights.length];
        double sum = 0;
        for (long w : weights) sum += w;
        long given = 0;
        double[] rest = new double[weights.length];
        for (int i = 0; i < weights.length; i++) {
            double exact = sum == 0 ? 0 : total * (weights[i] / sum);
            out[i] = (long) Math.floor(exact);
            rest[i] = exact - out[i];
            given += out[i];
        }
        while (given < total) {
            int best = 0;
            for (int i = 1; i < rest.length; i++) if (rest[i] > rest[best]) best = i;
            out[best]++;
            rest[best] = -1;
            given++;
        }
        return out;
    }

    private static long[] ones(int n) {
        long[] a = new long[n];
        java.util.Arrays.fill(a, 1);
        return a;
    }

    // ------------------------------------------------------------------------------------------------
    // Output: rows are formatted into a byte buffer by hand (no String per row); a background thread
    // compresses and writes full buffers, so formatting and compression use both cores.

    static OutputStream open(Options o, Path file) throws IOException {
        OutputStream raw = new BufferedOutputStream(Files.newOutputStream(file), 1 << 20);
        OutputStream z = switch (o.compress) {
            case "gz" -> new GZIPOutputStream(raw, 1 << 16) {{ def.setLevel(o.gzipLevel); }};
            case "xz" -> new XZOutputStream(raw, new LZMA2Options(1));
            default -> raw;
        };
        return new AsyncOut(z);
    }

    /** An output stream whose writes to {@code out} happen on a background thread, a full buffer at a time. */
    static final class AsyncOut extends OutputStream {
        private record Block(byte[] bytes, int length) {}

        private static final Block END = new Block(new byte[0], 0);
        private final BlockingQueue<Block> full = new ArrayBlockingQueue<>(4);
        private final BlockingQueue<byte[]> free = new ArrayBlockingQueue<>(8);
        private final Thread writer;
        private volatile Throwable failed;
        byte[] buf = new byte[1 << 20];
        int n;

        AsyncOut(OutputStream out) {
            writer = new Thread(() -> {
                try (out) {
                    while (true) {
                        Block b = full.take();
                        if (b == END) break;
                        out.write(b.bytes(), 0, b.length());
                        free.offer(b.bytes());
                    }
                } catch (Throwable t) {
                    failed = t;
                    full.clear();
                }
            }, "generator-writer");
            writer.setDaemon(true);
            writer.start();
        }

        @Override public void write(int b) throws IOException {
            if (n == buf.length) flushBuffer();
            buf[n++] = (byte) b;
        }

        @Override public void write(byte[] b, int off, int len) throws IOException {
            while (len > 0) {
                if (n == buf.length) flushBuffer();
                int k = Math.min(len, buf.length - n);
                System.arraycopy(b, off, buf, n, k);
                n += k;
                off += k;
                len -= k;
            }
        }

        /** Room for at least {@code k} more bytes in {@link #buf} at {@link #n}. */
        void ensure(int k) throws IOException {
            if (buf.length - n < k) flushBuffer();
        }

        private void flushBuffer() throws IOException {
            check();
            if (n == 0) return;
            try {
                full.put(new Block(buf, n));
                byte[] next = free.poll();
                buf = next != null ? next : new byte[1 << 20];
                n = 0;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
        }

        private void check() throws IOException {
            if (failed != null) throw new IOException("writing failed: " + failed.getMessage(), failed);
        }

        @Override public void close() throws IOException {
            flushBuffer();
            try {
                full.put(END);
                writer.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted", e);
            }
            check();
        }
    }

    /** One output table: formats each page (or range of pages) into its own stream. */
    abstract static class TableWriter {
        static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);
        final AsyncOut out;
        final Options o;
        final byte[] eol;

        TableWriter(OutputStream out, Options o) {
            this.out = (AsyncOut) out;
            this.o = o;
            this.eol = o.crlf ? new byte[] {'\r', '\n'} : new byte[] {'\n'};
        }

        abstract void begin() throws IOException;

        abstract void page(Page p);

        void end(Counts c) throws IOException {}

        void text(String s) throws IOException {
            out.write(s.replace("\n", new String(eol, StandardCharsets.US_ASCII)).getBytes(StandardCharsets.US_ASCII));
        }

        // --- formatting into out.buf at out.n (callers ensure room) ---
        void hex16(long v) {
            byte[] b = out.buf;
            int at = out.n;
            for (int i = 15; i >= 0; i--) {
                b[at + i] = HEX[(int) (v & 15)];
                v >>>= 4;
            }
            out.n = at + 16;
        }

        void hex8(int v) {
            byte[] b = out.buf;
            int at = out.n;
            for (int i = 7; i >= 0; i--) {
                b[at + i] = HEX[v & 15];
                v >>>= 4;
            }
            out.n = at + 8;
        }

        /** %lx, right-justified in {@code width} (wider values are printed whole, as crash's mkstring does). */
        void hexRight(long v, int width) {
            int digits = v == 0 ? 1 : (64 - Long.numberOfLeadingZeros(v) + 3) / 4;
            spaces(width - digits);
            byte[] b = out.buf;
            int at = out.n;
            for (int i = digits - 1; i >= 0; i--) {
                b[at + i] = HEX[(int) (v & 15)];
                v >>>= 4;
            }
            out.n = at + digits;
        }

        void decRight(long v, int width) {
            int at = out.n;
            byte[] tmp = new byte[20];
            int k = 0;
            boolean neg = v < 0;
            long x = Math.abs(v);
            do {
                tmp[k++] = (byte) ('0' + x % 10);
                x /= 10;
            } while (x > 0);
            if (neg) tmp[k++] = '-';
            out.n = at;
            spaces(width - k);
            byte[] b = out.buf;
            for (int i = k - 1; i >= 0; i--) b[out.n++] = tmp[i];
        }

        void spaces(int k) {
            byte[] b = out.buf;
            for (int i = 0; i < k; i++) b[out.n++] = ' ';
        }

        void ascii(String s) {
            byte[] b = out.buf;
            for (int i = 0; i < s.length(); i++) b[out.n++] = (byte) s.charAt(i);
        }

        void eol() {
            for (byte x : eol) out.buf[out.n++] = x;
        }

        void ensure(int k) {
            try {
                out.ensure(k);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** {@code kmem -m lru.next,flags,mapping,_mapcount,_refcount}: members two spaces apart, _refcount last. */
    static final class KmemM extends TableWriter {
        KmemM(OutputStream out, Options o) { super(out, o); }

        @Override void begin() throws IOException {
            text("crash> kmem -m lru.next,flags,mapping,_mapcount,_refcount\n"
                    + "      PAGE        lru.next  flags  mapping  _mapcount  _refcount\n");
        }

        @Override void page(Page p) {
            ensure(128);
            hex16(p.addr);
            spaces(2);
            hex16(p.lru);
            spaces(2);
            hex16(p.flags);
            spaces(2);
            hex16(p.mapping);
            spaces(2);
            decRight(p.mapcount, 0);
            spaces(2);
            hex8(p.refcount);
            eol();
        }
    }

    /** {@code kmem -p}: PAGE, PHYSICAL (%8lx), MAPPING (%16lx), INDEX (%8lx), CNT (%2d), FLAGS (%lx) and flag names. */
    static final class KmemP extends TableWriter {
        private final Map<Long, String> names = new java.util.HashMap<>();

        KmemP(OutputStream out, Options o) { super(out, o); }

        @Override void begin() throws IOException {
            text("crash> kmem -p\n      PAGE       PHYSICAL      MAPPING       INDEX CNT FLAGS\n");
        }

        @Override void page(Page p) {
            String n = names.computeIfAbsent(p.flags & 0xffffffL, CaptureGenerator::flagNames);
            ensure(160 + n.length());
            hex16(p.addr);
            spaces(1);
            hexRight(p.pfn * o.pageSize, 8);
            spaces(1);
            hexRight(p.mapping, 16);
            spaces(1);
            hexRight(p.index, 8);
            spaces(1);
            decRight(p.refcount, 2);
            spaces(1);
            hexRight(p.flags, 0);
            if (!n.isEmpty()) {
                spaces(1);
                ascii(n);
            }
            eol();
        }
    }

    static String flagNames(long flags) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < PG_NAMES.length; i++) if ((flags & (1L << i)) != 0) b.append(b.length() > 0 ? "," : "").append(PG_NAMES[i]);
        return b.toString();
    }

    /** {@code page-types -r -l}: ranges of pages with equal kpageflags, then the summary page-types prints after them. */
    static final class PageTypesList extends TableWriter {
        private final Map<Long, String> symbols = new java.util.HashMap<>();
        private final Map<Long, long[]> summary = new TreeMap<>(Long::compareUnsigned);
        private long runStart = -1, runLen, runKpf;

        PageTypesList(OutputStream out, Options o) { super(out, o); }

        @Override void begin() throws IOException { text("offset\tlen\tflags\n"); }

        @Override void page(Page p) {
            summary.computeIfAbsent(p.kpf, k -> new long[1])[0]++;
            if (runStart >= 0 && p.kpf == runKpf && p.pfn == runStart + runLen) {
                runLen++;
                return;
            }
            flushRun();
            runStart = p.pfn;
            runLen = 1;
            runKpf = p.kpf;
        }

        private void flushRun() {
            if (runStart < 0) return;
            String sym = symbols.computeIfAbsent(runKpf, CaptureGenerator::kpfSymbolic);
            ensure(64 + sym.length());
            hexRight(runStart, 0);
            out.buf[out.n++] = '\t';
            hexRight(runLen, 0);
            out.buf[out.n++] = '\t';
            ascii(sym);
            eol();
        }

        @Override void end(Counts c) throws IOException {
            flushRun();
            StringBuilder b = new StringBuilder("\n\n             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags\n");
            long total = 0;
            for (var e : summary.entrySet()) {
                long n = e.getValue()[0];
                total += n;
                b.append(String.format(Locale.ROOT, "0x%016x\t%10d %8d  %s\t%s%n", e.getKey(), n, n * o.pageSize >> 20,
                        kpfSymbolic(e.getKey()), kpfLong(e.getKey())));
            }
            b.append(String.format(Locale.ROOT, "             total\t%10d %8d%n", total, total * o.pageSize >> 20));
            text(b.toString().replace("\r\n", "\n"));
        }
    }

    static String kpfSymbolic(long kpf) {
        char[] s = new char[KPF_LETTERS.length()];
        for (int i = 0; i < s.length; i++) s[i] = (kpf & (1L << KPF_BIT_AT[i])) != 0 ? KPF_LETTERS.charAt(i) : '_';
        return new String(s);
    }

    static String kpfLong(long kpf) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < KPF_LETTERS.length(); i++)
            if ((kpf & (1L << KPF_BIT_AT[i])) != 0) b.append(b.length() > 0 ? "," : "").append(KPF_NAMES[i]);
        return b.toString();
    }

    // ------------------------------------------------------------------------------------------------

    /** crash's pages_to_size(): one decimal, ".0" dropped, binary multiples with KB/MB/GB suffixes. */
    static String crashSize(long pages, long pageSize) {
        long bytes = pages * pageSize;
        if (bytes == 0) return "0";
        String[] unit = {"KB", "MB", "GB", "TB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < unit.length - 1) {
            v /= 1024;
            u++;
        }
        if (u < 0) return Long.toString(bytes);
        String s = String.format(Locale.ROOT, "%.1f", v);
        if (s.endsWith(".0")) s = s.substring(0, s.length() - 2);
        return s + " " + unit[u];
    }

    static void writeSession(Options o, Counts c) throws IOException {
        long total = c.rows - c.reserved;
        long used = total - c.free;
        long commitLimit = (total - c.hugetlb) / 2;
        long committed = Math.max(1, c.anon + c.cached / 4);
        StringBuilder b = new StringBuilder("crash> kmem -i\n                 PAGES        TOTAL      PERCENTAGE\n");
        b.append(row("TOTAL MEM", total, o, -1, null));
        b.append(row("FREE", c.free, o, total, "TOTAL MEM"));
        b.append(row("USED", used, o, total, "TOTAL MEM"));
        b.append(row("SHARED", c.shared, o, total, "TOTAL MEM"));
        b.append(row("BUFFERS", 0, o, total, "TOTAL MEM"));
        b.append(row("CACHED", c.cached, o, total, "TOTAL MEM"));
        b.append(row("SLAB", c.slab, o, total, "TOTAL MEM"));
        b.append('\n');
        b.append(row("TOTAL HUGE", c.hugetlb, o, -1, null));
        b.append(row("HUGE FREE", c.hugetlb, o, c.hugetlb, "TOTAL HUGE"));
        b.append('\n');
        b.append(row("TOTAL SWAP", 0, o, -1, null));
        b.append(row("SWAP USED", 0, o, 0, "TOTAL SWAP"));
        b.append(row("SWAP FREE", 0, o, 0, "TOTAL SWAP"));
        b.append('\n');
        b.append(row("COMMIT LIMIT", commitLimit, o, -1, null));
        b.append(row("COMMITTED", committed, o, commitLimit, "TOTAL LIMIT"));
        b.append('\n');
        String s = b.toString();
        if (o.crlf) s = s.replace("\n", "\r\n");
        Files.writeString(o.out.resolve("session.txt"), s, StandardCharsets.US_ASCII);
    }

    private static String row(String name, long pages, Options o, long of, String ofName) {
        String pct = of < 0 ? "        ----" : String.format(Locale.ROOT, "  %3d%% of %s", of == 0 ? 0 : pages * 100 / of, ofName);
        return String.format(Locale.ROOT, "%13s  %7d  %11s%s%n", name, pages, crashSize(pages, o.pageSize), of < 0 ? " " + pct : pct)
                .replace("\r\n", "\n");
    }

    static Path truthFile(Options o) {
        if (o.truth != null) return o.truth;
        Path abs = o.out.toAbsolutePath().normalize();
        return abs.resolveSibling(abs.getFileName() + ".truth.properties");
    }

    static void writeTruth(Options o, Counts c) throws IOException {
        StringBuilder b = new StringBuilder("# what CaptureGenerator injected and generated (seed " + o.seed + ")\n");
        b.append("page_size=").append(o.pageSize).append('\n');
        b.append("rows=").append(c.rows).append('\n');
        b.append("population_pages=").append(c.population).append('\n');
        b.append("population_bytes=").append(c.population * o.pageSize).append('\n');
        b.append("population_refcount=0xffff\n");
        b.append("population_node_zone_values=").append(java.util.Arrays.stream(c.populationByHigh).filter(x -> x > 0).count()).append('\n');
        b.append("total_mem_pages=").append(c.rows - c.reserved).append('\n');
        b.append("reserved_pages=").append(c.reserved).append('\n');
        b.append("free_pages=").append(c.free).append('\n');
        b.append("slab_pages=").append(c.slab).append('\n');
        b.append("cached_pages=").append(c.cached).append('\n');
        b.append("anon_pages=").append(c.anon).append('\n');
        b.append("kernel_pages=").append(c.kernel).append('\n');
        b.append("hugetlb_pages=").append(c.hugetlb).append('\n');
        b.append("huge_pages=").append(c.hugePages).append('\n');
        b.append("shared_pages=").append(c.shared).append('\n');
        b.append("compound_heads=").append(c.heads).append('\n');
        b.append("compound_tails=").append(c.tails).append('\n');
        Files.writeString(truthFile(o), b.toString(), StandardCharsets.US_ASCII);
    }
}
