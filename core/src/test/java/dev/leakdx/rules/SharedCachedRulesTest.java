package dev.leakdx.rules;

import dev.leakdx.engine.Diagnoser;
import dev.leakdx.engine.Finding;
import dev.leakdx.engine.MemInfoDelta;
import dev.leakdx.facts.MemCounter;
import org.junit.jupiter.api.Test;

import java.util.List;

import static dev.leakdx.rules.RuleHarness.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** rules/shared-cached.drl with founding case 1's healthy twin (node-1) around drop_caches. */
class SharedCachedRulesTest {
    static final long P = 65536;
    final MemCounter sharedBefore = kmemI("SHARED", 206_158, P, 7, "node-1", "before_drop_caches");
    final MemCounter sharedAfter = kmemI("SHARED", 19_788, P, 7, "node-1", "after_drop_caches");
    final MemCounter cachedBefore = kmemI("CACHED", 202_899, P, 9, "node-1", "before_drop_caches");
    final MemCounter cachedAfter = kmemI("CACHED", 16_601, P, 9, "node-1", "after_drop_caches");

    @Test void beforeAndAfterSnapshotsPairUp() {
        String rule = "The same counter in a before and an after snapshot of one host gives a delta";
        Diagnoser.Result r = fire(rule, sharedBefore, sharedAfter, cachedBefore, cachedAfter,
                kmemI("SHARED", 666_625, P, 21)); // the vmcore's SHARED has no pair
        List<MemInfoDelta> d = all(r, MemInfoDelta.class);
        assertEquals(2, d.size());
        MemInfoDelta shared = d.stream().filter(x -> x.name().equals("SHARED")).findFirst().orElseThrow();
        assertEquals("node-1", shared.host());
        assertEquals("drop_caches", shared.event());
        assertEquals((19_788L - 206_158L) * P, shared.delta());
        derivedFrom(r, shared, rule, sharedBefore);
    }

    @Test void sharedFallingWithCachedMeansPageCache() {
        MemInfoDelta s = new MemInfoDelta("kmem -i", "node-1", "SHARED", "drop_caches", sharedBefore, sharedAfter);
        MemInfoDelta c = new MemInfoDelta("kmem -i", "node-1", "CACHED", "drop_caches", cachedBefore, cachedAfter);
        Diagnoser.Result r = fire("SHARED and CACHED fall together across drop_caches: SHARED is page cache there", s, c);
        Finding f = finding(r);
        assertEquals("SHARED_TRACKS_CACHE", f.code());
        assertEquals("node-1", f.subject());
        assertTrue(f.summary().contains("-90.4%") && f.summary().contains("-91.8%"), f.summary());
    }

    @Test void sharedThatDoesNotFallIsNotPageCache() {
        MemInfoDelta s = new MemInfoDelta("kmem -i", "node-1", "SHARED", "drop_caches", sharedBefore, sharedBefore);
        MemInfoDelta c = new MemInfoDelta("kmem -i", "node-1", "CACHED", "drop_caches", cachedBefore, cachedAfter);
        none(fire("SHARED and CACHED fall together across drop_caches: SHARED is page cache there", s, c), Finding.class);
    }

    @Test void sharedFarAboveCachedOnTheVmcore() {
        String rule = "SHARED far above CACHED on the diagnosed host: SHARED is not page cache here";
        Finding twin = new Finding("SHARED_TRACKS_CACHE", "node-1", 1, "twin");
        Diagnoser.Result r = fire(rule, kmemI("SHARED", 666_625, P, 21), kmemI("CACHED", 1_328, P, 23), twin);
        Finding f = finding(r);
        assertEquals("SHARED_NOT_PAGE_CACHE", f.code());
        assertEquals((666_625L - 1_328L) * P, f.bytes());
        assertTrue(f.summary().contains("healthy twin"), f.summary());
        // SHARED close to CACHED: nothing to say
        none(fire(rule, kmemI("SHARED", 206_158, P, 21), kmemI("CACHED", 202_899, P, 23)), Finding.class);
    }
}
