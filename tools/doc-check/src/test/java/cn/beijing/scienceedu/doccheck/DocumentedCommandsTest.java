package cn.beijing.scienceedu.doccheck;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Every command README.md, docs/ and the module READMEs show (fenced bash blocks) runs as written on a fresh
 * clone after the README's two set-up commands, or is recorded in docs/commands.md with the date and result of
 * its last run:
 * <ul>
 * <li>Maven commands are resolved against the reactor without running them ({@link MavenCommand});</li>
 * <li>the repository's own scripts the docs name ({@code ./hub}, {@code ./bench}, {@code tools/system-tests/demo})
 * are run with {@code --help};</li>
 * <li>everything else — servers, curl against a running hub, kubectl, long runs — has its block in the ledger.</li>
 * </ul>
 */
class DocumentedCommandsTest {

    static final Path REPO = Path.of(System.getProperty("doccheck.repo", "../..")).toAbsolutePath().normalize();
    static final Set<String> SCRIPTS = Set.of("./hub", "./bench", "tools/system-tests/demo");
    /** Shell words that only set things up in the reader's shell. */
    static final Set<String> BUILTINS = Set.of("export", "cd", "set", "unset", "source", ".");

    final Reactor reactor = new Reactor(REPO);
    final List<DocumentedCommands.Block> blocks = DocumentedCommands.read(REPO);

    @Test
    void theDocsHaveCommandsToCheck() {
        assertThat(blocks).as("fenced shell blocks found").hasSizeGreaterThan(10);
        assertThat(blocks.stream().map(DocumentedCommands.Block::file).distinct())
                .contains("README.md", "docs/reliability.md", "task-service/README.md", "tools/system-tests/README.md");
    }

    @Test
    void everyMavenCommandResolvesOnAFreshClone() {
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (DocumentedCommands.Block block : blocks) {
            Set<String> installed = new LinkedHashSet<>();
            for (DocumentedCommands.Command c : block.commands()) {
                for (List<String> segment : c.segments()) {
                    MavenCommand mvn = MavenCommand.parse(segment);
                    if (mvn == null) {
                        continue;
                    }
                    checked++;
                    mvn.problems(reactor, installed).forEach(p -> problems.add(c + "\n    → " + p));
                    installed.addAll(mvn.installs(reactor));
                }
            }
        }
        assertThat(checked).as("Maven commands in the docs").isGreaterThan(10);
        assertThat(problems).as("documented Maven commands that cannot run as written").isEmpty();
    }

    @Test
    void theScriptsTheDocsNameAnswer() throws Exception {
        Set<String> named = new LinkedHashSet<>();
        blocks.forEach(b -> b.commands().forEach(c -> c.segments().forEach(s -> {
            String program = program(s);
            if (program != null && SCRIPTS.contains(program)) {
                named.add(program);
            }
        })));
        assertThat(named).as("scripts the README names").contains("./hub", "tools/system-tests/demo");
        for (String script : named) {
            Process p = new ProcessBuilder("bash", script, "--help").directory(REPO.toFile()).redirectErrorStream(true).start();
            boolean done = p.waitFor(120, TimeUnit.SECONDS);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!done) {
                p.destroyForcibly();
            }
            assertThat(done).as(script + " --help finished within 120 s").isTrue();
            assertThat(p.exitValue()).as(script + " --help exit code; it printed:\n" + out).isZero();
            assertThat(out.toLowerCase()).as(script + " --help").contains("usage");
        }
    }

    @Test
    void everyCommandNotRunByTheBuildIsInTheLedgerWithItsLastRun() throws IOException {
        Map<String, Ledger.Row> ledger = Ledger.read(REPO.resolve("docs/commands.md"));
        List<String> missing = new ArrayList<>();
        Set<String> needed = new LinkedHashSet<>();
        for (DocumentedCommands.Block block : blocks) {
            DocumentedCommands.Command first = firstByHand(block);
            if (first == null) {
                continue;
            }
            String key = Ledger.key(block.file(), first.text());
            needed.add(key);
            if (!ledger.containsKey(key)) {
                missing.add(block.file() + " | `" + first.text() + "`");
            }
        }
        assertThat(missing).as("blocks run by hand that docs/commands.md does not list (add a row: where | first command"
                + " run by hand | date of its last run | result)").isEmpty();
        assertThat(ledger.keySet()).as("ledger rows whose command the docs no longer show").isSubsetOf(needed);
    }

    /** The first command of the block that the build neither resolves nor runs: what a person must run by hand. */
    DocumentedCommands.Command firstByHand(DocumentedCommands.Block block) {
        for (DocumentedCommands.Command c : block.commands()) {
            for (List<String> segment : c.segments()) {
                MavenCommand mvn = MavenCommand.parse(segment);
                if (mvn != null) {
                    if (mvn.beyondTheBuild()) {
                        return c;
                    }
                    continue;
                }
                String program = program(segment);
                if (program == null || BUILTINS.contains(program)) {
                    continue;
                }
                if (SCRIPTS.contains(program) && segment.contains("--help")) {
                    continue;
                }
                return c;
            }
        }
        return null;
    }

    /** The program a segment runs, after environment assignments; null for a pure assignment. */
    static String program(List<String> segment) {
        for (String w : segment) {
            if (w.matches("[A-Za-z_][A-Za-z0-9_]*=.*")) {
                continue;
            }
            return w;
        }
        return null;
    }

    /** docs/commands.md: one row per block run by hand. */
    static final class Ledger {
        record Row(String where, String command, String lastRun, String result) {
        }

        private static final Pattern ROW = Pattern.compile("^\\| *([^|`]+?) *\\| *`(.+)` *\\| *([^|]+?) *\\| *(.+?) *\\|$");
        private static final Pattern DATE = Pattern.compile("\\d{4}-\\d{2}-\\d{2}");

        static String key(String where, String command) {
            return where + " | " + command.replaceAll("\\s+", " ").strip();
        }

        static Map<String, Row> read(Path file) throws IOException {
            Map<String, Row> rows = new LinkedHashMap<>();
            for (String line : Files.readAllLines(file)) {
                Matcher m = ROW.matcher(line.strip());
                if (!m.matches()) {
                    continue;
                }
                Row r = new Row(m.group(1), m.group(2).replace("\\|", "|"), m.group(3), m.group(4));
                assertThat(r.lastRun()).as("last run of " + r.command() + " (a date, or 'never')")
                        .matches(s -> DATE.matcher(s).lookingAt() || s.equals("never"), "a date or 'never'");
                assertThat(r.result()).as("result of " + r.command()).isNotBlank();
                rows.put(key(r.where(), r.command()), r);
            }
            return rows;
        }
    }
}
