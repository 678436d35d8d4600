package cn.beijing.scienceedu.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;

/**
 * The one local folder the hub keeps between runs (default {@code .hub-data/} in the repository,
 * ignored by git): {@code broker/} (Qpid config and Derby message store), {@code postgres/}
 * ({@code data/} cluster, {@code bin/} unpacked binaries), {@code logs/} (one log per process) and
 * {@code run/} (pid files for {@code status} and {@code stop}).
 */
public final class DataFolder {

    private final Path root;

    public DataFolder(Path root) {
        this.root = root.toAbsolutePath().normalize();
    }

    public Path root() { return root; }
    public Path broker() { return root.resolve("broker"); }
    public Path postgres() { return root.resolve("postgres"); }
    public Path logs() { return root.resolve("logs"); }
    public Path run() { return root.resolve("run"); }
    public Path launcherPidFile() { return run().resolve("launcher.pid"); }

    public DataFolder create() throws IOException {
        Files.createDirectories(logs());
        Files.createDirectories(run());
        return this;
    }

    /** {@code --fresh}: deletes everything kept so far. Refuses while a launcher using this folder still runs. */
    public void deleteAll() throws IOException {
        OptionalLong running = runningLauncherPid();
        if (running.isPresent()) {
            throw new IOException("a hub is running from " + root + " (pid " + running.getAsLong()
                    + "); stop it first (`./hub stop`)");
        }
        EmbeddedDatabase.deleteRecursively(root);
    }

    /** The pid of a live launcher that recorded itself here, if any (not this JVM). */
    public OptionalLong runningLauncherPid() {
        OptionalLong pid = readPid(launcherPidFile());
        if (pid.isPresent() && pid.getAsLong() != ProcessHandle.current().pid()
                && ProcessHandle.of(pid.getAsLong()).map(ProcessHandle::isAlive).orElse(false)) {
            return pid;
        }
        return OptionalLong.empty();
    }

    public void recordLauncher() throws IOException {
        Files.createDirectories(run());
        Files.writeString(launcherPidFile(), ProcessHandle.current().pid() + "\n", StandardCharsets.UTF_8);
    }

    public void forgetLauncher() {
        try {
            OptionalLong pid = readPid(launcherPidFile());
            if (pid.isPresent() && pid.getAsLong() == ProcessHandle.current().pid()) {
                Files.deleteIfExists(launcherPidFile());
            }
        } catch (IOException e) {
            // status only
        }
    }

    static OptionalLong readPid(Path file) {
        try {
            String first = Files.readAllLines(file, StandardCharsets.UTF_8).get(0).trim();
            return OptionalLong.of(Long.parseLong(first));
        } catch (IOException | RuntimeException e) {
            return OptionalLong.empty();
        }
    }
}
