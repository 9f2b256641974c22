package dev.leakdx.engine;

import dev.leakdx.extract.ResourceFolder;
import org.kie.api.KieBase;
import org.kie.api.KieBaseConfiguration;
import org.kie.api.KieServices;
import org.kie.api.builder.KieBuilder;
import org.kie.api.builder.KieFileSystem;
import org.kie.api.builder.Message;
import org.kie.api.definition.KiePackage;
import org.kie.api.definition.rule.Rule;
import org.kie.api.runtime.KieContainer;
import org.kie.internal.conf.ShareBetaNodesOption;

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

    private static final Pattern RULE = Pattern.compile("(?m)^\\s*rule\\s+(?:\"((?:[^\"\\\\]|\\\\.)*)\"|'([^']*)'|(\\S+))");

    private final KieBase kieBase;
    private final Map<String, RuleInfo> rules;
    private final String route;
    private List<Norm> norms = List.of();

    private KnowledgeBase(KieBase kieBase, Map<String, RuleInfo> rules, String route) {
        this.kieBase = kieBase;
        this.rules = rules;
        this.route = route;
    }

    private KnowledgeBase withNorms(Path rulesDir) throws IOException {
        this.norms = Norms.load(rulesDir);
        return this;
    }

    /**
     * The rules of {@code rulesDir}, or the packed ones when it is null. The packed rules start
     * from their precompiled executable model when it matches them ({@link CompiledRules}); a
     * folder the user names is compiled from its DRL every time, so an edit shows at once.
     */
    public static KnowledgeBase load(Path rulesDir) throws IOException, RuleCompileException {
        List<ResourceFolder.Item> drls = ResourceFolder.read(rulesDir, "rules", ".drl");
        if (rulesDir == null) {
            CompiledRules.Loaded packed = CompiledRules.loadPacked(drls);
            if (packed.kieBase() != null)
                return new KnowledgeBase(packed.kieBase(), infos(packed.kieBase(), drls, Map.of()), "executable model, precompiled").withNorms(null);
            return build(drls, "DRL compiled at start-up (" + packed.reason() + ")", true).withNorms(null);
        }
        return build(drls, "DRL compiled at start-up (" + rulesDir + ")", true).withNorms(rulesDir);
    }

    /** DRL given as text: judged against the packed norms. */
    public static KnowledgeBase build(List<ResourceFolder.Item> drls) throws RuleCompileException {
        return build(drls, true);
    }

    /**
     * DRL given as text, judged against the packed norms; with {@code shareBetaNodes} false every
     * rule gets join, not, accumulate and eval nodes of its own. The near-miss probes need that
     * (NearMiss): each probe repeats a prefix of the rule it watches, so with sharing its terminal
     * node hangs off the middle of that rule's network, and Drools 10.1.0 can mishandle the split.
     * On healthy-ocp-master-sos the probe that ends at the collect of UNACCOUNTED_KERNEL_MEMORY's
     * meminfo rule made the session delete a match that no terminal node held, after that rule had
     * fired (its Hypothesis closes its own {@code not}): a NullPointerException in
     * RuleExecutor.removeDormantTuple, the defect of Drools issues 6422 and 6846, whose upstream
     * guard is not in 10.1.0. Unshared, a probe only reads working memory and leaves the rules it
     * watches to run as they do in a diagnose.
     */
    public static KnowledgeBase build(List<ResourceFolder.Item> drls, boolean shareBetaNodes) throws RuleCompileException {
        KnowledgeBase kb = build(drls, "DRL compiled at start-up" + (shareBetaNodes ? "" : " (beta nodes unshared)"), shareBetaNodes);
        try {
            return kb.withNorms(null);
        } catch (IOException e) {
            throw new RuleCompileException(List.of("rules/" + Norms.FILE + ":0:0: " + e.getMessage()));
        }
    }

    /** Where a DRL file goes in the KieFileSystem: under its package's folder, which keeps Drools from warning that it is misplaced. */
    static String kfsPath(ResourceFolder.Item item) {
        Matcher m = PACKAGE.matcher(item.text());
        String pkg = m.find() ? m.group(1) : "";
        return "src/main/resources/" + pkg.replace('.', '/') + (pkg.isEmpty() ? "" : "/") + item.name().replace('/', '_');
    }

    private static KnowledgeBase build(List<ResourceFolder.Item> drls, String route, boolean shareBetaNodes) throws RuleCompileException {
        KieServices ks = KieServices.Factory.get();
        KieFileSystem kfs = ks.newKieFileSystem();
        Map<String, String> originOf = new HashMap<>();
        Map<String, String> fileOfPackageRule = new HashMap<>();
        for (ResourceFolder.Item item : drls) {
            String path = kfsPath(item);
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
        KieBase kb;
        if (shareBetaNodes) {
            kb = kc.getKieBase();
        } else {
            KieBaseConfiguration conf = ks.newKieBaseConfiguration();
            conf.setOption(ShareBetaNodesOption.NO);
            kb = kc.newKieBase(conf);
        }
        return new KnowledgeBase(kb, infos(kb, drls, originOf), route);
    }

    /** Rule metadata, with the file each rule is written in (the classic route knows it; otherwise it is read off the DRL). */
    private static Map<String, RuleInfo> infos(KieBase kb, List<ResourceFolder.Item> drls, Map<String, String> originOf) {
        Map<String, String> fileOfRule = new HashMap<>();
        for (ResourceFolder.Item item : drls) {
            Matcher m = RULE.matcher(item.text());
            while (m.find()) {
                String name = m.group(1) != null ? m.group(1).replace("\\\"", "\"") : m.group(2) != null ? m.group(2) : m.group(3);
                fileOfRule.putIfAbsent(name, item.origin());
            }
        }
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
                if (file.isEmpty() || !file.endsWith(".drl")) file = fileOfRule.getOrDefault(r.getName(), file);
                infos.put(r.getName(), new RuleInfo(r.getName(), p.getName(), file, RuleInfo.text(meta.get("code")),
                        RuleInfo.text(meta.get("doc")), RuleInfo.text(meta.get("family")), meta));
            }
        }
        return infos;
    }

    public KieBase kieBase() { return kieBase; }

    /** How the rules were turned into a KieBase: the precompiled executable model, or DRL compiled at start-up and why. */
    public String route() { return route; }

    public Map<String, RuleInfo> rules() { return rules; }

    /** The norms rules judge against (rules/norms.yaml), inserted into every session as facts. */
    public List<Norm> norms() { return norms; }

    public RuleInfo rule(String name) { return rules.get(name); }
}
