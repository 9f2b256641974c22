package dev.leakdx.engine;

import dev.leakdx.facts.VmallocInfoEntry;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * /proc/vmallocinfo summed by caller, counting only RAM that vmalloc allocated: areas with
 * {@code pages=} (VM_ALLOC, mm/vmalloc.c show_numa_info/s_show). ioremap areas map device
 * memory (a GPU BAR, a PCI register window) and vmap / vm_map_ram areas map pages someone
 * else owns: they take address space, not RAM, and are left out (KERNEL-NOTES §6). Thread
 * stacks (CONFIG_VMAP_STACK) are vmalloc'd too but already counted in meminfo KernelStack, so
 * they are kept apart. Bytes are pages x PAGE_SIZE; without a page size, the area size less
 * nothing (it then includes the guard page and is said to be an upper bound by the caller).
 */
public final class VmallocCallers {
    private VmallocCallers() {}

    /** One caller's vmalloc'd RAM: its bytes, number of areas and its area on the earliest line. */
    public record Total(String caller, long bytes, int areas, VmallocInfoEntry first) {}

    public static long bytesOf(VmallocInfoEntry e, long pageSize) {
        return pageSize > 0 ? e.pages() * pageSize : e.size();
    }

    private static boolean isStack(VmallocInfoEntry e) {
        return ThreadSize.isStackCaller(e.callerFunction());
    }

    /** vmalloc'd RAM other than thread stacks, by caller, largest first. */
    public static List<Total> rank(Collection<?> entries, long pageSize) {
        Map<String, long[]> by = new LinkedHashMap<>();
        Map<String, VmallocInfoEntry> first = new HashMap<>();
        for (Object o : entries) {
            if (!(o instanceof VmallocInfoEntry e) || !e.ownsPages() || isStack(e)) continue;
            long[] t = by.computeIfAbsent(e.callerFunction(), k -> new long[2]);
            t[0] += bytesOf(e, pageSize);
            t[1]++;
            // the earliest line is cited, whatever order the engine hands the areas over in
            first.merge(e.callerFunction(), e, (a, b) -> b.provenance().firstLine() < a.provenance().firstLine() ? b : a);
        }
        List<Total> out = new ArrayList<>();
        by.forEach((k, v) -> out.add(new Total(k, v[0], (int) v[1], first.get(k))));
        out.sort(Comparator.comparingLong((Total t) -> -t.bytes()).thenComparing(Total::caller));
        return out;
    }

    /** All vmalloc'd RAM other than thread stacks. */
    public static long heldBytes(Collection<?> entries, long pageSize) {
        long b = 0;
        for (Total t : rank(entries, pageSize)) b += t.bytes();
        return b;
    }

    /** vmalloc'd thread stacks (counted in KernelStack already). */
    public static long stackBytes(Collection<?> entries, long pageSize) {
        long b = 0;
        for (Object o : entries) if (o instanceof VmallocInfoEntry e && e.ownsPages() && isStack(e)) b += bytesOf(e, pageSize);
        return b;
    }

    /** The commonest area size of the stack allocator, -1 if it has none: THREAD_SIZE + a guard page. */
    public static long stackAreaSize(Collection<?> entries) {
        Map<Long, Integer> n = new HashMap<>();
        for (Object o : entries) if (o instanceof VmallocInfoEntry e && e.ownsPages() && isStack(e)) n.merge(e.size(), 1, Integer::sum);
        return n.entrySet().stream().max(Map.Entry.<Long, Integer>comparingByValue().thenComparing(Map.Entry.comparingByKey()))
                .map(Map.Entry::getKey).orElse(-1L);
    }

    /** Address space that maps device memory, not RAM: the ioremap areas' sizes. */
    public static long ioremapBytes(Collection<?> entries) {
        long b = 0;
        for (Object o : entries) if (o instanceof VmallocInfoEntry e && e.kind().equals("ioremap")) b += e.size();
        return b;
    }

    public static int ioremapAreas(Collection<?> entries) {
        int n = 0;
        for (Object o : entries) if (o instanceof VmallocInfoEntry e && e.kind().equals("ioremap")) n++;
        return n;
    }
    /**
     * What each caller gained between two snapshots of /proc/vmallocinfo (its vmalloc'd RAM and its
     * number of areas now less then), the caller that gained most first; callers that did not grow
     * are left out. Baselines first: the caller whose areas appeared since the earlier snapshot is
     * the one to name, whatever its share of the whole.
     */
    public static List<Total> grown(Collection<?> before, Collection<?> now, long pageSize) {
        Map<String, Total> then = new HashMap<>();
        for (Total t : rank(before, pageSize)) then.put(t.caller(), t);
        List<Total> out = new ArrayList<>();
        for (Total t : rank(now, pageSize)) {
            Total b = then.get(t.caller());
            long bytes = t.bytes() - (b == null ? 0 : b.bytes());
            if (bytes > 0) out.add(new Total(t.caller(), bytes, t.areas() - (b == null ? 0 : b.areas()), t.first()));
        }
        out.sort(Comparator.comparingLong((Total t) -> -t.bytes()).thenComparing(Total::caller));
        return out;
    }
    /** The bytes of the callers named {@code function} (a module's too) in a {@link #rank} or {@link #grown} list; 0 when absent. */
    public static long callerBytes(List<Total> totals, String function) {
        long b = 0;
        for (Total t : totals) if (t.caller().equals(function) || t.caller().startsWith(function + " ")) b += t.bytes();
        return b;
    }

    /** The pages of the per-CPU allocator's chunk metadata (pcpu_create_chunk areas) in one vmallocinfo. */
    public static long percpuMetadataBytes(Collection<?> entries, long pageSize) {
        return callerBytes(rank(entries, pageSize), "pcpu_create_chunk");
    }
}
