package cn.beijing.scienceedu.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** The command line of {@code ./hub}. */
public record LauncherOptions(String command, boolean fresh, boolean build, Set<String> only, Path repoRoot,
                              Path dataDir, boolean help) {

    public static final String USAGE = """
            Usage: ./hub [up] [options]   build what is needed and start the local hub (default)
                   ./hub status           show what runs (processes, ports, readiness, memory)
                   ./hub stop             stop the hub started from this folder
            Options for up:
              --fresh            delete the data folder (.hub-data/) first: empty broker and databases
              --no-build         do not run Maven; start the jars that exist
              --only a,b         start only these processes (token-issuer, bureau-simulator, task-service,
                                 bureau-adapters, reporting-service, gateway); `--only infra` starts just
                                 the embedded broker and database
              --data <dir>       data folder (default <repo>/.hub-data, or HUB_DATA_DIR)
            Settings: with any HUB_RABBITMQ_* (HUB_DATABASE_*) variable set, the services use that broker
            (database) and no embedded one starts. HUB_JAVA_OPTS: JVM options of the services.
            HUB_MAVEN_ARGS: extra Maven arguments for the build (e.g. -o).
            """;

    public static LauncherOptions parse(String... args) {
        String command = "up";
        boolean fresh = false;
        boolean build = true;
        boolean help = false;
        Set<String> only = null;
        Path repo = Path.of("").toAbsolutePath();
        Path data = null;
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            switch (arg) {
                case "up", "start" -> command = "up";
                case "status" -> command = "status";
                case "stop" -> command = "stop";
                case "help", "-h", "--help" -> help = true;
                case "--fresh" -> fresh = true;
                case "--no-build" -> build = false;
                case "--only" -> only = names(value(rest, ++i, arg));
                case "--repo" -> repo = Path.of(value(rest, ++i, arg)).toAbsolutePath();
                case "--data" -> data = Path.of(value(rest, ++i, arg)).toAbsolutePath();
                default -> {
                    if (arg.startsWith("--only=")) {
                        only = names(arg.substring("--only=".length()));
                    } else if (arg.startsWith("--data=")) {
                        data = Path.of(arg.substring("--data=".length())).toAbsolutePath();
                    } else {
                        throw new IllegalArgumentException("unknown argument '" + arg + "'\n" + USAGE);
                    }
                }
            }
        }
        if (data == null) {
            String env = System.getenv("HUB_DATA_DIR");
            data = env != null && !env.isBlank() ? Path.of(env).toAbsolutePath() : repo.resolve(".hub-data");
        }
        return new LauncherOptions(command, fresh, build, only, repo, data, help);
    }

    /** The services to start: all, or those named by --only. */
    public List<HubService> services() {
        if (only == null) {
            return HubService.ALL;
        }
        return HubService.ALL.stream().filter(s -> only.contains(s.name())).toList();
    }

    private static Set<String> names(String list) {
        Set<String> names = new LinkedHashSet<>();
        for (String name : list.split(",")) {
            String n = name.trim();
            if (n.isEmpty() || n.equals("infra")) {
                continue;
            }
            HubService.named(n); // validates
            names.add(n);
        }
        return names;
    }

    private static String value(List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(option + " needs a value\n" + USAGE);
        }
        return args.get(i);
    }
}
