package dev.leakdx.facts;

/**
 * One slab cache, from a /proc/slabinfo row (mm/slab_common.c cache_show, format 2.x; 1.1 on
 * 2.4 kernels) or a crash {@code kmem -s} row (KERNEL-NOTES §3). Counts are objects and slabs;
 * {@code objSize} is bytes (slabinfo: the object size with metadata, kmem -s: object_size).
 * What a source does not print is -1: slabinfo 1.1 has no objperslab, kmem -s has no
 * pages-per-slab or active slabs but gives the slab size in bytes ({@code slabBytes}, SSIZE),
 * so its footprint does not depend on the page size. {@code source} is "slabinfo" or "kmem -s".
 */
public record SlabCache(String name, long activeObjs, long numObjs, long objSize, long objPerSlab, long pagesPerSlab,
                        long activeSlabs, long numSlabs, String source, long slabBytes, Provenance provenance) implements Fact {

    /** The form without a slab size in bytes (slabinfo, where slabs are counted in pages). */
    public SlabCache(String name, long activeObjs, long numObjs, long objSize, long objPerSlab, long pagesPerSlab,
                     long activeSlabs, long numSlabs, String source, Provenance provenance) {
        this(name, activeObjs, numObjs, objSize, objPerSlab, pagesPerSlab, activeSlabs, numSlabs, source, -1, provenance);
    }

    /**
     * Memory the cache's slabs hold: num_slabs x pagesperslab x pageSize for slabinfo, SLABS x
     * SSIZE for kmem -s (pageSize is then not needed). -1 when neither can be computed.
     */
    public long bytes(long pageSize) {
        if (numSlabs < 0) return -1;
        if (slabBytes > 0) return numSlabs * slabBytes;
        if (pagesPerSlab > 0 && pageSize > 0) return numSlabs * pagesPerSlab * pageSize;
        return -1;
    }

    /** Bytes of the objects in use (active_objs x objsize): what the cache's users asked for. */
    public long activeObjBytes() { return activeObjs < 0 || objSize < 0 ? -1 : activeObjs * objSize; }

    @Override public String describe() {
        long b = bytes(-1);
        return "slab cache " + name + " (" + source + "): " + Units.count(activeObjs) + " of " + Units.count(numObjs) + " objects of "
                + Units.bytes(objSize) + " in " + Units.count(numSlabs) + " slabs"
                + (b >= 0 ? " = " + Units.bytes(b) : pagesPerSlab > 0 ? " of " + pagesPerSlab + " page(s)" : "")
                + (provenance.context().isEmpty() ? "" : " [" + provenance.context() + "]");
    }
}
