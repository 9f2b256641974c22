package dev.leakdx.authoring;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One rule as written in a DRL file: its name, the line it starts on, and its left-hand side cut
 * into top-level conditional elements (patterns, {@code not}, {@code exists}, {@code eval},
 * {@code accumulate}, {@code ... from ...}), each with its line. Plain patterns are further cut
 * into their comma-separated constraints. Read from the source text rather than from the
 * compiled rule because the near-miss probe rebuilds prefixes of the rule as DRL, and the
 * expert wants to see the text they wrote, with its line.
 */
public record DrlRuleText(String name, String file, int line, String packageName, List<String> imports, List<Element> lhs) {

    /**
     * A top-level element of the {@code when} part. {@code type} and {@code constraints} are set
     * for a plain pattern ({@code [$x :] [not|exists] Type(c1, c2, ...)} with nothing after it),
     * else {@code type} is empty; {@code binding} is the pattern's own variable or "".
     */
    public record Element(String text, int line, String binding, String modifier, String type, List<String> constraints) {
        public boolean isPlainPattern() { return !type.isEmpty(); }

        /** The pattern with only its first {@code n} constraints, bound to {@code var}, without not/exists. */
        public String withConstraints(int n, String var) {
            return var + " : " + type + "(" + String.join(", ", constraints.subList(0, n)) + ")";
        }

        /** Whitespace folded, for one-line display. */
        public String oneLine() { return text.replaceAll("\\s+", " ").strip(); }
    }

    private static final Pattern RULE = Pattern.compile("(?m)^[ \\t]*rule\\s+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|(\\S+))");
    static final Pattern WHEN = Pattern.compile("(?m)^[ \\t]*when\\b");
    private static final Pattern THEN = Pattern.compile("(?m)^[ \\t]*then\\b");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)");
    private static final Pattern IMPORT = Pattern.compile("(?m)^\\s*import\\s+[^;\\n]+;?");
    private static final Pattern PLAIN = Pattern.compile("(?s)^(?:(\\$\\w+)\\s*:\\s*)?(?:(not|exists)\\s+)?([A-Za-z_][\\w.]*)\\s*\\(");
    private static final Pattern CONTINUES = Pattern.compile("^(?:(?:from|over|or|and)\\b|\\|\\||&&|\\.|,).*", Pattern.DOTALL);
    private static final java.util.Set<String> KEYWORDS = java.util.Set.of("accumulate", "collect", "eval", "forall", "exists", "not", "from", "or", "and");

    /** Every rule block of a DRL file, in file order. */
    public static List<DrlRuleText> parse(String file, String text) {
        String clean = blankComments(text);
        Matcher pm = PACKAGE.matcher(clean);
        String pkg = pm.find() ? pm.group(1) : "";
        List<String> imports = new ArrayList<>();
        Matcher im = IMPORT.matcher(clean);
        while (im.find()) imports.add(im.group().strip().endsWith(";") ? im.group().strip() : im.group().strip() + ";");
        List<DrlRuleText> out = new ArrayList<>();
        Matcher rm = RULE.matcher(clean);
        List<int[]> starts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        while (rm.find()) {
            starts.add(new int[] {rm.start(), rm.end()});
            names.add(rm.group(1) != null ? rm.group(1) : rm.group(2) != null ? rm.group(2) : rm.group(3));
        }
        for (int i = 0; i < starts.size(); i++) {
            int from = starts.get(i)[1], to = i + 1 < starts.size() ? starts.get(i + 1)[0] : clean.length();
            Matcher w = WHEN.matcher(clean).region(from, to);
            if (!w.find()) continue;
            Matcher t = THEN.matcher(clean).region(w.end(), to);
            int lhsEnd = t.find() ? t.start() : to;
            out.add(new DrlRuleText(names.get(i), file, lineAt(clean, starts.get(i)[0]), pkg, List.copyOf(imports),
                    elements(clean, w.end(), lhsEnd)));
        }
        return out;
    }

    public static Optional<DrlRuleText> find(String file, String text, String ruleName) {
        return parse(file, text).stream().filter(r -> r.name().equals(ruleName)).findFirst();
    }

    /** Cuts [from, to) of the comment-free text at top-level element boundaries. */
    private static List<Element> elements(String s, int from, int to) {
        List<Element> out = new ArrayList<>();
        int depth = 0, start = -1;
        boolean inString = false;
        char quote = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (inString) {
                if (c == '\\') i++;
                else if (c == quote) inString = false;
                continue;
            }
            if (start < 0 && !Character.isWhitespace(c)) start = i;
            if (c == '"' || c == '\'') { inString = true; quote = c; }
            else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            else if (c == '\n' && depth <= 0 && start >= 0) {
                String sofar = s.substring(start, i).strip();
                String next = nextLine(s, i + 1, to);
                if (complete(sofar) && (next.isEmpty() || !CONTINUES.matcher(next).matches())) {
                    out.add(element(s, start, i));
                    start = -1;
                }
            }
        }
        if (start >= 0 && !s.substring(start, to).isBlank()) out.add(element(s, start, to));
        return out;
    }

    private static boolean complete(String sofar) {
        if (sofar.isEmpty()) return false;
        if (sofar.endsWith(":") || sofar.endsWith("||") || sofar.endsWith("&&") || sofar.endsWith(",")) return false;
        String last = sofar.replaceAll("(?s).*?([\\w$]+)$", "$1");
        return !KEYWORDS.contains(last) || sofar.endsWith(")");
    }

    private static String nextLine(String s, int from, int to) {
        for (int i = from; i < to; ) {
            int nl = s.indexOf('\n', i);
            int end = nl < 0 || nl > to ? to : nl;
            String line = s.substring(i, end).strip();
            if (!line.isEmpty()) return line;
            i = end + 1;
        }
        return "";
    }

    private static Element element(String s, int start, int end) {
        String text = s.substring(start, end).strip();
        int line = lineAt(s, start);
        Matcher m = PLAIN.matcher(text);
        if (m.find() && !KEYWORDS.contains(m.group(3))) {
            int open = m.end() - 1, close = matching(text, open);
            if (close == text.length() - 1) {
                return new Element(text, line, m.group(1) == null ? "" : m.group(1), m.group(2) == null ? "" : m.group(2), m.group(3),
                        splitTopLevel(text.substring(open + 1, close)));
            }
        }
        String binding = text.matches("(?s)^\\$\\w+\\s*:.*") ? text.substring(0, text.indexOf(':')).strip() : "";
        return new Element(text, line, binding, "", "", List.of());
    }

    private static int matching(String t, int open) {
        int depth = 0;
        for (int i = open; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"' || c == '\'') {
                for (i++; i < t.length() && t.charAt(i) != c; i++) if (t.charAt(i) == '\\') i++;
            } else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') { if (--depth == 0) return i; }
        }
        return -1;
    }

    static List<String> splitTopLevel(String inner) {
        List<String> out = new ArrayList<>();
        int depth = 0, from = 0;
        for (int i = 0; i < inner.length(); i++) {
            char c = inner.charAt(i);
            if (c == '"' || c == '\'') {
                for (i++; i < inner.length() && inner.charAt(i) != c; i++) if (inner.charAt(i) == '\\') i++;
            } else if (c == '(' || c == '[' || c == '{') depth++;
            else if (c == ')' || c == ']' || c == '}') depth--;
            else if (c == ',' && depth == 0) {
                out.add(inner.substring(from, i).replaceAll("\\s+", " ").strip());
                from = i + 1;
            }
        }
        String last = inner.substring(from).replaceAll("\\s+", " ").strip();
        if (!last.isEmpty()) out.add(last);
        return List.copyOf(out);
    }

    /** Comments replaced by spaces (newlines kept) so offsets and line numbers stay those of the file. */
    static String blankComments(String t) {
        StringBuilder b = new StringBuilder(t);
        for (int i = 0; i < t.length(); i++) {
            char c = t.charAt(i);
            if (c == '"' || c == '\'') {
                for (i++; i < t.length() && t.charAt(i) != c && t.charAt(i) != '\n'; i++) if (t.charAt(i) == '\\') i++;
            } else if (c == '/' && i + 1 < t.length() && t.charAt(i + 1) == '/') {
                while (i < t.length() && t.charAt(i) != '\n') b.setCharAt(i++, ' ');
            } else if (c == '/' && i + 1 < t.length() && t.charAt(i + 1) == '*') {
                int end = t.indexOf("*/", i + 2);
                end = end < 0 ? t.length() : end + 2;
                for (; i < end; i++) if (t.charAt(i) != '\n') b.setCharAt(i, ' ');
                i--;
            }
        }
        return b.toString();
    }

    static int lineAt(String s, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < s.length(); i++) if (s.charAt(i) == '\n') line++;
        return line;
    }
}
