package dev.leakdx.engine;

import dev.leakdx.extract.ResourceFolder;
import org.kie.api.KieBase;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The compiled rule set: the DRL files of {@code rules/} (or a folder the user names) built
 * once into a KieBase through the classic DRL route. Compile errors are turned into
 * {@code rules/x.drl:line:col: message}, the form an editor jumps to.
 */
public final class KnowledgeBase {
    private static final Pattern PACKAGE = Pattern.compile("(?m)^\\s*package\\s+([\\w.]+)\\s*;?");
    private static final Pattern LINE_COL = Pattern.compile("Line:? (\\d+)(?::|, Column:) ?(\\d+)");

    /** A DRL file that does not compile; each error already says file:line:col. */
    public static final class RuleCompileException extends Exception {
        private final List<String> errors;

        RuleCompileException(List<String> errors) {
            super(String.join("\n", errors));
            this.errors = List.copyOf(errors);
        }

        public List<String> errors() { return errors; }
    }

    private final KieBase kieBase;
    private final Map<String, RuleInfo> rules;

    private KnowledgeBase(KieBase kieBase, Map<String, RuleInfo> rules) {
        this.kieBase = kieBase;
        this.rules = rules;
    }

    public static KnowledgeBase load(Path rulesDir) throws IOException, RuleCompileException {
        return build(ResourceFolder.read(rulesDir, "rules", ".drl"));
    }

    public static KnowledgeBase build(List<ResourceFolder.Item> drls) throws RuleCompileException {
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        Map<String, String> originOf = new HashMap<>();
        Map<String, String> fileOfPackageRule = new HashMap<>();
        for (ResourceFolder.Item item : drls) {
            Matcher m = PACKAGE.matcher(item.text());
            String pkg = m.find() ? m.group(1) : "";
            // Writing under the package's folder keeps Drools from warning that the file is in the wrong folder.
            String path = "src/main/resources/" + pkg.replace('.', '/') + (pkg.isEmpty() ? "" : "/") + item.name().replace('/', '_');
            kfs.write(path, item.text());
            originOf.put(path, item.origin());
            originOf.put(path.substring("src/main/resources/".length()), item.origin());
        }
        KieBuilder builder = ks.newKieBuilder(kfs).buildAll();
        List<String> errors = new ArrayList<>();
        for (Message msg : builder.getResults().getMessages(Message.Level.ERROR)) {
            String text = msg.getText() == null ? "" : msg.getText().strip();
            if (text.startsWith("Parser returned a null Package")) continue;
            String file = originOf.getOrDefault(msg.getPath(), msg.getPath() == null ? "rules" : msg.getPath());
            int line = msg.getLine(), col = msg.getColumn();
            Matcher lc = LINE_COL.matcher(text);
            if (lc.find()) {
                line = Integer.parseInt(lc.group(1));
                col = Integer.parseInt(lc.group(2));
            }
            errors.add(file + ":" + Math.max(line, 0) + ":" + Math.max(col, 0) + ": " + text.replaceAll("\\s+", " "));
        }
        if (!errors.isEmpty()) throw new RuleCompileException(errors);
        KieContainer kc = ks.newKieContainer(ks.getRepository().getDefaultReleaseId());
        KieBase kb = kc.getKieBase();
        Map<String, RuleInfo> infos = new LinkedHashMap<>();
        for (KiePackage p : kb.getKiePackages()) {
            for (Rule r : p.getRules()) {
                Map<String, Object> meta = new LinkedHashMap<>(r.getMetaData());
                String file = "";
                // Rule resources are named by their kfs path; map back to the file the expert edits.
                try {
                    Object res = r.getClass().getMethod("getResource").invoke(r);
                    if (res != null) {
                        Object src = res.getClass().getMethod("getSourcePath").invoke(res);
                        if (src != null) file = originOf.getOrDefault(src.toString(), src.toString());
                    }
                } catch (ReflectiveOperationException ignored) {
                    // metadata still usable without the file name
                }
                infos.put(r.getName(), new RuleInfo(r.getName(), p.getName(), file, RuleInfo.text(meta.get("code")),
                        RuleInfo.text(meta.get("doc")), RuleInfo.text(meta.get("family")), meta));
            }
        }
        return new KnowledgeBase(kb, infos);
    }

    public KieBase kieBase() { return kieBase; }

    public Map<String, RuleInfo> rules() { return rules; }

    public RuleInfo rule(String name) { return rules.get(name); }
}
