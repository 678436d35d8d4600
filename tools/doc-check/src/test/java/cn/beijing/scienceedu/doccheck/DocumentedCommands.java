package cn.beijing.scienceedu.doccheck;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The shell commands the docs show: every fenced {@code bash}/{@code sh}/{@code shell} block of README.md,
 * docs/*.md and the module READMEs, one {@link Command} per command line (continuations joined, comments,
 * here-document bodies and blank lines left out).
 */
final class DocumentedCommands {

    /** One fenced block: where it is and its commands in order. */
    record Block(String file, int line, List<Command> commands) {
        @Override
        public String toString() {
            return file + ":" + line;
        }
    }

    /** One command as written, split into the segments joined by {@code &&}, {@code ;} or {@code |}. */
    record Command(String file, int line, String text, List<List<String>> segments) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + text;
        }
    }

    private static final Pattern FENCE = Pattern.compile("(?m)^```(bash|sh|shell)[ \\t]*\\n(.*?)^```", Pattern.DOTALL);
    private static final Pattern HEREDOC = Pattern.compile("<<-?\\s*'?\"?([A-Za-z_]+)'?\"?");

    private DocumentedCommands() {
    }

    /** The markdown files that count, relative to the repository root, in a stable order. */
    static List<Path> files(Path repo) {
        List<Path> out = new ArrayList<>();
        out.add(repo.resolve("README.md"));
        try (Stream<Path> docs = Files.list(repo.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> all = Files.walk(repo, 4)) {
            all.filter(p -> p.getFileName().toString().equals("README.md"))
                    .filter(p -> !p.equals(repo.resolve("README.md")))
                    .filter(p -> {
                        String rel = repo.relativize(p).toString();
                        return !rel.contains("target/") && !rel.contains("node_modules/") && !rel.startsWith(".")
                                && !rel.contains("/src/");
                    })
                    .sorted().forEach(out::add);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out;
    }

    static List<Block> read(Path repo) {
        List<Block> blocks = new ArrayList<>();
        for (Path f : files(repo)) {
            try {
                blocks.addAll(parse(repo.relativize(f).toString(), Files.readString(f)));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return blocks;
    }

    static List<Block> parse(String file, String markdown) {
        List<Block> blocks = new ArrayList<>();
        Matcher m = FENCE.matcher(markdown);
        while (m.find()) {
            int firstLine = lineOf(markdown, m.start(2));
            List<Command> commands = new ArrayList<>();
            String[] lines = m.group(2).split("\n", -1);
            StringBuilder current = null;
            int currentLine = 0;
            String heredocEnd = null;
            for (int i = 0; i < lines.length; i++) {
                String raw = lines[i];
                if (heredocEnd != null) {
                    if (raw.trim().equals(heredocEnd)) {
                        heredocEnd = null;
                    }
                    continue;
                }
                String line = stripComment(raw).strip();
                if (current == null && line.isEmpty()) {
                    continue;
                }
                if (current == null) {
                    current = new StringBuilder();
                    currentLine = firstLine + i;
                }
                boolean continues = line.endsWith("\\");
                current.append(continues ? line.substring(0, line.length() - 1) : line).append(' ');
                Matcher h = HEREDOC.matcher(line);
                if (h.find()) {
                    heredocEnd = h.group(1);
                }
                if (!continues) {
                    String text = current.toString().strip().replaceAll("\\s+", " ");
                    if (!text.isEmpty()) {
                        commands.add(new Command(file, currentLine, text, segments(text)));
                    }
                    current = null;
                }
            }
            blocks.add(new Block(file, firstLine, commands));
        }
        return blocks;
    }

    private static int lineOf(String s, int offset) {
        int n = 1;
        for (int i = 0; i < offset; i++) {
            if (s.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** The line without a trailing {@code # comment} (a {@code #} inside quotes or a word is kept). */
    static String stripComment(String line) {
        boolean single = false;
        boolean dbl = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
            } else if (c == '"' && !single) {
                dbl = !dbl;
            } else if (c == '#' && !single && !dbl && (i == 0 || Character.isWhitespace(line.charAt(i - 1)))) {
                return line.substring(0, i);
            }
        }
        return line;
    }

    /** Words of each segment, split at {@code &&}, {@code ||}, {@code ;} and {@code |} outside quotes. */
    static List<List<String>> segments(String text) {
        List<List<String>> out = new ArrayList<>();
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean single = false;
        boolean dbl = false;
        boolean inWord = false;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\'' && !dbl) {
                single = !single;
                inWord = true;
                continue;
            }
            if (c == '"' && !single) {
                dbl = !dbl;
                inWord = true;
                continue;
            }
            if (!single && !dbl && (c == ';' || c == '|' || c == '&')) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                if (!words.isEmpty()) {
                    out.add(words);
                    words = new ArrayList<>();
                }
                continue;
            }
            if (!single && !dbl && Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
                continue;
            }
            word.append(c);
            inWord = true;
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (!words.isEmpty()) {
            out.add(words);
        }
        return out;
    }
}
