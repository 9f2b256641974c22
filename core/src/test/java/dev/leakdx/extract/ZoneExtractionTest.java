package dev.leakdx.extract;

import dev.leakdx.facts.BuddyZone;
import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.MemCounter;
import dev.leakdx.facts.ZoneInfo;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /proc/buddyinfo (BuddyZone) and /proc/zoneinfo (ZoneInfo, ZoneInfoReader) of lab-pfrag, and built variants. */
class ZoneExtractionTest {

    @Test
    void buddyinfoOfTheLab() {
        Samples.Result r = Samples.extract("buddyinfo-lab-pfrag.txt");
        assertEquals("proc.buddyinfo", r.one(CommandRun.class, c -> true).format());
        BuddyZone dma = r.one(BuddyZone.class, z -> z.zone().equals("DMA"));
        assertEquals(0, dma.node());
        assertEquals(List.of(0L, 0L, 0L, 0L, 0L, 0L, 1L, 1L, 0L, 1L, 3L), dma.freeByOrder());
        assertEquals(64 + 128 + 512 + 3 * 1024, dma.freePages());
        assertEquals(10, dma.highestFreeOrder());
        BuddyZone dma32 = r.one(BuddyZone.class, z -> z.zone().equals("DMA32"));
        assertEquals(11, dma32.freeByOrder().size());
        assertEquals(438, dma32.freeByOrder().get(10));
        assertEquals(2 + 4 + 8 + 32 + 96 + 256 + 3 * 512 + 438 * 1024, dma32.freePages());
        assertEquals(438L * 1024 * 4096, dma32.freePagesAtOrAbove(10) * 4096);
        assertEquals("buddyinfo-lab-pfrag.txt:2", dma32.provenance().cite());
        assertEquals(0, r.stats("buddyinfo-lab-pfrag.txt").skipped, "the trailing space of each line is not a column");
    }

    @Test
    void buddyinfoWithTwoNodesAndFourteenOrders() {
        Samples.Result r = Samples.extract("buddyinfo-2node-64k.txt");
        assertEquals(3, r.of(BuddyZone.class).size());
        BuddyZone n1 = r.one(BuddyZone.class, z -> z.node() == 1);
        assertEquals("Normal", n1.zone());
        assertEquals(14, n1.freeByOrder().size());
        assertEquals(7, n1.highestFreeOrder());
        BuddyZone n0 = r.one(BuddyZone.class, z -> z.node() == 0 && z.zone().equals("Normal"));
        assertEquals(37, n0.freeByOrder().get(13));
        assertEquals(37L << 13, n0.freePagesAtOrAbove(13));
        assertEquals(n0.freePages() * 65536, n0.freeBytes(65536));
    }

    @Test
    void zoneinfoOfTheLab() {
        Samples.Result r = Samples.extract("zoneinfo-lab-pfrag.txt");
        assertEquals("proc.zoneinfo", r.one(CommandRun.class, c -> true).format());
        assertEquals(5, r.of(ZoneInfo.class).size(), "DMA, DMA32 and the unpopulated Normal, Movable, Device");
        assertEquals(0, r.stats("zoneinfo-lab-pfrag.txt").skipped);
        assertTrue(r.diagnostics().isEmpty(), r.diagnostics().toString());

        ZoneInfo dma = r.one(ZoneInfo.class, z -> z.zone().equals("DMA"));
        assertEquals(0, dma.node());
        assertEquals(3776, dma.free());
        assertEquals(87, dma.min());
        assertEquals(108, dma.low());
        assertEquals(129, dma.high(), "the zone's high, not a per-CPU pageset's 'high:  54'");
        assertEquals(3998, dma.present());
        assertEquals(3840, dma.managed());
        assertEquals(158, dma.reserved());
        assertEquals("zoneinfo-lab-pfrag.txt:1-85", dma.provenance().cite());

        ZoneInfo dma32 = r.one(ZoneInfo.class, z -> z.zone().equals("DMA32"));
        assertEquals(450383, dma32.free());
        assertEquals(11176, dma32.min());
        assertEquals(13970, dma32.low());
        assertEquals(16764, dma32.high());
        assertEquals(520160, dma32.present());
        assertEquals(495090, dma32.managed());
        assertFalse(dma32.belowLow());
        assertEquals("zoneinfo-lab-pfrag.txt:86-126", dma32.provenance().cite());

        ZoneInfo normal = r.one(ZoneInfo.class, z -> z.zone().equals("Normal"));
        assertFalse(normal.populated());
        assertEquals(0, normal.managed());
    }

    @Test
    void zoneinfoAgreesWithBuddyinfoAndKmemI() {
        List<ZoneInfo> zones = Samples.extract("zoneinfo-lab-pfrag.txt").of(ZoneInfo.class);
        // managed pages of all zones = totalram_pages = kmem -i TOTAL MEM (the same lab-pfrag guest)
        long managed = zones.stream().mapToLong(ZoneInfo::managed).sum();
        MemCounter total = Samples.extract("crash8-kmem-i.txt").one(MemCounter.class, m -> m.name().equals("TOTAL MEM"));
        assertEquals(total.pages(), managed);
        assertEquals(498930, managed);
        // the DMA zone's free pages are its buddy blocks (a zone too small to churn between the two reads)
        BuddyZone dma = Samples.extract("buddyinfo-lab-pfrag.txt").one(BuddyZone.class, z -> z.zone().equals("DMA"));
        assertEquals(zones.stream().filter(z -> z.zone().equals("DMA")).findFirst().orElseThrow().free(), dma.freePages());
    }

    @Test
    void zoneinfoCutShortCrlfAndAGarbledLine(@TempDir Path dir) {
        String full = Samples.text("zoneinfo-lab-pfrag.txt");
        List<String> lines = full.lines().toList();
        // the DMA32 block stops after "low" (line 90), a garbled line is slipped into the DMA block, CRLF ends
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 90; i++) {
            b.append(lines.get(i)).append("\r\n");
            if (i == 46) b.append("garbage here\r\n");
        }
        Samples.Result r = Samples.extractText(dir, "zoneinfo", b.toString());
        ZoneInfo dma = r.one(ZoneInfo.class, z -> z.zone().equals("DMA"));
        assertEquals(3776, dma.free());
        assertEquals(129, dma.high());
        assertEquals(3840, dma.managed(), "CRLF does not stick to the value");
        ZoneInfo dma32 = r.one(ZoneInfo.class, z -> z.zone().equals("DMA32"));
        assertEquals(450383, dma32.free());
        assertEquals(11176, dma32.min());
        assertEquals(13970, dma32.low());
        assertEquals(-1, dma32.high());
        assertEquals(-1, dma32.managed());
        assertEquals(1, r.stats("zoneinfo").skipped);
        assertEquals("zoneinfo:48", r.diagnostics("skipped").get(0).cite());
        Diagnostic cut = r.diagnostics("warning").get(0);
        assertEquals("zoneinfo:91", cut.cite());
        assertTrue(cut.message().contains("DMA32") && cut.message().contains("high, present, managed"), cut.message());
    }

    @Test
    void zoneinfoBlockWithoutPagesFreeGivesNoFactButAWarning(@TempDir Path dir) {
        Samples.Result r = Samples.extractText(dir, "zoneinfo", "Node 0, zone      DMA\n  per-node stats\n      nr_inactive_anon 574\n"
                + "Node 0, zone    DMA32\n  pages free     450383\n        min      11176\n        low      13970\n        high     16764\n"
                + "        spanned  520160\n        present  520160\n        managed  495090\n        unknown_key 12\n");
        assertEquals(1, r.of(ZoneInfo.class).size());
        assertEquals(495090, r.one(ZoneInfo.class, z -> true).managed(), "an unknown key is read past");
        assertTrue(r.diagnostics("warning").get(0).message().contains("no 'pages free'"), r.diagnostics().toString());
        assertEquals("zoneinfo:1", r.diagnostics("warning").get(0).cite());
    }

    @Test
    void buddyinfoLineCutShortIsSkippedNotReadAsAZoneWithFewOrders(@TempDir Path dir) {
        String text = Samples.text("buddyinfo-lab-pfrag.txt").replace("      0      0      1      3    438 ", "");
        Samples.Result r = Samples.extractText(dir, "buddyinfo", text.replace("\n", "\r\n"));
        assertEquals(1, r.of(BuddyZone.class).size());
        assertEquals("DMA", r.one(BuddyZone.class, z -> true).zone());
        assertEquals(1, r.stats("buddyinfo").skipped);
        assertEquals("buddyinfo:2", r.diagnostics("skipped").get(0).cite());
    }

    @Test
    void pagetypeinfoIsNotBuddyinfo() {
        // its "Number of blocks type" rows are "Node 0, zone DMA" and a few numbers, one per migrate type
        Samples.Result r = Samples.extract("pagetypeinfo-lab-pfrag.txt");
        assertTrue(r.of(BuddyZone.class).isEmpty());
        assertTrue(r.of(ZoneInfo.class).isEmpty());
        assertFalse(r.stats("pagetypeinfo-lab-pfrag.txt").format.contains("buddyinfo"));
    }
}
