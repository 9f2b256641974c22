package dev.leakdx.extract;

import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.KernelStruct;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * crash {@code struct TYPE ADDR} (StructReader): the lab-pfrag dumps of the leaked page_frag_cache,
 * of its order-3 head page (6.1 struct page, unions nested four deep) and of the owning context.
 */
class StructExtractionTest {

    private static KernelStruct struct(Samples.Result r, String type) {
        return r.one(KernelStruct.class, k -> k.type().equals(type));
    }

    @Test
    void pageFragCache() {
        Samples.Result r = Samples.extract("session-struct.txt");
        KernelStruct c = struct(r, "page_frag_cache");
        assertEquals(0xffff8ee2bff85408L, c.address(), "from the command");
        assertEquals("0xffff8ee243058000", c.text("va"));
        assertEquals(0xffff8ee243058000L, c.num("va"), "unsigned 64-bit pointer");
        assertEquals(30720, c.num("offset"));
        assertEquals(32768, c.num("size"));
        assertEquals(32768, c.num("pagecnt_bias"), "README: pagecnt_bias == 32768");
        assertEquals(0, c.num("pfmemalloc"), "false");
        assertEquals(List.of("va", "offset", "size", "pagecnt_bias", "pfmemalloc"), List.copyOf(new java.util.TreeMap<>(c.memberLines())
                .entrySet().stream().sorted(java.util.Map.Entry.comparingByValue()).map(java.util.Map.Entry::getKey).toList()));
        assertEquals("session-struct.txt:3", c.cite("va").cite());
        assertEquals("session-struct.txt:6", c.cite("pagecnt_bias").cite());
        assertEquals("session-struct.txt:2-8", c.provenance().cite());
        assertEquals("struct page_frag_cache ffff8ee2bff85408", c.provenance().command());
        assertEquals(Long.MIN_VALUE, c.num("encoded_page"), "absent member");
        assertEquals(c.provenance(), c.cite("encoded_page"), "an absent member cites the whole dump");
    }

    @Test
    void structPageWithNestedUnions() {
        Samples.Result r = Samples.extract("session-struct.txt");
        KernelStruct p = struct(r, "page");
        assertEquals(0xfffff534800c1600L, p.address());
        assertEquals(0x000fffffc0010000L, p.num("flags"), "PG_head + node/zone bits");
        assertEquals(0, p.num("lru.next"), "anonymous unions add no path element");
        assertEquals("0x0", p.text("lru.next"));
        assertEquals(0xdead000000000122L, p.num("lru.prev"));
        assertEquals(0, p.num("mapping"));
        assertEquals(32768, p.num("_refcount.counter"));
        assertEquals(-1, p.num("_mapcount.counter"));
        assertEquals(4294967295L, p.num("page_type"));
        assertEquals(34, p.num("compound_dtor"), "char value 34 '\"'");
        assertEquals("34 '\"'", p.text("compound_dtor"));
        assertEquals(1, p.num("compound_order"), "1 '\\001'");
        assertEquals(-559087616, p.num("compound_mapcount.counter"));
        assertEquals(0xdead000000000122L, p.num("_compound_pad_2"), "16045481047390945570 wraps to the 64-bit pattern");
        assertEquals(0xdead000000000122L, p.num("callback_head.func"));
        assertEquals(0, p.num("ptl.rlock.raw_lock.val.counter"), "five nested levels, two of them anonymous");
        assertEquals(0, p.num("ptl.rlock.raw_lock.locked"));
        assertEquals(0, p.num("deferred_list.next"));
        assertEquals(0, p.num("memcg_data"));
        assertTrue(p.has("buddy_list.next"));
        assertFalse(p.has("next"), "no member loses its path");

        assertEquals("session-struct.txt:12", p.cite("flags").cite());
        assertEquals("session-struct.txt:17", p.cite("lru.next").cite());
        assertEquals("session-struct.txt:116", p.cite("_mapcount.counter").cite());
        assertEquals("session-struct.txt:121", p.cite("_refcount.counter").cite());
        assertEquals("session-struct.txt:11-124", p.provenance().cite());
        assertEquals(0, r.stats("session-struct.txt").skipped);
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());
    }

    @Test
    void namedNestedStructGetsADottedPath() {
        Samples.Result r = Samples.extract("session-struct.txt");
        KernelStruct ctx = struct(r, "hfi_ctxmgr_ctx");
        assertEquals(0xffff8ee2bff85400L, ctx.address());
        assertEquals(0x4c45414b50465247L, ctx.num("magic"));
        assertEquals(0xffff8ee243058000L, ctx.num("cache.va"));
        assertEquals(32768, ctx.num("cache.pagecnt_bias"));
        assertEquals(0, ctx.num("id"));
        assertEquals(0, ctx.num("frag"));
        assertFalse(ctx.has("va"));
        assertEquals("session-struct.txt:130", ctx.cite("cache.va").cite());
        assertEquals("session-struct.txt:127-138", ctx.provenance().cite());
        assertEquals(3, r.of(KernelStruct.class).size());
        assertEquals(3, r.of(CommandRun.class, c -> c.format().equals("crash.struct")).size());
    }

    @Test
    void truncatedDumpWarnsAndKeepsWhatWasRead() {
        // samples/session-struct-truncated.txt: the struct page dump cut inside _refcount = { counter = 32768
        Samples.Result r = Samples.extract("session-struct-truncated.txt");
        KernelStruct p = struct(r, "page");
        assertEquals(0xfffff534800c1600L, p.address());
        assertEquals(32768, p.num("_refcount.counter"), "the last line read");
        assertEquals(-1, p.num("_mapcount.counter"));
        assertEquals(0xfffffc0010000L, p.num("flags"));
        assertFalse(p.has("memcg_data"), "after the cut");
        assertEquals("session-struct-truncated.txt:112", p.cite("_refcount.counter").cite());
        assertEquals("session-struct-truncated.txt:2-112", p.provenance().cite());

        List<Diagnostic> w = r.diagnostics("warning");
        assertEquals(1, w.size(), r.diagnostics().toString());
        assertEquals("session-struct-truncated.txt", w.get(0).file());
        assertEquals(112, w.get(0).line());
        assertTrue(w.get(0).message().contains("cut short"), w.get(0).message());
        assertTrue(w.get(0).message().contains("page"), w.get(0).message());
    }

    @Test
    void hexOptionIsNotTheAddress(@TempDir Path dir) {
        String text = """
                crash> struct page_frag_cache -x ffff8ee2bff85408
                struct page_frag_cache {
                  va = 0xffff8ee243058000,
                  offset = 0x7800,
                  size = 0x8000,
                  pagecnt_bias = 0x8000,
                  pfmemalloc = false
                }
                """;
        Samples.Result r = Samples.extractText(dir, "struct-x.txt", text);
        KernelStruct c = struct(r, "page_frag_cache");
        assertEquals(0xffff8ee2bff85408L, c.address());
        assertEquals(0x8000, c.num("pagecnt_bias"), "-x prints hex");
        assertEquals(0x7800, c.num("offset"));
        assertEquals("struct-x.txt:2-8", c.provenance().cite());
        assertEquals(0, r.stats("struct-x.txt").skipped);
    }
}
