package dev.leakdx.facts;

/**
 * One zone of /proc/zoneinfo (mm/vmstat.c zoneinfo_show_print): the free page count and the
 * watermarks of "Node N, zone NAME", in pages. -1 for a value the block did not contain
 * (cut short). present - managed is what the zone lost to boot-time reservations
 * (memblock, crashkernel, mem_map itself).
 */
public record ZoneInfo(int node, String zone, long free, long min, long low, long high, long present, long managed,
                       Provenance provenance) implements Fact {

    public boolean populated() { return present > 0; }

    /** Pages present but never given to the buddy allocator, or -1 when unknown. */
    public long reserved() { return present < 0 || managed < 0 ? -1 : present - managed; }

    public boolean belowMin() { return free >= 0 && min > 0 && free < min; }

    public boolean belowLow() { return free >= 0 && low > 0 && free < low; }

    @Override public String describe() {
        return "zone node " + node + " " + zone + ": free " + Units.count(free) + " pages, min/low/high " + min + "/" + low + "/" + high
                + ", present " + Units.count(present) + ", managed " + Units.count(managed)
                + (provenance.context().isEmpty() ? "" : " [" + provenance.context() + "]");
    }
}
