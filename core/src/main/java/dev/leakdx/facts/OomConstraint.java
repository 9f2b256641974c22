package dev.leakdx.facts;

/**
 * The one-line summary of an OOM kill (mm/oom_kill.c dump_oom_summary, 4.19+):
 * "oom-kill:constraint=CONSTRAINT_{NONE,CPUSET,MEMORY_POLICY,MEMCG},nodemask=...,cpuset=...,
 * mems_allowed=...,{global_oom|oom_memcg=PATH},task_memcg=PATH,task=COMM,pid=N,uid=N".
 * Parts a kernel configuration does not print (no cpusets, no memcg) are "". A memcg OOM
 * ({@code oomMemcg} set, constraint CONSTRAINT_MEMCG) is a limit being hit, not the host
 * running out of memory.
 */
public record OomConstraint(String constraint, String nodemask, String cpuset, String memsAllowed, boolean globalOom,
                            String oomMemcg, String taskMemcg, String task, long pid, long uid, Provenance provenance) implements Fact {

    public boolean memcgOom() { return !oomMemcg.isEmpty() || constraint.equals("CONSTRAINT_MEMCG"); }

    @Override public String describe() {
        return "oom-kill " + constraint + (globalOom ? " global_oom" : "") + (oomMemcg.isEmpty() ? "" : " oom_memcg=" + oomMemcg)
                + ": killed " + task + " (pid " + pid + ", uid " + uid + ")" + (taskMemcg.isEmpty() ? "" : " in " + taskMemcg);
    }
}
