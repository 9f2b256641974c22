package dev.leakdx.extract;

import dev.leakdx.facts.CommandRun;
import dev.leakdx.facts.VmallocInfoEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** /proc/vmallocinfo: the whole lab-pfrag file (hashed addresses), an early-boot one, and built lines of other kinds. */
class VmallocInfoExtractionTest {

    @Test
    void everyLineOfTheLabFileByKind() {
        Samples.Result r = Samples.extract("vmallocinfo-lab-pfrag.txt");
        assertEquals("proc.vmallocinfo", r.one(CommandRun.class, c -> true).format());
        List<VmallocInfoEntry> all = r.of(VmallocInfoEntry.class);
        assertEquals(120, all.size());
        assertEquals(0, r.stats("vmallocinfo-lab-pfrag.txt").skipped);
        Map<String, Long> kinds = all.stream().collect(Collectors.groupingBy(VmallocInfoEntry::kind, Collectors.counting()));
        assertEquals(Map.of("vmalloc", 91L, "ioremap", 15L, "vmap", 2L, "unpurged", 12L), kinds);
        assertEquals(1629, all.stream().filter(e -> e.kind().equals("vmalloc")).mapToLong(e -> Math.max(0, e.pages())).sum());
        // a percpu chunk's area is VM_ALLOC without pages of its own: no pages=
        VmallocInfoEntry pcpu = r.one(VmallocInfoEntry.class, e -> e.caller().startsWith("pcpu_get_vm_areas"));
        assertEquals("vmalloc", pcpu.kind());
        assertEquals(-1, pcpu.pages());
        assertEquals(2097152, pcpu.size());
        assertFalse(pcpu.ownsPages());
        assertEquals(9138176, all.stream().filter(e -> e.kind().equals("vmalloc")).mapToLong(VmallocInfoEntry::size).sum());
        assertTrue(all.stream().filter(e -> !e.kind().equals("vmalloc")).allMatch(e -> e.pages() == -1), "ioremap/vmap own no pages");

        // thread stacks: 61 areas of 4 pages (16 KiB + guard page)
        List<VmallocInfoEntry> stacks = all.stream().filter(e -> e.callerFunction().equals("kernel_clone")).toList();
        assertEquals(61, stacks.size());
        assertEquals(244, stacks.stream().mapToLong(VmallocInfoEntry::pages).sum());
        assertTrue(stacks.stream().allMatch(e -> e.size() == 20480));

        VmallocInfoEntry first = all.get(0);
        assertEquals(0xbaa80a09L, first.start(), "hashed %pK values are read as they are");
        assertEquals(0x9e878006L, first.end());
        assertEquals("irq_init_percpu_irqstack+0xf0/0x120", first.caller());
        assertEquals("vmap", first.kind());
        assertFalse(first.ownsPages());

        VmallocInfoEntry virtio = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 21);
        assertEquals("vp_modern_map_capability+0x148/0x1d0 [virtio_pci_modern_dev]", virtio.caller());
        assertEquals("vp_modern_map_capability [virtio_pci_modern_dev]", virtio.callerFunction());
        assertEquals("ioremap", virtio.kind());
        assertEquals(8192, virtio.size());

        VmallocInfoEntry big = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 103);
        assertEquals("load_module+0xbb7/0x21a0", big.caller());
        assertEquals(93, big.pages());
        assertEquals(385024, big.size());
        assertTrue(big.ownsPages());

        VmallocInfoEntry unpurged = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 109);
        assertEquals("unpurged", unpurged.kind());
        assertEquals("", unpurged.caller());
        assertEquals(20480, unpurged.size());
    }

    @Test
    void earlyBootPtrvalAddressesAreZero() {
        Samples.Result r = Samples.extract("vmallocinfo-ptrval.txt");
        List<VmallocInfoEntry> all = r.of(VmallocInfoEntry.class);
        assertEquals(6, all.size(), "recognised although no address is printed");
        assertTrue(all.stream().allMatch(e -> e.start() == 0 && e.end() == 0));
        assertEquals(4, all.get(5).pages());
        assertEquals("ioremap", all.get(1).kind());
    }

    @Test
    void otherKindsOfArea() {
        Samples.Result r = Samples.extract("vmallocinfo-built.txt");
        assertEquals(9, r.of(VmallocInfoEntry.class).size());
        assertEquals(0, r.stats("vmallocinfo-built.txt").skipped);
        VmallocInfoEntry first = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 1);
        assertEquals(0xffffb6d400000000L, first.start());
        assertEquals(first.start() + first.size(), first.end(), "unhashed: end - start = size");

        VmallocInfoEntry ram = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 2);
        assertEquals("vm_map_ram", ram.kind());
        assertEquals(16384, ram.size());

        VmallocInfoEntry ring = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 3);
        assertEquals("ring_buffer_alloc+0x8a/0x130 [ring_drv]", ring.caller());
        assertEquals(1024, ring.pages());
        assertEquals("vmalloc", ring.kind());
        assertEquals("vmalloc vpages", ring.flags());

        assertEquals("vmalloc user", r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 4).flags());
        VmallocInfoEntry raw = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 5);
        assertEquals("0xffffffffc0a41234", raw.caller(), "%pS of an address without a symbol");
        assertEquals("dma-coherent", r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 6).kind());
        VmallocInfoEntry io = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 7);
        assertEquals("ioremap", io.kind());
        assertEquals(-1, io.pages());

        // a flag word this version does not know is kept, and the area is still a vmalloc one
        VmallocInfoEntry odd = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 8);
        assertEquals("vmalloc shiny", odd.flags());
        assertEquals("vmalloc", odd.kind());
        assertEquals(3, odd.pages());
    }

    @Test
    void malformedLinesAreReportedAndTheRestRead(@TempDir Path dir) {
        List<String> lines = Samples.text("vmallocinfo-lab-pfrag.txt").lines().toList();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 10; i++) b.append(lines.get(i)).append("\r\n");
        b.append("0x000000004b714bf5-0x00000000\r\n");                 // cut inside the end address
        b.append("0x000000004b714bf5-0x0000000038f2bcd8   20480 kernel_clone+0xbf/0x430 pages=4 vmalloc N0=4 zswap=1\r\n"); // unknown key
        b.append(lines.get(10));                                          // last line without its newline
        Samples.Result r = Samples.extractText(dir, "vmallocinfo", b.toString());
        assertEquals(12, r.of(VmallocInfoEntry.class).size());
        assertEquals(1, r.stats("vmallocinfo").skipped);
        assertEquals("vmallocinfo:11", r.diagnostics("skipped").get(0).cite());
        VmallocInfoEntry unknown = r.one(VmallocInfoEntry.class, e -> e.provenance().firstLine() == 12);
        assertEquals(4, unknown.pages());
        assertEquals("vmalloc", unknown.kind());
        assertEquals("vmalloc zswap=1", unknown.flags());
        assertEquals("kernel_clone+0xbf/0x430", unknown.caller());
    }
}
