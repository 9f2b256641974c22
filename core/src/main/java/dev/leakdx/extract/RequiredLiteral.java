package dev.leakdx.extract;

/**
 * The longest run of plain text that every match of a regular expression must contain, found by
 * reading the pattern's top level (no alternation there, nothing inside groups or classes, no
 * optional characters). Extractor rules test it with {@code indexOf} before running the regex:
 * in a dmesg of 10,000 lines most rules match almost none, and a failed {@code find()} tries the
 * pattern at every position of the line (the batch profile in knowledge-base-docs/performance.md
 * put 42% of a small diagnose there). Returns null when no run of at least {@link #MIN} characters
 * is certain, which only means no shortcut: the regex still decides.
 */
final class RequiredLiteral {
    static final int MIN = 3;

    private RequiredLiteral() {}

    static String of(String regex) {
        // flags such as (?i) or (?x) change what a literal means; a top-level | makes every run optional
        if (regex.contains("(?i") || regex.contains("(?x") || regex.contains("(?u") || regex.contains("(?U")
                || regex.contains("\\Q") || regex.contains("(?-")) return null;
        String best = null;
        StringBuilder run = new StringBuilder();
        int depth = 0;
        int i = 0, n = regex.length();
        while (i < n) {
            char c = regex.charAt(i);
            if (c == '\\') {
                if (i + 1 >= n) return null;
                char e = regex.charAt(i + 1);
                i += 2;
                if (depth > 0) continue;
                // escaped punctuation is that character; letters and digits are classes, anchors or references
                if (!Character.isLetterOrDigit(e)) {
                    i = appendLiteral(regex, i, e, run);
                    if (i < 0) return null;
                    if (i >= n || !isQuantifierStart(regex.charAt(i))) continue;
                }
                best = longer(best, run);
                run.setLength(0);
                // escapes whose argument follows: \p{..}, \x41 or \x{..}, \u0041, \0ooo, \cX, \k<name>
                if (e == 'p' || e == 'P') i = skipBraces(regex, i);
                else if (e == 'x') i = i < n && regex.charAt(i) == '{' ? skipBraces(regex, i) : Math.min(n, i + 2);
                else if (e == 'u') i = Math.min(n, i + 4);
                else if (e == '0') { int k = 0; while (i < n && k < 3 && regex.charAt(i) >= '0' && regex.charAt(i) <= '7') { i++; k++; } }
                else if (e == 'c') i = Math.min(n, i + 1);
                else if (e == 'k') { int end = regex.indexOf('>', i); i = end < 0 ? n : end + 1; }
                continue;
            }
            if (c == '[') {
                i = skipClass(regex, i);
                if (i < 0) return null;
                if (depth == 0) { best = longer(best, run); run.setLength(0); }
                continue;
            }
            if (c == '(') { if (depth == 0) { best = longer(best, run); run.setLength(0); } depth++; i++; continue; }
            if (c == ')') { depth--; i++; if (depth < 0) return null; continue; }
            if (c == '|' && depth == 0) return null;
            if (depth > 0) { i++; continue; }
            if (c == '.' || c == '^' || c == '$') { best = longer(best, run); run.setLength(0); i++; continue; }
            if (isQuantifierStart(c)) {
                // a quantifier after a group or class: nothing to take back from the run
                best = longer(best, run); run.setLength(0);
                i = skipQuantifier(regex, i);
                continue;
            }
            i = appendLiteral(regex, i + 1, c, run);
            if (i < 0) return null;
        }
        if (depth != 0) return null;
        best = longer(best, run);
        return best;
    }

    /** Adds literal {@code c} (already consumed up to {@code next}); a quantifier after it decides whether it is certain. */
    private static int appendLiteral(String re, int next, char c, StringBuilder run) {
        if (next < re.length() && isQuantifierStart(re.charAt(next))) {
            char q = re.charAt(next);
            boolean atLeastOne = q == '+' || (q == '{' && !re.startsWith("{0", next));
            if (atLeastOne) run.append(c);
            // the run cannot go on across a repeated character: after "ab+" comes "b" or more "b"s
            return next; // caller ends the run at the quantifier
        }
        run.append(c);
        return next;
    }

    private static boolean isQuantifierStart(char c) { return c == '?' || c == '*' || c == '+' || c == '{'; }

    private static int skipQuantifier(String re, int i) {
        char c = re.charAt(i);
        if (c == '{') {
            int end = re.indexOf('}', i);
            i = end < 0 ? re.length() : end + 1;
        } else {
            i++;
        }
        if (i < re.length() && (re.charAt(i) == '?' || re.charAt(i) == '+')) i++; // lazy or possessive
        return i;
    }

    private static int skipBraces(String re, int i) {
        if (i < re.length() && re.charAt(i) == '{') {
            int end = re.indexOf('}', i);
            return end < 0 ? re.length() : end + 1;
        }
        return i + 1 <= re.length() ? i + 1 : i;
    }

    /** Index after the character class starting at {@code i}; -1 when it does not close. */
    private static int skipClass(String re, int i) {
        int depth = 0;
        int j = i;
        while (j < re.length()) {
            char c = re.charAt(j);
            if (c == '\\') { j += 2; continue; }
            if (c == '[') depth++;
            else if (c == ']' && j > i + 1 && !(j == i + 2 && re.charAt(i + 1) == '^')) {
                if (--depth == 0) return j + 1;
            }
            j++;
        }
        return -1;
    }

    private static String longer(String best, StringBuilder run) {
        if (run.length() < MIN) return best;
        return best == null || run.length() > best.length() ? run.toString() : best;
    }
}
