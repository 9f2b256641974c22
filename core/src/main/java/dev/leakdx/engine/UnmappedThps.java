package dev.leakdx.engine;

import dev.leakdx.facts.PageTypesRow;
import dev.leakdx.facts.Units;

import java.util.List;

/**
 * Anonymous transparent huge pages that page-types shows on the LRU with no mmap bit: whole
 * THPs (a head and its tails) that no page table maps. {@code heads} THPs of
 * {@code thpSize}; {@code tails} should be heads x (pagesPerThp - 1) when every THP is whole.
 */
public record UnmappedThps(String file, long heads, long tails, long pagesPerThp, long thpSize, boolean foliosMerged,
                           List<PageTypesRow> rows) {
    public long bytes() { return heads * thpSize; }

    public boolean whole() { return foliosMerged || tails == heads * (pagesPerThp - 1); }

    @Override public String toString() {
        return Units.count(heads) + " unmapped anonymous THPs of " + Units.bytes(thpSize) + " = " + Units.bytes(bytes())
                + (foliosMerged ? " (6.10+ folio flags: heads and tails in one row)" : ", " + Units.count(tails) + " tails")
                + " in " + file;
    }
}
