package dev.leakdx.facts;

/**
 * A counter that is not an amount of memory: a /proc/vmstat event count (oom_kill,
 * thp_split_page_failed, pgmigrate_fail), or a count of huge pages (nr_anon_transparent_hugepages
 * counts THPs, not pages: mm/vmstat.c divides it by HPAGE_PMD_NR for the ABI).
 */
public record EventCounter(String source, String name, long value, Provenance provenance) implements Fact {
    public String host() { return provenance.host(); }
    public String snapshot() { return provenance.snapshot(); }

    @Override public String describe() {
        return source + " " + name + " = " + Units.count(value) + (provenance.context().isEmpty() ? "" : " [" + provenance.context() + "]");
    }
}
