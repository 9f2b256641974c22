package dev.leakdx.facts;

/**
 * An OOM kill from the kernel log: "Out of memory: Killed process P (comm) total-vm:..kB,
 * anon-rss:..kB, file-rss:..kB, shmem-rss:..kB" (mm/oom_kill.c; the memcg variant starts
 * "Memory cgroup out of memory"). Sizes in bytes, -1 when the kernel did not print them.
 */
public record OomKill(long pid, String comm, boolean memcg, double time, long totalVm, long anonRss, long fileRss, long shmemRss,
                      Provenance provenance) implements Fact {
    public long rss() { return Math.max(0, anonRss) + Math.max(0, fileRss) + Math.max(0, shmemRss); }

    @Override public String describe() {
        if (totalVm < 0 && anonRss < 0 && fileRss < 0)
            return (memcg ? "memcg OOM" : "OOM") + " killed pid " + pid + " (" + comm + ")" + (time >= 0 ? " at " + time + " s" : "")
                    + ": sizes not printed (2.6 kernels, or a line cut short)";
        return (memcg ? "memcg OOM" : "OOM") + " killed pid " + pid + " (" + comm + ")" + (time >= 0 ? " at " + time + " s" : "")
                + ": anon-rss " + Units.bytes(Math.max(0, anonRss)) + ", file-rss " + Units.bytes(Math.max(0, fileRss))
                + ", shmem-rss " + Units.bytes(Math.max(0, shmemRss));
    }
}
