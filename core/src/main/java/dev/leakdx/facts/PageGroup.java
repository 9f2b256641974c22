package dev.leakdx.facts;

import java.util.List;
import java.util.Map;

/**
 * A population of struct pages that look alike, aggregated from a page table dump
 * ({@code kmem -m MEMBERS}, {@code kmem -p}) so the rule engine sees groups, never rows.
 *
 * <p>The key is made of <em>classified</em> values: {@code lruClass} says what the word at
 * lru.next is (LIST_POISON1, PAGE_POOL, ZERO, SELF, TAIL, POINTER, POISON), the flags word
 * is split into page-flag bits ({@code pageFlags}) and the node/zone/section/cpupid bits
 * above them (counted in {@code highBits}), mapping is NULL/ANON/KSM/MOVABLE/POINTER/POISON.
 * Columns the capture did not have are absent: {@code refcount} -1, {@code mapcount}
 * {@link #ABSENT}, classes "".
 *
 * <p>{@code tailPages} counts compound tail rows that followed a head of this group
 * (their lru.next is head|1), so {@code pages + tailPages} is the memory the group holds.
 * {@code examples} are the first struct page addresses, for {@code search} and citations.
 */
public record PageGroup(String table, String lruClass, long lruValue, long pageFlags, String mappingClass,
                        long mappingValue, long mapcount, long refcount, Map<String, String> otherMembers,
                        long pages, long tailPages, Map<Long, Long> highBits, List<Long> examples,
                        List<Long> exampleLines, Provenance provenance) implements Fact {

    public static final long ABSENT = Long.MIN_VALUE;

    public PageGroup {
        // sorted, so `facts -f json` lists the node/zone values in one order on every run (chunks merge in any order)
        highBits = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(highBits));
    }

    /** Base pages held: the rows of this group plus the tails that belong to its heads. */
    public long totalPages() { return pages + tailPages; }

    /** Pages per compound page when every head carried the same number of tails (1 for order-0). */
    public long pagesPerUnit() {
        if (pages == 0 || tailPages % pages != 0) return 1;
        return 1 + tailPages / pages;
    }

    public int order() { return 63 - Long.numberOfLeadingZeros(Math.max(1, pagesPerUnit())); }

    public boolean compound() { return tailPages > 0; }

    /** How many distinct node/zone/section values the group spans (17 in founding case 1). */
    public int nodeZoneVariants() { return highBits.size(); }

    public long example() { return examples.isEmpty() ? -1 : examples.get(0); }

    public boolean hasExample(long pageAddress) { return examples.contains(pageAddress); }

    @Override public String describe() {
        StringBuilder b = new StringBuilder();
        b.append(Units.count(pages)).append(pages == 1 ? " page" : " pages");
        if (tailPages > 0) b.append(" (+").append(Units.count(tailPages)).append(" tail pages, ")
                .append(tailPages % Math.max(1, pages) == 0 ? "order " + order() : "mixed orders").append(")");
        b.append(" with");
        if (!lruClass.isEmpty()) b.append(" lru.next=").append(lruClass.equals("POINTER") ? "pointer" : lruClass)
                .append(lruValue != 0 && !lruClass.equals("POINTER") && !lruClass.equals("ZERO") ? "(" + Units.hex(lruValue) + ")" : "");
        if (pageFlags >= 0) b.append(" flags=").append(Units.hex(pageFlags));
        if (!mappingClass.isEmpty()) b.append(" mapping=").append(mappingClass);
        if (mapcount != ABSENT) b.append(" _mapcount=").append(mapcount);
        if (refcount >= 0) b.append(" _refcount=").append(Units.hex(refcount)).append(" (").append(refcount).append(")");
        for (var e : otherMembers.entrySet()) b.append(' ').append(e.getKey()).append('=').append(e.getValue());
        if (highBits.size() > 1) b.append(", over ").append(highBits.size()).append(" node/zone values");
        return b.toString();
    }
}
