package dev.leakdx.engine;

import java.util.Map;

/**
 * A rule's identity and metadata as an expert wrote them in DRL:
 * {@code @code(NIC_RX_RING_PAGES) @doc("...") @family(...)}. Values are normalised here
 * (quotes stripped, numbers parsed) because the classic and executable-model routes return
 * them differently (DROOLS-NOTES §4).
 */
public record RuleInfo(String name, String packageName, String file, String code, String doc, String family,
                       Map<String, Object> meta) {

    public static String text(Object v) {
        if (v == null) return "";
        String s = v.toString().strip();
        if (s.length() >= 2 && s.startsWith("\"") && s.endsWith("\"")) s = s.substring(1, s.length() - 1);
        return s;
    }

    public double number(String key, double dflt) {
        Object v = meta.get(key);
        if (v instanceof Number n) return n.doubleValue();
        try {
            return v == null ? dflt : Double.parseDouble(text(v));
        } catch (NumberFormatException e) {
            return dflt;
        }
    }
}
