package dev.leakdx.capture;

import dev.leakdx.extract.Samples;
import dev.leakdx.facts.PageTypesRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** /proc/kpageflags turned into page-types' summary (tools/mm/page-types.c), on built words and on this host. */
class KpageflagsSummaryTest {
    // KPF_* bits (include/uapi/linux/kernel-page-flags.h) and page-types' hacking bits
    private static final long LRU = 1L << 5, ACTIVE = 1L << 6, SLAB = 1L << 7, BUDDY = 1L << 10, ANON = 1L << 12,
            HEAD = 1L << 15, TAIL = 1L << 16, HUGE = 1L << 17, THP = 1L << 22, RESERVED = 1L << 32, SLUB_FROZEN = 1L << 50;

    private static byte[] words(ByteOrder order, long... w) {
        ByteBuffer b = ByteBuffer.allocate(w.length * 8).order(order);
        for (long x : w) b.putLong(x);
        return b.array();
    }

    @Test
    void groupsAsPageTypesDoesWithAndWithoutRaw() throws IOException {
        long thpHead = ANON | LRU | THP | HEAD, thpTail = ANON | THP | TAIL, hugetlbHead = HEAD | HUGE;
        byte[] in = words(ByteOrder.LITTLE_ENDIAN, BUDDY, 0, 0, RESERVED, thpHead, thpTail, thpTail, hugetlbHead, SLAB | ACTIVE, BUDDY);
        KpageflagsSummary s = KpageflagsSummary.read(new ByteArrayInputStream(in), ByteOrder.LITTLE_ENDIAN);
        assertEquals(10, s.pages());
        // default: reserved (bit 32) hidden, so it joins the flag-less pages; THP loses H/T; hugetlb keeps them
        assertEquals(Map.of(BUDDY, 2L, 0L, 3L, ANON | LRU | THP, 1L, ANON | THP, 2L, hugetlbHead, 1L, SLAB | ACTIVE, 1L), s.groups());
        // -r: every bit shown, SLUB's overloaded active becomes slub_frozen
        assertEquals(Map.of(BUDDY, 2L, 0L, 2L, RESERVED, 1L, thpHead, 1L, thpTail, 2L, hugetlbHead, 1L, SLAB | SLUB_FROZEN, 1L), s.rawGroups());
        assertEquals(s.pages(), s.groups().values().stream().mapToLong(Long::longValue).sum());
    }

    @Test
    void theByteOrderIsTheMachines() throws IOException {
        byte[] big = words(ByteOrder.BIG_ENDIAN, BUDDY, BUDDY);
        assertEquals(Map.of(BUDDY, 2L), KpageflagsSummary.read(new ByteArrayInputStream(big), ByteOrder.BIG_ENDIAN).groups());
        // read in the other order the word is another one: the order matters and is not guessed
        assertEquals(Map.of(Long.reverseBytes(BUDDY), 2L), KpageflagsSummary.read(new ByteArrayInputStream(big), ByteOrder.LITTLE_ENDIAN).rawGroups());
    }

    @Test
    void readsAcrossShortReadsThatSplitAWord() throws IOException {
        byte[] in = words(ByteOrder.LITTLE_ENDIAN, BUDDY, SLAB, SLAB, BUDDY);
        InputStream dribble = new ByteArrayInputStream(in) {
            @Override public synchronized int read(byte[] b, int off, int len) { return super.read(b, off, Math.min(len, 3)); }
        };
        assertEquals(Map.of(BUDDY, 2L, SLAB, 2L), KpageflagsSummary.read(dribble, ByteOrder.LITTLE_ENDIAN).groups());
    }

    @Test
    void theSummaryIsPageTypesLayoutAndTheExtractorReadsIt(@TempDir Path dir) throws IOException {
        long thpHead = ANON | LRU | THP | HEAD, thpTail = ANON | THP | TAIL;
        long[] w = new long[1 + 512 * 3];
        w[0] = BUDDY;
        for (int i = 0; i < 3; i++) {
            w[1 + i * 512] = thpHead;
            for (int j = 1; j < 512; j++) w[1 + i * 512 + j] = thpTail;
        }
        KpageflagsSummary s = KpageflagsSummary.read(new ByteArrayInputStream(words(ByteOrder.LITTLE_ENDIAN, w)), ByteOrder.LITTLE_ENDIAN);
        String text = s.render(false, 65536);
        assertTrue(text.startsWith("             flags\tpage-count       MB  symbolic-flags\t\t\tlong-symbolic-flags\n"), text);
        // 1533 tails of 64 KiB = 95.8 MiB, printed as page-types' pages2mb truncates: 95
        assertTrue(text.contains("0x0000000000401000\t      1533       95  ____________a_________t_____________________\tanonymous,thp\n"), text);
        assertTrue(text.endsWith("             total\t      1537       96\n"), text);
        Path f = Files.writeString(dir.resolve("page-types.txt"), text);
        Samples.Result r = Samples.extract(f);
        List<PageTypesRow> rows = r.of(PageTypesRow.class);
        assertEquals(3, rows.size());
        assertEquals(1537, rows.stream().mapToLong(PageTypesRow::pages).sum());
        assertEquals(3, rows.stream().filter(PageTypesRow::unmappedThpHead).mapToLong(PageTypesRow::pages).sum());
        assertEquals(1533, rows.stream().filter(PageTypesRow::unmappedThpTail).mapToLong(PageTypesRow::pages).sum());
    }

    @Test
    void thisHostsKpageflagsCoversItsRam() throws IOException {
        Path flags = Path.of("/proc/kpageflags");
        assumeTrue(Files.isReadable(flags) && readable(flags), "/proc/kpageflags is not readable here (needs root and CONFIG_PROC_PAGE_MONITOR)");
        long bytes;
        try (InputStream in = Files.newInputStream(flags)) {
            bytes = in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        KpageflagsSummary s;
        try (InputStream in = Files.newInputStream(flags)) {
            s = KpageflagsSummary.read(in, ByteOrder.nativeOrder());
        }
        // one word per PFN up to the highest; the live file can only grow (memory hot-add) between the two reads
        assertTrue(s.pages() >= bytes / 8 && s.pages() > 0, s.pages() + " pages, " + bytes + " bytes");
        assertEquals(s.pages(), s.groups().values().stream().mapToLong(Long::longValue).sum());
        assertEquals(s.pages(), s.rawGroups().values().stream().mapToLong(Long::longValue).sum());
        Matcher m = Pattern.compile("(?m)^MemTotal:\\s+(\\d+) kB").matcher(Files.readString(Path.of("/proc/meminfo")));
        assertTrue(m.find());
        long memTotal = Long.parseLong(m.group(1)) * 1024;
        long pageSize = new LiveCollector(x -> { }).pageSize();
        assertTrue(pageSize >= 4096, "page size " + pageSize);
        // MemTotal (managed pages) fits in the PFN span, which also counts holes, reserved and the kernel image
        assertTrue(memTotal <= s.pages() * pageSize, memTotal + " > " + s.pages() + " pages");
        assertTrue(s.pages() * pageSize < 4 * memTotal, "span " + s.pages() + " pages far beyond MemTotal " + memTotal);
    }

    private static boolean readable(Path p) {
        try (InputStream in = Files.newInputStream(p)) {
            return in.read(new byte[8]) == 8;
        } catch (IOException e) {
            return false;
        }
    }
}
