package dev.leakdx.facts;

/**
 * A hugetlb pool (one hstate) on one NUMA node, or on the whole host when node is "all":
 * from the {@code Node N hugepages_total=...} lines of dmesg/vmcore-dmesg, {@code kmem -h},
 * or /proc/meminfo's HugePages_* keys. Counts are huge pages, pageSize is bytes.
 */
public record HugePagePool(String node, long pageSize, long total, long free, long surplus, Provenance provenance) implements Fact {
    public long totalBytes() { return total * pageSize; }
    public long freeBytes() { return free * pageSize; }
    public long usedBytes() { return (total - free) * pageSize; }

    @Override public String describe() {
        return "hugetlb node " + node + ": total " + total + ", free " + free + " of " + Units.bytes(pageSize)
                + " = " + Units.bytes(totalBytes()) + " reserved, " + Units.bytes(freeBytes()) + " free";
    }
}
