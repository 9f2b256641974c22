package dev.leakdx.engine;

import dev.leakdx.facts.Fact;
import dev.leakdx.facts.Provenance;
import dev.leakdx.facts.Units;

import java.util.List;
import java.util.Locale;

/**
 * What a healthy host shows for one counter or population ({@code key}: "SUnreclaim", "slab
 * cache", "off-LRU population"...), read from {@code rules/norms.yaml} and inserted into every
 * session as a fact, so a verdict's trace cites the norm's line like any capture line.
 *
 * <p>{@code normal}: a healthy host stays at or under {@code base + share x RAM}; without RAM only
 * {@code withoutRam} (-1: no judgement without RAM). {@code ofPopulation}: for a member of a
 * population (one cache of all slab), the share of the whole a healthy member stays under (-1: not
 * used). {@code pages}: a count norm (pages of one population; -1: not used). Severity of a verdict
 * sized {@code bytes}: critical when it reaches {@code criticalShare x RAM} or {@code criticalBytes},
 * warning likewise, info below. {@code knee} (> 0): {@code share} applies to the first {@code knee}
 * bytes of RAM and {@code shareAbove} to the rest (the corpus's hosts above 16 GiB hold a smaller share).
 * {@code warnAbove} (> 0): with RAM known, a figure under that many times its norm is information whatever
 * the scale says (no healthy capture of the norms corpus is above 2x its norm, the ballooned VM aside).
 */
public record Norm(String key, String what, long base, double share, long withoutRam, double ofPopulation, long pages,
                   double warningShare, long warningBytes, double criticalShare, long criticalBytes, String status,
                   String derivation, List<String> sources, Provenance provenance, long knee, double shareAbove, double warnAbove) implements Fact {

    /** The most a healthy host of {@code ram} bytes shows; without RAM the without-RAM figure (-1: none). */
    public long limit(long ram) {
        if (ram <= 0) return withoutRam;
        if (knee <= 0 || ram <= knee) return base + (long) (share * ram);
        return base + (long) (share * knee) + (long) (shareAbove * (ram - knee));
    }

    /** Whether {@code value} is above the norm: over the limit for this RAM (never, when no limit applies). */
    public boolean exceeds(long value, long ram) {
        long l = limit(ram);
        return l >= 0 && value > l;
    }

    /** A member of a population is out of proportion: over {@code ofPopulation} of the whole and over the norm. */
    public boolean outOfProportion(long member, long whole, long ram) {
        return ofPopulation > 0 && whole > 0 && member > ofPopulation * whole && exceeds(member, ram);
    }

    /** A count above the pages norm. */
    public boolean exceedsPages(long count) {
        return pages >= 0 && count > pages;
    }

    /** info, warning or critical for a verdict of {@code bytes} on a host of {@code ram} bytes (ram <= 0: unknown, bytes alone). */
    public String severity(long bytes, long ram) {
        boolean byShare = ram > 0;
        if (warnAbove > 0 && byShare && bytes < warnAbove * limit(ram)) return "info";
        if (bytes >= criticalBytes || byShare && bytes >= criticalShare * ram) return "critical";
        if (bytes >= warningBytes || byShare && bytes >= warningShare * ram) return "warning";
        return "info";
    }

    /** "the norm for 7.75 GiB of RAM (64 MiB + 3% of RAM = 302 MiB; rules/norms.yaml:31, provisional)". */
    public String normText(long ram) {
        String formula = ram > 0 ? Units.bytes(base) + " + " + shareText() + " = " + Units.bytes(limit(ram))
                : withoutRam >= 0 ? Units.bytes(withoutRam) + " whatever the RAM (RAM unknown)" : "no figure without RAM";
        return "the " + key + " norm" + (ram > 0 ? " for " + Units.bytes(ram) + " of RAM" : "") + " (" + formula + "; "
                + provenance.cite() + ", " + status + ")";
    }

    /** "SUnreclaim 3 GiB is 10.2x the norm for ... ": which norm a figure exceeded, and by how much. */
    public String exceededText(String what, long value, long ram) {
        long l = limit(ram);
        double x = l > 0 ? value / (double) l : 0;
        String by = l > 0 ? String.format(Locale.ROOT, x < 10 ? "%.2fx" : "%.0fx", x) + " " : l == 0 ? "above " : "";
        return what + " " + Units.bytes(value) + " is " + (by.isEmpty() ? "judged against " : by) + normText(ram);
    }

    /** The severity scale in words, for the trace: "warning from 5% of RAM or 4 GiB, critical from 25% or 32 GiB". */
    public String scaleText() {
        return (warnAbove > 0 ? "information under " + String.format(Locale.ROOT, "%.1fx", warnAbove) + " the norm, then " : "")
                + "warning from " + pct(warningShare) + " of RAM or " + Units.bytes(warningBytes) + ", critical from "
                + (criticalShare >= 1 ? "never by share" : pct(criticalShare)) + " or " + Units.bytes(criticalBytes);
    }

    /** "3% of RAM", or "2.5% of the first 16 GiB of RAM + 1% of the rest". */
    String shareText() {
        return knee > 0 ? pct(share) + " of the first " + Units.bytes(knee) + " of RAM + " + pct(shareAbove) + " of the rest"
                : pct(share) + " of RAM";
    }

    static String pct(double f) {
        String s = String.format(Locale.ROOT, "%.2f", f * 100).replaceAll("0+$", "").replaceAll("\\.$", "");
        return s + "%";
    }

    @Override public String describe() {
        return "norm " + key + ": " + what + "; healthy at most " + (pages >= 0 ? Units.count(pages) + " pages"
                : Units.bytes(base) + " + " + shareText() + (withoutRam >= 0 ? " (" + Units.bytes(withoutRam) + " without RAM)" : ""))
                + (ofPopulation > 0 ? ", and under " + pct(ofPopulation) + " of its population" : "") + "; " + scaleText() + " [" + status + "]";
    }

    @Override public String toString() { return describe(); }
}
