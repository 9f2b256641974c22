package dev.leakdx.extract;

import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.RawMemory;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Raw memory dumps (RawMemoryReader): gdb {@code x/20xg} through crash and crash {@code rd}.
 * Both samples are BUILT (see samples/README.md): raw-memory.txt dumps the lab-pfrag context
 * objects at kernel addresses, raw-memory-user.txt the same formats at user-space addresses.
 */
class RawMemoryExtractionTest {
    private static final long CTX = 0xffff8ee2bff85400L;

    @Test
    void userSpaceXgAndXwDumps() {
        Samples.Result r = Samples.extract("raw-memory-user.txt");
        RawMemory g = r.one(RawMemory.class, m -> m.provenance().command().equals("x/4xg 0x7ffd5e3c1a20"));
        assertEquals(0x7ffd5e3c1a20L, g.start());
        assertEquals(8, g.unit());
        assertEquals(List.of(0x00007ffd5e3c1b08L, 1L, 0L, 0x00007f3a1c2d4000L), g.words());
        assertEquals(0x7ffd5e3c1a40L, g.end());
        assertEquals(0x00007f3a1c2d4000L, g.wordAt(0x7ffd5e3c1a38L));
        assertEquals(Long.MIN_VALUE, g.wordAt(0x7ffd5e3c1a24L), "not word aligned");
        assertEquals(Long.MIN_VALUE, g.wordAt(0x7ffd5e3c1a40L), "past the end");
        assertEquals("raw-memory-user.txt:2-3", g.provenance().cite());

        RawMemory w = r.one(RawMemory.class, m -> m.provenance().command().equals("x/8xw 0x7ffd5e3c1a20"));
        assertEquals(4, w.unit(), "w = 4-byte words");
        assertEquals(8, w.words().size());
        assertEquals(0x5e3c1b08L, w.words().get(0));
        assertEquals(0x00007f3aL, w.wordAt(0x7ffd5e3c1a3cL));
        assertEquals("raw-memory-user.txt:8-9", w.provenance().cite());
        assertEquals(3, r.of(CommandRun.class, c -> c.format().equals("crash.raw-memory")).size());
        assertEquals(0, r.stats("raw-memory-user.txt").skipped);
    }

    @Test
    void kernelDumpsAreRecognisedAsRawMemorySections() {
        Samples.Result r = Samples.extract("raw-memory.txt");
        List<CommandRun> runs = r.of(CommandRun.class);
        assertEquals(List.of("x/20xg ffff8ee2bff85400", "rd ffff8ee2bff85400 4", "rd ffff8ee2c1a00000 4"),
                runs.stream().map(CommandRun::command).toList());
        assertTrue(runs.stream().allMatch(c -> c.format().equals("crash.raw-memory")));
        assertEquals(List.of(10L, 2L, 2L), runs.stream().map(CommandRun::lines).toList());
        assertEquals(0, r.stats("raw-memory.txt").skipped);
    }

    @Test
    void rdAsciiColumnIsNotAWord() {
        Samples.Result r = Samples.extract("raw-memory-user.txt");
        RawMemory rd = r.one(RawMemory.class, m -> m.provenance().command().startsWith("rd"));
        assertEquals(List.of(0x3030303030303030L, 0x3030303030303030L, 0x3131313131313131L, 0xa31L), rd.words());
        assertEquals("raw-memory-user.txt:5-6", rd.provenance().cite());
    }

    @Test
    void kernelAddressXg() {
        Samples.Result r = Samples.extract("raw-memory.txt");
        RawMemory x = r.one(RawMemory.class, m -> m.provenance().command().equals("x/20xg ffff8ee2bff85400"));
        assertEquals(CTX, x.start());
        assertEquals(8, x.unit());
        assertEquals(20, x.words().size());
        assertEquals(0x4c45414b50465247L, x.words().get(0), "hfi_ctxmgr_ctx.magic");
        assertEquals(0xffff8ee243058000L, x.wordAt(CTX + 8), "ctx->cache.va, the leaked page's address");
        assertEquals(0xffff8ee243060000L, x.wordAt(CTX + 0x48), "the next context's cache.va, 64 bytes on");
        assertEquals(CTX + 160, x.end());
        assertTrue(x.covers(CTX + 159));
        assertEquals("raw-memory.txt:2-11", x.provenance().cite());
    }

    @Test
    void kernelAddressRd() {
        Samples.Result r = Samples.extract("raw-memory.txt");
        RawMemory rd = r.one(RawMemory.class, m -> m.provenance().command().equals("rd ffff8ee2bff85400 4"));
        assertEquals(CTX, rd.start());
        assertEquals(List.of(0x4c45414b50465247L, 0xffff8ee243058000L, 0x0000800080007800L, 0L), rd.words(),
                "the ASCII column 'GRFPKAEL...C....' is not a word");
        assertEquals("raw-memory.txt:13-14", rd.provenance().cite());
    }
}
