package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakdx.facts.Units;

import java.util.ArrayList;
import java.util.List;

/**
 * Names what the two struct page words that key a {@link dev.leakdx.facts.PageGroup} hold, as the
 * kernel overlays them: {@code lru.next} (a list pointer, an empty list_head pointing at its own
 * page, LIST_POISON1 of a page taken off a list, PP_SIGNATURE of a page_pool page, or
 * {@code compound_head | 1} of a compound tail) and {@code mapping} (NULL, an address_space, or
 * an anon_vma / KSM / movable_operations pointer tagged by the PAGE_MAPPING_* low bits, or a
 * poison value such as TAIL_MAPPING). Classes, not raw pointers, are what group keys hold, so the
 * millions of distinct list pointers of a table fold into a few groups.
 *
 * <p>Poison values are POISON_POINTER_DELTA plus an offset (include/linux/poison.h); the delta is
 * per arch and config, so the spec gives it ({@code poison_pointer_delta}, 0xdead000000000000 by
 * default). The codes index {@link #LRU_CLASSES} and {@link #MAP_CLASSES}: rows carry an int, the
 * string is looked up once per group.
 */
final class PageWordClassifier {
    static final String[] LRU_CLASSES = {"", "ZERO", "LIST_POISON1", "PAGE_POOL", "TAIL", "SELF", "POISON", "POINTER"};
    static final int LRU_NONE = 0, LRU_ZERO = 1, LRU_POISON1 = 2, LRU_PAGE_POOL = 3, LRU_TAIL = 4, LRU_SELF = 5, LRU_POISON = 6, LRU_POINTER = 7;
    static final String[] MAP_CLASSES = {"", "NULL", "POISON", "KSM", "ANON", "MOVABLE", "POINTER", "INVALID"};
    static final int MAP_NONE = 0, MAP_NULL = 1, MAP_POISON = 2, MAP_KSM = 3, MAP_ANON = 4, MAP_MOVABLE = 5, MAP_POINTER = 6, MAP_INVALID = 7;

    private final long[] poisonDeltas;
    /** No poison value is odd: an odd lru.next is then a compound tail without looking further. */
    private final boolean evenDeltas;

    PageWordClassifier(long... poisonDeltas) {
        this.poisonDeltas = poisonDeltas.clone();
        boolean even = true;
        for (long d : poisonDeltas) even &= (d & 1) == 0;
        this.evenDeltas = even;
    }

    /** From a page-table spec's options: {@code poison_pointer_delta} (a list of hex values). */
    static PageWordClassifier fromOptions(JsonNode o) {
        List<Long> deltas = new ArrayList<>();
        for (JsonNode d : o.path("poison_pointer_delta")) deltas.add(Units.parseHex(d.asText()));
        if (deltas.isEmpty()) deltas.add(0xdead000000000000L);
        return new PageWordClassifier(deltas.stream().mapToLong(Long::longValue).toArray());
    }

    String classifyLru(long v, long page) { return LRU_CLASSES[lruCode(v, page)]; }

    /** The class of an lru.next value read at struct page {@code page} (-1: the row has no PAGE column). */
    int lruCode(long v, long page) {
        if ((v & 1) == 1 && evenDeltas) return LRU_TAIL; // no poison value is odd: the checks below could not match
        if (v == 0) return LRU_ZERO;
        for (long d : poisonDeltas) {
            if (v == d + 0x100 || v == d + 0x00100100L) return LRU_POISON1;
            if (v == d + 0x40) return LRU_PAGE_POOL; // PP_SIGNATURE, include/linux/poison.h
        }
        if ((v & 1) == 1) return LRU_TAIL; // compound_head | 1 overlays lru.next
        if (page != -1 && v - page >= 0 && v - page < 0x40) return LRU_SELF; // empty list_head pointing at itself
        for (long d : poisonDeltas) if (d != 0 && v >= d && v - d < 0x10000) return LRU_POISON;
        return LRU_POINTER;
    }

    String classifyMapping(long v) { return MAP_CLASSES[mapCode(v)]; }

    /** The class of a mapping value: PAGE_MAPPING_ANON is bit 0, PAGE_MAPPING_MOVABLE bit 1, KSM both. */
    int mapCode(long v) {
        if (v == 0) return MAP_NULL;
        for (long d : poisonDeltas) if (d != 0 && v >= d && v - d < 0x10000) return MAP_POISON; // e.g. TAIL_MAPPING
        if ((v & 3) == 3) return MAP_KSM;
        if ((v & 1) == 1) return MAP_ANON;
        if ((v & 2) == 2) return MAP_MOVABLE;
        return MAP_POINTER;
    }

    /**
     * A member other than the five that key groups: a 16-digit pointer becomes POINTER (or its
     * value when small, a count or an index), anything else is kept as printed.
     */
    static String classifyOther(String raw) {
        if (raw == null) return "";
        if (raw.matches("[0-9a-f]{16}")) {
            long v = Units.parseHex(raw);
            return v == 0 ? "0" : Long.compareUnsigned(v, 1L << 20) < 0 ? Units.hex(v) : "POINTER";
        }
        return raw;
    }
}
