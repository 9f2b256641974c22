package dev.leakdx.rules;

import dev.leakdx.TestKnowledge;
import dev.leakdx.engine.RuleInfo;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The knowledge base's own contract: every rule has a stable @code, a @doc and a @family,
 * a unit test that names it, and its code on its family's page in knowledge-base-docs/.
 */
class RuleCatalogueTest {
    @Test void everyRuleHasCodeDocFamilyTestAndDocsPage() throws IOException {
        String tests = readAll(Path.of("core/src/test/java/dev/leakdx/rules"), ".java");
        List<String> problems = new ArrayList<>();
        for (RuleInfo r : TestKnowledge.diagnoser().knowledgeBase().rules().values()) {
            String who = "rule \"" + r.name() + "\" (" + r.file() + ")";
            if (r.code().isEmpty()) problems.add(who + " has no @code");
            else if (!r.code().matches("[A-Z][A-Z0-9_]+")) problems.add(who + " code " + r.code() + " is not UPPER_SNAKE");
            if (r.doc().length() < 20) problems.add(who + " has no real @doc");
            if (r.family().isEmpty()) problems.add(who + " has no @family");
            if (!tests.contains("\"" + r.name() + "\"")) problems.add(who + " is named by no test in core/src/test/java/dev/leakdx/rules");
            Path page = Path.of("knowledge-base-docs", r.family() + ".md");
            if (!Files.isRegularFile(page)) problems.add(who + ": no docs page " + page);
            else if (!Files.readString(page).contains(r.code())) problems.add(who + ": " + page + " does not mention " + r.code());
        }
        assertTrue(problems.isEmpty(), String.join("\n", problems));
    }

    static String readAll(Path dir, String suffix) throws IOException {
        StringBuilder b = new StringBuilder();
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.filter(p -> p.toString().endsWith(suffix)).toList()) b.append(Files.readString(p));
        }
        return b.toString();
    }
}
