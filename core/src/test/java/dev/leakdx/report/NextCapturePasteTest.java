package dev.leakdx.report;

import dev.leakdx.TestKnowledge;
import dev.leakdx.capture.Capture;
import dev.leakdx.capture.CaptureOpener;
import dev.leakdx.engine.NextCapture;
import dev.leakdx.explain.Explainer;
import dev.leakdx.explain.Report;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every "capture next" command leakdx can print pastes as it is: a shell command passes
 * {@code bash -n}, a crash command is a crash command per line, and the only values to fill in
 * are upper-case {@code <PLACEHOLDERS>}, listed. The commands come from two places: the report of
 * every case folder, and the text of every {@code NextCapture.forHypothesis(...)} in the DRL
 * (the packed rules and the authoring example), with computed parts replaced by a sample value.
 */
class NextCapturePasteTest {
    /** The crash utility's commands a next capture may use (crash(8)). */
    static final Set<String> CRASH_COMMANDS = Set.of("kmem", "ptov", "search", "struct", "rd", "x", "vtop", "list", "bt", "ps", "log", "sym", "dis");

    record Cmd(String where, String command, String origin) {}

    @Test void everyCommandPastes(@TempDir Path tmp) throws Exception {
        List<Cmd> all = new ArrayList<>(fromDrl(Path.of("rules")));
        all.addAll(fromDrl(Path.of("core/src/test/resources/authoring-example/rules")));
        int fromDrl = all.size();
        assertTrue(fromDrl >= 40, "next captures found in the DRL: " + fromDrl);
        for (Map.Entry<String, Report> e : AllCases.reports().entrySet()) {
            Report r = e.getValue();
            for (Report.Verdict v : concat(r.verdicts(), r.considered()))
                for (Report.Next n : v.next()) {
                    all.add(new Cmd(n.where(), n.command(), e.getKey() + " " + v.code()));
                    assertEquals(NextCapture.placeholders(n.command()), n.placeholders(), "placeholders listed: " + n.command());
                }
        }
        assertTrue(all.size() > fromDrl + 10, "next captures printed by the cases: " + (all.size() - fromDrl));
        List<String> bad = new ArrayList<>();
        int shell = 0;
        for (Cmd c : all) {
            String filled = c.command().replaceAll("<[A-Z][A-Z0-9_]*>", "FILLED");
            if (filled.matches("(?s).*<[A-Za-z(].*")) bad.add(c.origin() + ": a placeholder not in <UPPER_CASE>: " + c.command());
            if (c.command().contains("crash:") || c.command().matches("(?s).*\\((?:boot|on|at|twice|nattch|cgroup|CONFIG)[^)]*\\).*"))
                bad.add(c.origin() + ": an explanation inside the command: " + c.command());
            if (c.where().equals(NextCapture.SHELL)) {
                shell++;
                String err = bashSyntax(tmp, filled);
                if (!err.isEmpty()) bad.add(c.origin() + ": bash -n: " + err + " in: " + c.command());
            } else {
                for (String line : filled.split("\n")) {
                    String first = line.strip().split("[\\s/]")[0];
                    if (!CRASH_COMMANDS.contains(first)) bad.add(c.origin() + ": not a crash command: " + line);
                    if (line.contains(";")) bad.add(c.origin() + ": crash runs one command per line: " + line);
                }
            }
        }
        assertTrue(shell > 30, "shell commands checked: " + shell);
        assertEquals(List.of(), bad);
    }

    private static List<Report.Verdict> concat(List<Report.Verdict> a, List<Report.Verdict> b) {
        List<Report.Verdict> out = new ArrayList<>(a);
        out.addAll(b);
        return out;
    }

    static String bashSyntax(Path tmp, String command) throws IOException, InterruptedException {
        Path f = Files.writeString(Files.createTempFile(tmp, "cmd", ".sh"), command + "\n");
        Process p = new ProcessBuilder("bash", "-n", f.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        return p.exitValue() == 0 ? "" : out.isEmpty() ? "exit " + p.exitValue() : out;
    }

    /** The (where, command) of every NextCapture.forHypothesis call in the .drl files of {@code dir}. */
    static List<Cmd> fromDrl(Path dir) throws IOException {
        List<Cmd> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.filter(p -> p.toString().endsWith(".drl")).sorted().toList()) {
                String text = Files.readString(f);
                for (int i = text.indexOf("NextCapture.forHypothesis("); i >= 0; i = text.indexOf("NextCapture.forHypothesis(", i + 1)) {
                    List<String> args = arguments(text, i + "NextCapture.forHypothesis(".length());
                    String where = NextCapture.SHELL;
                    int cmd = 1;
                    if (args.size() == 4) {
                        where = args.get(1).strip().equals("NextCapture.CRASH") ? NextCapture.CRASH : NextCapture.SHELL;
                        cmd = 2;
                    }
                    out.add(new Cmd(where, evaluate(args.get(cmd)), f.getFileName() + ":" + (text.substring(0, i).split("\n", -1).length)));
                }
            }
        }
        return out;
    }

    /** The top-level arguments of a call whose '(' ends just before {@code from}. */
    static List<String> arguments(String s, int from) {
        List<String> args = new ArrayList<>();
        int depth = 0, start = from;
        for (int i = from; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"') { i = endOfString(s, i); continue; }
            if (c == '(') depth++;
            else if (c == ')') {
                if (depth == 0) { args.add(s.substring(start, i)); return args; }
                depth--;
            } else if (c == ',' && depth == 0) { args.add(s.substring(start, i)); start = i + 1; }
        }
        throw new IllegalStateException("unclosed call at " + from);
    }

    private static int endOfString(String s, int open) {
        for (int i = open + 1; i < s.length(); i++) {
            if (s.charAt(i) == '\\') i++;
            else if (s.charAt(i) == '"') return i;
        }
        throw new IllegalStateException("unclosed string at " + open);
    }

    /** A concatenation of string literals and expressions; each expression stands for a sample value (an address). */
    static String evaluate(String expr) {
        StringBuilder b = new StringBuilder();
        Map<Character, String> escapes = new LinkedHashMap<>(Map.of('n', "\n", 't', "\t", '"', "\"", '\\', "\\", '\'', "'"));
        int depth = 0;
        boolean inExpr = false;
        for (int i = 0; i < expr.length(); i++) {
            char c = expr.charAt(i);
            if (c == '"' && depth == 0) {
                int end = endOfString(expr, i);
                for (int k = i + 1; k < end; k++) {
                    char x = expr.charAt(k);
                    if (x == '\\') b.append(escapes.getOrDefault(expr.charAt(++k), "?"));
                    else b.append(x);
                }
                i = end;
                inExpr = false;
            } else if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (depth == 0 && (c == '+' || Character.isWhitespace(c))) {
                inExpr = false;
            } else if (!inExpr && depth == 0) {
                b.append("ffff8ee2bff85408");
                inExpr = true;
            }
        }
        return b.toString();
    }
}
