package dev.leakdx.facts;

import java.math.BigInteger;
import java.util.Map;

/**
 * A {@code struct X ADDR} dump from crash, flattened: nested members become dotted paths
 * ({@code lru.next}, {@code _refcount.counter}); anonymous unions add no path element;
 * the first occurrence of a path wins (unions repeat names). Each member keeps its line
 * so a verdict can cite {@code va = 0x...} itself.
 */
public record KernelStruct(String type, long address, Map<String, String> members, Map<String, Long> memberLines,
                           Provenance provenance) implements Fact {

    public boolean has(String member) { return members.containsKey(member); }

    public String text(String member) { return members.getOrDefault(member, ""); }

    /**
     * A member as a number: decimal, 0x-hex, {@code true}/{@code false}, or a char
     * ({@code 34 '"'}). Unsigned 64-bit values above Long.MAX_VALUE wrap, as the kernel's
     * pointers do. Long.MIN_VALUE when absent or not numeric.
     */
    public long num(String member) {
        return parseNumber(members.get(member));
    }

    public static long parseNumber(String raw) {
        if (raw == null) return Long.MIN_VALUE;
        String v = raw.trim();
        int sp = v.indexOf(' ');
        if (sp > 0) v = v.substring(0, sp);
        if (v.endsWith(",")) v = v.substring(0, v.length() - 1);
        try {
            if (v.equals("true")) return 1;
            if (v.equals("false")) return 0;
            if (v.startsWith("0x") || v.startsWith("0X")) return Long.parseUnsignedLong(v.substring(2), 16);
            if (v.startsWith("-")) return Long.parseLong(v);
            return new BigInteger(v).longValue();
        } catch (NumberFormatException e) {
            return Long.MIN_VALUE;
        }
    }

    /** Provenance narrowed to the line of one member, for citations. */
    public Provenance cite(String member) {
        Long l = memberLines.get(member);
        return l == null ? provenance : provenance.lines(l, l);
    }

    @Override public String describe() {
        StringBuilder b = new StringBuilder("struct " + type + " at " + Units.hex(address));
        int n = 0;
        for (var e : members.entrySet()) {
            if (n++ == 6) { b.append(", ..."); break; }
            b.append(n == 1 ? ": " : ", ").append(e.getKey()).append(" = ").append(e.getValue());
        }
        return b.toString();
    }
}
