package cn.beijing.scienceedu.doccheck;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * One {@code ./mvnw} command as the docs write it, checked against the reactor without running it: the modules
 * it names exist; {@code -pl} without {@code -am} finds every module it needs either in its own list or installed
 * by an earlier command of the same block (a fresh clone after {@code ./mvnw verify} has installed nothing); the
 * test classes {@code -Dtest} names exist there; {@code -am} with {@code -Dtest} lets the upstream modules run no
 * test; its goals are lifecycle phases or plugin goals.
 */
record MavenCommand(List<String> goals, List<String> projects, boolean alsoMake, String testFilter,
        boolean failIfNoSpecifiedTestsOff, boolean skipTests, List<String> properties) {

    private static final Set<String> PHASES = Set.of("clean", "validate", "compile", "test-compile", "test", "package",
            "verify", "install", "deploy", "site");
    /** Properties that only pick which tests run or skip them: a command with others runs something CI does not. */
    private static final Set<String> SELECTION = Set.of("test", "surefire.failIfNoSpecifiedTests", "skipTests",
            "maven.test.skip", "mdep.outputFile", "mdep.includeScope");

    /** The words of a segment, from {@code ./mvnw} on; null if the segment is not a Maven command. */
    static MavenCommand parse(List<String> words) {
        int start = 0;
        while (start < words.size() && !words.get(start).equals("./mvnw") && !words.get(start).equals("mvnw")) {
            String w = words.get(start);
            // environment assignments, `flock <lock>` and `time` may stand before it
            if (!(w.contains("=") || w.equals("flock") || w.equals("time") || w.startsWith("/tmp/") || w.endsWith(".lock"))) {
                return null;
            }
            start++;
        }
        if (start >= words.size()) {
            return null;
        }
        List<String> goals = new ArrayList<>();
        List<String> projects = new ArrayList<>();
        List<String> properties = new ArrayList<>();
        boolean am = false;
        String test = null;
        boolean failOff = false;
        boolean skip = false;
        for (int i = start + 1; i < words.size(); i++) {
            String w = words.get(i);
            if (w.equals("-pl") || w.equals("--projects")) {
                projects.addAll(List.of(words.get(++i).split(",")));
            } else if (w.equals("-am") || w.equals("--also-make")) {
                am = true;
            } else if (w.startsWith("-D")) {
                String kv = w.substring(2);
                String key = kv.contains("=") ? kv.substring(0, kv.indexOf('=')) : kv;
                String value = kv.contains("=") ? kv.substring(kv.indexOf('=') + 1) : "true";
                properties.add(key);
                if (key.equals("test")) {
                    test = value;
                } else if (key.equals("surefire.failIfNoSpecifiedTests") && value.equals("false")) {
                    failOff = true;
                } else if (key.equals("skipTests") || key.equals("maven.test.skip")) {
                    skip = true;
                }
            } else if (w.equals("-f") || w.equals("-s") || w.equals("-rf") || w.equals("-T")) {
                i++;
            } else if (!w.startsWith("-") && !w.startsWith("$")) {
                goals.add(w);
            }
        }
        return new MavenCommand(goals, projects, am, test, failOff, skip, properties);
    }

    /** What is wrong with it on a fresh clone, given the modules earlier commands of its block installed. */
    List<String> problems(Reactor reactor, Set<String> installed) {
        List<String> out = new ArrayList<>();
        for (String g : goals) {
            if (!PHASES.contains(g) && !g.contains(":")) {
                out.add("'" + g + "' is neither a lifecycle phase nor a plugin goal");
            }
        }
        for (String p : projects) {
            if (!reactor.modules().contains(p)) {
                out.add("-pl names '" + p + "', which is not a module of the root pom (" + String.join(", ", reactor.modules()) + ")");
            }
        }
        if (!out.isEmpty()) {
            return out;
        }
        if (!projects.isEmpty() && !alsoMake) {
            Set<String> missing = new LinkedHashSet<>();
            for (String p : projects) {
                for (String up : reactor.upstream(p)) {
                    if (!projects.contains(up) && !installed.contains(up)) {
                        missing.add(up);
                    }
                }
            }
            if (!missing.isEmpty()) {
                out.add("-pl " + String.join(",", projects) + " without -am needs " + String.join(", ", missing)
                        + " from the local Maven repository, where a fresh clone has nothing ('./mvnw verify' installs"
                        + " nothing): add -am, or install them first in the same block");
            }
        }
        if (testFilter != null) {
            if (alsoMake && !failIfNoSpecifiedTestsOff) {
                out.add("-am with -Dtest needs -Dsurefire.failIfNoSpecifiedTests=false (the upstream modules have no such test)");
            }
            List<String> where = projects.isEmpty() ? List.copyOf(reactor.modules()) : projects;
            for (String pattern : testFilter.split(",")) {
                String name = pattern.replaceFirst("#.*", "").replaceFirst("^!", "");
                if (name.isEmpty() || name.contains("*") || name.contains("?")) {
                    continue;
                }
                String simple = name.substring(name.lastIndexOf('.') + 1);
                if (where.stream().noneMatch(m -> reactor.hasTestClass(m, simple))) {
                    out.add("-Dtest names " + simple + ", which is no test class of " + String.join(", ", where));
                }
            }
        }
        return out;
    }

    /** The modules this command leaves installed in the local repository. */
    Set<String> installs(Reactor reactor) {
        Set<String> out = new LinkedHashSet<>();
        if (goals.contains("install") || goals.contains("deploy")) {
            List<String> selected = projects.isEmpty() ? List.copyOf(reactor.modules()) : projects;
            out.addAll(selected);
            if (alsoMake) {
                selected.forEach(p -> out.addAll(reactor.upstream(p)));
            }
        }
        return out;
    }

    /**
     * Whether it does more than CI's {@code ./mvnw verify} already does: starts a server, or runs tests with
     * settings of its own (a long fault run). Such commands are run by hand and recorded in docs/commands.md.
     */
    boolean beyondTheBuild() {
        if (goals.stream().anyMatch(g -> g.startsWith("spring-boot:run"))) {
            return true;
        }
        boolean runsTests = !skipTests && goals.stream().anyMatch(g -> g.equals("test") || g.equals("verify")
                || g.equals("install") || g.equals("package") || g.equals("deploy"));
        return runsTests && properties.stream().anyMatch(p -> !SELECTION.contains(p));
    }
}
