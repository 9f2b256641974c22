package dev.leakdx.extract;

import dev.leakdx.facts.PageGroup;

import java.util.Map;

import static dev.leakdx.extract.PageWordClassifier.LRU_POINTER;
import static dev.leakdx.extract.PageWordClassifier.LRU_SELF;
import static dev.leakdx.extract.PageWordClassifier.LRU_TAIL;
import static dev.leakdx.extract.PageWordClassifier.MAP_POISON;

/**
 * One row of a page table as read: its struct page address, its members classified, and how
 * many pages it stands for (1, or an excerpt's count). One instance is reused for every row of a
 * reader: a table has millions of rows and a row lives until it is added to its group.
 *
 * <p>The key methods say what of a member goes into the group key: a list pointer's value does
 * not (it differs on every page), a poison value does (it tells which list_del left it); flags
 * lose their high bits (section, node and zone: page->flags' top bits), which are counted per
 * group instead as node/zone values.
 */
final class PageRow {
    static final Map<String, String> NO_OTHERS = Map.of();

    boolean kmemP;
    /** Columns after lru.next did not parse: only an attributed tail can use the row. */
    boolean bad;
    long page = -1, phys = -1, count = 1;
    int lruCode;
    long lruValue;
    boolean hasFlags;
    long flags;
    int mapCode;
    long mapValue;
    long mapcount = PageGroup.ABSENT, refcount = -1;
    Map<String, String> others = NO_OTHERS;
    /** kmem -p flag names read by a chunk's byte route (instead of others = {names=...}), else null. */
    String names;

    /** lru.next is compound_head | 1: a tail page of a compound page. */
    boolean tail() { return lruCode == LRU_TAIL; }

    long keyLru() { return lruCode == LRU_POINTER || lruCode == LRU_SELF || lruCode == LRU_TAIL ? 0 : lruValue; }

    long keyFlags(long mask) { return hasFlags ? flags & mask : -1; }

    long keyMap() { return mapCode == MAP_POISON ? mapValue : 0; }

    /** The flags' bits above the page flags: section/node/zone, counted per group. */
    long high(long mask) { return hasFlags ? flags & ~mask : 0; }
}
