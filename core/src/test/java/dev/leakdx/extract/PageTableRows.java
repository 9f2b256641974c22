package dev.leakdx.extract;

import com.fasterxml.jackson.databind.JsonNode;
import dev.leakdx.facts.Fact;
import dev.leakdx.facts.HostFact;
import dev.leakdx.facts.PageGroup;

import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * Real rows of the lab-pfrag capture (cases/lab-pfrag/crash/kmem-m.txt.xz and
 * kmem-p.txt.xz, the samples cut from them) for the unit tests of the page-table classes, and the
 * packed page-table specs' options and sections they are read with.
 */
final class PageTableRows {
    private PageTableRows() {}

    static final String KMEM_M = "kmem -m lru.next,flags,mapping,_mapcount,_refcount";
    static final String KMEM_M_HEADER = "      PAGE        lru.next  flags  mapping  _mapcount  _refcount";
    /** kmem-m.txt.xz line 3: the first page, reserved, an empty list_head pointing at itself (+8). */
    static final String M_RESERVED = "fffff53480000000  fffff53480000008  0007ffffc0001000  0000000000000000  -1  00000001";
    /** kmem-m.txt.xz line 4164: a slab page taken off a list (LIST_POISON1), mapping its kmem_cache. */
    static final String M_POISON1 = "fffff53480041040  dead000000000100  000fffffc0000200  ffff8ee241042100  -1  00000001";
    /** kmem-m-pfrag-excerpt.txt lines 27-34: a leaked order-3 page_frag head (_refcount 0x8000, PG_head) and its 7 tails. */
    static final List<String> M_PFRAG_HEAD_AND_TAILS = List.of(
            "fffff534800c1600  0000000000000000  000fffffc0010000  0000000000000000  -1  00008000",
            "fffff534800c1640  fffff534800c1601  000fffffc0000000  0000000800000000  -1  00000000",
            "fffff534800c1680  fffff534800c1601  000fffffc0000000  dead000000000400  -1  00000000",
            "fffff534800c16c0  fffff534800c1601  000fffffc0000000  dead000000000400  -1  00000000",
            "fffff534800c1700  fffff534800c1601  000fffffc0000000  dead000000000400  -1  00000000",
            "fffff534800c1740  fffff534800c1601  000fffffc0000000  dead000000000400  -1  00000000",
            "fffff534800c1780  fffff534800c1601  000fffffc0000000  dead000000000400  -1  00000000",
            "fffff534800c17c0  fffff534800c1601  000fffffc0000000  dead000000000400  -1  00000000");
    /** kmem-m.txt.xz: an anonymous page (mapping is anon_vma | PAGE_MAPPING_ANON), mapped once. */
    static final String M_ANON = "fffff534800a2980  fffff534800a2b08  000fffffc0080014  ffff8ee2427afdd1  0  00000001";
    /** kmem-m-glued.txt: _refcount not last, so crash glues its %08x to flags. */
    static final String M_GLUED_COMMAND = "kmem -m _refcount,flags,mapping,_mapcount,lru.next";
    static final String M_GLUED = "fffff534800c1400  00000000000fffffc0000000  0000000000000000  -1  fffff534800bfa08";
    /** kmem-m-uniq-c.txt and kmem-m-awk-count.txt: the same grouped row, count first and last. */
    static final String M_GROUPED_COMMAND = "kmem -m flags,mapping,_mapcount,_refcount | awk 'NR>1 {print $2, $3, $4, $5}' | sort | uniq -c | sort -rn | head -12";
    static final String M_UNIQ_C = " 453795 000fffffc0000000 0000000000000000 -1 00000000";
    static final String M_AWK_COMMAND = "kmem -m flags,mapping,_mapcount,_refcount | awk 'NR>1 {c[$2\"  \"$3\"  \"$4\"  \"$5]++} END {for (k in c) print k\"  \"c[k]}' | sort -k5,5nr | head -12";
    static final String M_AWK = "000fffffc0000000  0000000000000000  -1  00000000  453795";

    static final String KMEM_P_HEADER = "      PAGE       PHYSICAL      MAPPING       INDEX CNT FLAGS";
    /** kmem-p.txt.xz lines 3-5: the first three pages, reserved, 4 KiB apart. */
    static final List<String> P_FIRST = List.of(
            "fffff53480000000        0                0        0  1 7ffffc0001000 reserved",
            "fffff53480000040     1000                0        0  1 7ffffc0001000 reserved",
            "fffff53480000080     2000                0        0  1 7ffffc0001000 reserved");
    /** kmem-p.txt.xz line 4177: an order-1 slab head (the kmem -m row before the tail above). */
    static final String P_SLAB_HEAD = "fffff53480041380  104e000 ffff8ee241042a00        0  1 fffffc0010200 slab,head";
    /** case2-crash session.txt: a kmem -p row with no flag names (arm64, 64 KiB pages). */
    static final String P_NO_NAMES = "ffff7fe000000040      10000                0        0  1 7ffff8000000000";

    static ExtractorSpec spec(String id) {
        return Samples.registry().specs().stream().filter(s -> s.id().equals(id)).findFirst().orElseThrow();
    }

    static JsonNode options(String id) { return spec(id).options(); }

    static Section section(String id, String command) { return new Section(spec(id), "kmem.txt", "host", "", command, 1); }

    static Section kmemM() { return section("crash.kmem-m", KMEM_M); }

    static Section kmemP() { return section("crash.kmem-p", "kmem -p"); }

    static PageWordClassifier words() { return PageWordClassifier.fromOptions(options("crash.kmem-m")); }

    /** The lines through PageTableReader one by one, line numbers from 1; what the sink got. */
    static Sink readLines(Section section, List<String> lines) {
        Sink sink = new Sink();
        PageTableReader reader = new PageTableReader(section, sink);
        long no = 0;
        for (String l : lines) reader.line(++no, l);
        reader.end(no);
        return sink;
    }

    static byte[] bytes(List<String> lines) { return (String.join("\n", lines) + "\n").getBytes(StandardCharsets.US_ASCII); }

    static List<PageGroup> groups(Sink s) { return s.facts().stream().filter(f -> f instanceof PageGroup).map(f -> (PageGroup) f).toList(); }

    static List<HostFact> hostFacts(Sink s) { return s.facts().stream().filter(f -> f instanceof HostFact).map(f -> (HostFact) f).toList(); }

    static List<String> signatures(Sink s) {
        return s.facts().stream().map((Fact f) -> Samples.signature(f, n -> n)).toList();
    }
}
