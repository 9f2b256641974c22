package dev.leakdx.facts;

/**
 * What one process maps, from the best capture of it: smaps_rollup, the sum of smaps, status
 * (VmRSS/RssAnon/RssFile/RssShmem) or statm. Bytes; -1 when the capture does not say. {@code pid}
 * is -1 for an smaps file pasted alone (smaps does not name its process).
 */
public record ProcessMemory(long pid, String comm, long rss, long anon, long anonHuge, long file, long shmem, String source,
                            Provenance provenance) implements Fact {
    @Override public String describe() {
        return (pid >= 0 ? "pid " + pid : "pid unknown") + " (" + (comm.isEmpty() ? "?" : comm) + ") " + source + ": RSS " + Units.bytes(Math.max(0, rss))
                + (anon >= 0 ? ", anon " + Units.bytes(anon) : "") + (anonHuge > 0 ? ", AnonHugePages " + Units.bytes(anonHuge) : "");
    }
}
