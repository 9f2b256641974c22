package dev.leakdx.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The man pages picocli's generator writes from leakdx's model: one per command, every sub-command and option in them. */
class ManPageTest {
    private static List<CommandSpec> all(CommandSpec s, List<CommandSpec> out) {
        out.add(s);
        for (CommandLine sub : s.subcommands().values()) if (!out.contains(sub.getCommandSpec())) all(sub.getCommandSpec(), out);
        return out;
    }

    private static String section(String page, String name) {
        int a = page.indexOf("// tag::picocli-generated-man-section-" + name + "[]"), b = page.indexOf("// end::picocli-generated-man-section-" + name + "[]");
        assertTrue(a >= 0 && b > a, name + " section missing");
        return page.substring(a, b);
    }

    @Test
    void everyCommandHasAPageListingItsSubcommandsOptionsAndArguments(@TempDir Path dir) throws IOException {
        assertEquals(0, ManPages.write(dir.toFile()));
        List<CommandSpec> commands = all(ManPages.model().getCommandSpec(), new ArrayList<>());
        List<String> names = commands.stream().map(c -> c.qualifiedName("-")).toList();
        assertTrue(names.containsAll(List.of("leakdx", "leakdx-diagnose", "leakdx-capture", "leakdx-facts", "leakdx-rules", "leakdx-rules-list",
                "leakdx-rules-show", "leakdx-rules-test", "leakdx-formats", "leakdx-completion", "leakdx-help")), names.toString());
        try (Stream<Path> s = Files.list(dir)) {
            assertEquals(names.stream().map(n -> n + ".adoc").sorted().toList(), s.map(p -> p.getFileName().toString()).sorted().toList());
        }
        int options = 0;
        for (CommandSpec c : commands) {
            String page = Files.readString(dir.resolve(c.qualifiedName("-") + ".adoc"));
            assertTrue(page.contains(":doctype: manpage"), c.qualifiedName());
            assertTrue(page.contains("= " + c.qualifiedName("-") + "(1)"), c.qualifiedName());
            String opts = section(page, "options"), cmds = section(page, "commands"), args = section(page, "arguments");
            for (OptionSpec o : c.options()) {
                if (o.hidden()) continue;
                for (String n : o.names()) assertTrue(opts.contains("*" + n + "*"), c.qualifiedName() + " page lacks option " + n + ":\n" + opts);
                String firstLine = o.description().length == 0 ? "" : o.description()[0];
                assertTrue(opts.contains(firstLine.substring(0, Math.min(40, firstLine.length()))), c.qualifiedName() + " " + o.longestName() + " description");
                options++;
            }
            for (PositionalParamSpec p : c.positionalParameters())
                if (!p.hidden()) assertTrue(args.contains("_" + p.paramLabel().replaceAll("[<>]", "") + "_"), c.qualifiedName() + " lacks " + p.paramLabel() + ":\n" + args);
            for (String sub : c.subcommands().keySet())
                if (!c.subcommands().get(sub).getCommandSpec().usageMessage().hidden())
                    assertTrue(cmds.contains("[*" + sub + "*]::"), c.qualifiedName() + " page lacks sub-command " + sub + ":\n" + cmds);
        }
        assertTrue(options > 40, "options seen: " + options);
        String diagnose = Files.readString(dir.resolve("leakdx-diagnose.adoc"));
        assertTrue(diagnose.contains("*--redact*::"), diagnose);
        assertTrue(Files.readString(dir.resolve("leakdx-capture.adoc")).contains("*--drop-caches*::"));
    }

    @Test
    void theLauncherBuildsAndInstallsThePages() throws IOException {
        String pom = Files.readString(Path.of("core/pom.xml")), launcher = Files.readString(Path.of("leakdx"));
        assertTrue(pom.contains("<argument>dev.leakdx.cli.ManPages</argument>") && pom.contains("<id>man-pages</id>"), "the package phase writes target/man");
        assertTrue(launcher.contains("mvn -B -DskipTests -pl \"$module\" -am package"), "the launcher's build is mvn package of its module");
        assertTrue(launcher.contains("asciidoctor -b manpage"), "the launcher renders the pages when asciidoctor is there");
        assertTrue(launcher.contains("man/man1"), "into target/man/man1, where man -M finds them");
    }
}
