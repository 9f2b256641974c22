package dev.leakdx.facts;

/**
 * The first line of an OOM report (mm/oom_kill.c dump_header): "COMM invoked oom-killer:
 * gfp_mask=%#x(%pGg), [nodemask=..., ]order=%d, oom_score_adj=%hd". {@code gfpFlags} is the
 * decoded flag list when the kernel printed one (4.10+), else ""; {@code order} is -1 for a
 * sysrq-f or memcg OOM that did not come from an allocation; {@code oomScoreAdj} is
 * Integer.MIN_VALUE when not printed (2.6 kernels printed oomkilladj); {@code time} the
 * printk seconds or -1.
 */
public record OomTrigger(String process, long gfpMask, String gfpFlags, int order, int oomScoreAdj, double time,
                         Provenance provenance) implements Fact {
    public static final int NO_ADJ = Integer.MIN_VALUE;

    public boolean hasGfpFlag(String flag) {
        for (String f : gfpFlags.split("\\|")) if (f.strip().equals(flag)) return true;
        return false;
    }

    @Override public String describe() {
        return process + " invoked oom-killer" + (time >= 0 ? " at " + time + " s" : "") + ": gfp_mask " + Units.hex(gfpMask)
                + (gfpFlags.isEmpty() ? "" : "(" + gfpFlags + ")") + ", order " + order
                + (oomScoreAdj == NO_ADJ ? "" : ", oom_score_adj " + oomScoreAdj);
    }
}
