package dev.leakdx.capture;

import java.util.ArrayList;
import java.util.List;

/**
 * A glob matched in time proportional to (name length x glob length), whatever the glob. The JDK's
 * {@code glob:} PathMatcher turns a glob into a backtracking regular expression, and a glob from a
 * capture's own {@code case.yaml} such as {@code *a*a*a*a*a*ab} against a 200-character name
 * never finishes. Here the glob is a list of tokens run as a set of states over the name, one
 * character at a time, with no backtracking.
 *
 * <p>Syntax, as the JDK's: {@code *} any characters but '/', {@code **} any characters, {@code ?}
 * one character but '/', {@code [abc]} {@code [a-z]} {@code [!a-z]} one of (or none of) a class,
 * {@code {a,b}} alternatives (nested too, at most {@link #MAX_ALTERNATIVES} in all), {@code \x} x itself.
 */
public final class SafeGlob {
    /** Brace alternatives a glob may expand to. */
    static final int MAX_ALTERNATIVES = 256;
    /** Characters of a glob. */
    static final int MAX_LENGTH = 1024;

    private enum Kind { CHAR, ANY, CLASS, STAR, GLOBSTAR }

    private record Token(Kind kind, char c, String set, boolean negate) {
        boolean accepts(char x) {
            return switch (kind) {
                case CHAR -> x == c;
                case ANY -> x != '/';
                case CLASS -> x != '/' && inSet(x) != negate;
                default -> false;
            };
        }

        private boolean inSet(char x) {
            for (int i = 0; i < set.length(); i++) {
                if (i + 2 < set.length() && set.charAt(i + 1) == '-') {
                    if (x >= set.charAt(i) && x <= set.charAt(i + 2)) return true;
                    i += 2;
                } else if (set.charAt(i) == x) return true;
            }
            return false;
        }
    }

    private final String glob;
    private final List<List<Token>> alternatives;

    private SafeGlob(String glob, List<List<Token>> alternatives) {
        this.glob = glob;
        this.alternatives = alternatives;
    }

    /** @throws IllegalArgumentException naming the fault and its position (an unclosed '[' or '{', a trailing '\'). */
    public static SafeGlob compile(String glob) {
        if (glob.length() > MAX_LENGTH) throw new IllegalArgumentException("glob longer than " + MAX_LENGTH + " characters");
        List<String> expanded = expand(glob);
        List<List<Token>> alts = new ArrayList<>();
        for (String g : expanded) alts.add(tokens(g, glob));
        return new SafeGlob(glob, alts);
    }

    public String glob() { return glob; }

    /** True when the whole of {@code name} ('/'-separated) matches. */
    public boolean matches(String name) {
        for (List<Token> t : alternatives) if (run(t, name)) return true;
        return false;
    }

    private static boolean run(List<Token> t, String s) {
        int m = t.size();
        boolean[] cur = new boolean[m + 1], next = new boolean[m + 1];
        cur[0] = true;
        close(t, cur);
        for (int k = 0; k < s.length(); k++) {
            char x = s.charAt(k);
            java.util.Arrays.fill(next, false);
            boolean any = false;
            for (int i = 0; i < m; i++) {
                if (!cur[i]) continue;
                Token tok = t.get(i);
                if (tok.kind == Kind.GLOBSTAR || (tok.kind == Kind.STAR && x != '/')) {
                    next[i] = true;
                    any = true;
                } else if (tok.accepts(x)) {
                    next[i + 1] = true;
                    any = true;
                }
            }
            if (!any) return false;
            close(t, next);
            boolean[] swap = cur;
            cur = next;
            next = swap;
        }
        return cur[m];
    }

    /** A star may match nothing: the state after it is active too. */
    private static void close(List<Token> t, boolean[] states) {
        for (int i = 0; i < t.size(); i++)
            if (states[i] && (t.get(i).kind == Kind.STAR || t.get(i).kind == Kind.GLOBSTAR)) states[i + 1] = true;
    }

    private static List<Token> tokens(String g, String original) {
        List<Token> out = new ArrayList<>();
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            switch (c) {
                case '\\' -> {
                    if (i + 1 >= g.length()) throw new IllegalArgumentException("glob '" + original + "' ends with a lone '\\'");
                    out.add(new Token(Kind.CHAR, g.charAt(++i), null, false));
                }
                case '?' -> out.add(new Token(Kind.ANY, c, null, false));
                case '*' -> {
                    boolean dbl = i + 1 < g.length() && g.charAt(i + 1) == '*';
                    while (i + 1 < g.length() && g.charAt(i + 1) == '*') i++;
                    Kind k = dbl ? Kind.GLOBSTAR : Kind.STAR;
                    // consecutive stars are one star: keeps the state list short
                    if (!out.isEmpty() && (out.get(out.size() - 1).kind == Kind.STAR || out.get(out.size() - 1).kind == Kind.GLOBSTAR)) {
                        if (k == Kind.GLOBSTAR) out.set(out.size() - 1, new Token(Kind.GLOBSTAR, c, null, false));
                    } else out.add(new Token(k, c, null, false));
                }
                case '[' -> {
                    int end = g.indexOf(']', i + 2);
                    if (end < 0) throw new IllegalArgumentException("glob '" + original + "': '[' at " + (original.indexOf('[') + 1) + " is never closed");
                    boolean neg = g.charAt(i + 1) == '!' || g.charAt(i + 1) == '^';
                    String set = g.substring(neg ? i + 2 : i + 1, end);
                    if (neg && set.isEmpty()) {
                        end = g.indexOf(']', end + 1);
                        if (end < 0) throw new IllegalArgumentException("glob '" + original + "': '[' is never closed");
                        set = g.substring(i + 2, end);
                    }
                    out.add(new Token(Kind.CLASS, c, set, neg));
                    i = end;
                }
                default -> out.add(new Token(Kind.CHAR, c, null, false));
            }
        }
        return out;
    }

    /** Expands {a,b} groups (nested ones too) into plain globs; escapes are kept for {@link #tokens}. */
    static List<String> expand(String g) {
        int open = -1, depth = 0;
        for (int i = 0; i < g.length(); i++) {
            char c = g.charAt(i);
            if (c == '\\') { i++; continue; }
            if (c == '[') {
                int end = g.indexOf(']', i + 2);
                if (end > 0) { i = end; continue; }
            }
            if (c == '{') {
                if (depth++ == 0) open = i;
            } else if (c == '}' && depth > 0 && --depth == 0) {
                List<String> parts = split(g.substring(open + 1, i));
                List<String> out = new ArrayList<>();
                String head = g.substring(0, open), tail = g.substring(i + 1);
                for (String p : parts) {
                    for (String e : expand(head + p + tail)) {
                        out.add(e);
                        if (out.size() > MAX_ALTERNATIVES)
                            throw new IllegalArgumentException("glob '" + g + "' expands to more than " + MAX_ALTERNATIVES + " alternatives");
                    }
                }
                return out;
            }
        }
        if (depth > 0) throw new IllegalArgumentException("glob '" + g + "': '{' at " + (open + 1) + " is never closed");
        return List.of(g);
    }

    /** "a,{b,c},d" -> [a, {b,c}, d]: commas at the top level only. */
    private static List<String> split(String s) {
        List<String> out = new ArrayList<>();
        int depth = 0, from = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\') { i++; continue; }
            if (c == '{') depth++;
            else if (c == '}') depth--;
            else if (c == ',' && depth == 0) {
                out.add(s.substring(from, i));
                from = i + 1;
            }
        }
        out.add(s.substring(from));
        return out;
    }

    @Override public String toString() { return glob; }
}
