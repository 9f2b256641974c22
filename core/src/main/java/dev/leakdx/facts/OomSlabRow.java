package dev.leakdx.facts;

/**
 * One row of an OOM report's "Unreclaimable slab info:" table (mm/slab_common.c
 * dump_unreclaimable_slab, 4.15+): "%-17s %10luKB %10luKB" = cache name, active_objs x size and
 * num_objs x size, here in bytes (the kernel rounds each down to a KiB). Printed only on a
 * global OOM when unreclaimable slab exceeds all LRU pages (KERNEL-NOTES §5).
 */
public record OomSlabRow(String name, long usedBytes, long totalBytes, Provenance provenance) implements Fact {
    @Override public String describe() {
        return "OOM unreclaimable slab " + name + ": " + Units.bytes(usedBytes) + " used of " + Units.bytes(totalBytes);
    }
}
