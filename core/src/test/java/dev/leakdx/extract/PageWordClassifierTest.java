package dev.leakdx.extract;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** lru.next and mapping values of real lab-pfrag rows, classified with the packed kmem -m spec's poison deltas. */
class PageWordClassifierTest {
    private final PageWordClassifier words = PageTableRows.words();

    @Test
    void lruNextClasses() {
        // an empty list_head: lru.next points into its own struct page (+8)
        assertEquals("SELF", words.classifyLru(0xfffff53480000008L, 0xfffff53480000000L));
        // the same pointer seen from another page is a list pointer
        assertEquals("POINTER", words.classifyLru(0xfffff53480000008L, 0xfffff53480000040L));
        // an anon page on an LRU list: lru.next points at another page's lru, 0x188 away
        assertEquals("POINTER", words.classifyLru(0xfffff534800a2b08L, 0xfffff534800a2980L));
        assertEquals("LIST_POISON1", words.classifyLru(0xdead000000000100L, 0xfffff53480041040L));
        assertEquals("LIST_POISON1", words.classifyLru(0x00100100L, 0xfffff53480041040L), "before 4.3 (delta 0)");
        assertEquals("PAGE_POOL", words.classifyLru(0xdead000000000040L, 0xfffff53480041040L), "PP_SIGNATURE");
        // compound_head | 1 of a tail of the page_frag head fffff534800c1600
        assertEquals("TAIL", words.classifyLru(0xfffff534800c1601L, 0xfffff534800c1640L));
        assertEquals("ZERO", words.classifyLru(0, 0xfffff534800c1600L));
        assertEquals("POISON", words.classifyLru(0xdead000000000122L, 0xfffff534800c1600L), "LIST_POISON2");
        assertEquals(PageWordClassifier.LRU_TAIL, words.lruCode(0xfffff534800c1601L, -1), "a tail without PAGE column");
    }

    @Test
    void mappingClasses() {
        assertEquals("NULL", words.classifyMapping(0));
        assertEquals("POINTER", words.classifyMapping(0xffff8ee241042100L), "a slab page's kmem_cache");
        assertEquals("ANON", words.classifyMapping(0xffff8ee2427afdd1L), "anon_vma | PAGE_MAPPING_ANON");
        assertEquals("MOVABLE", words.classifyMapping(0xffff8ee2427afdd2L));
        assertEquals("KSM", words.classifyMapping(0xffff8ee2427afdd3L));
        assertEquals("POISON", words.classifyMapping(0xdead000000000400L), "TAIL_MAPPING");
        // the second tail of an order-3 page holds compound_nr << 32, a small number, not a pointer
        assertEquals("POINTER", words.classifyMapping(0x0000000800000000L));
    }

    @Test
    void oddPoisonDeltaLooksFurtherBeforeCallingATail() {
        // a delta with bit 0 set: an odd lru.next may be poison, so poison is checked first
        PageWordClassifier odd = new PageWordClassifier(0x1L);
        assertEquals("LIST_POISON1", odd.classifyLru(0x101L, 0xfffff53480000000L));
        assertEquals("TAIL", odd.classifyLru(0xfffff534800c1601L, 0xfffff534800c1640L));
    }

    @Test
    void otherMembers() {
        assertEquals("0", PageWordClassifier.classifyOther("0000000000000000"));
        assertEquals("0x8", PageWordClassifier.classifyOther("0000000000000008"));
        assertEquals("POINTER", PageWordClassifier.classifyOther("ffff8ee241042100"));
        assertEquals("-1", PageWordClassifier.classifyOther("-1"));
        assertEquals("", PageWordClassifier.classifyOther(null));
    }
}
