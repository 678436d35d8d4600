package cn.beijing.scienceedu.simulator;

import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.apache.sshd.common.file.virtualfs.VirtualFileSystemFactory;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.sftp.server.SftpSubsystemFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * The SFTP bureaus' server (Apache SSHD) on {@code sim.sftp-port}: one file tree under
 * {@code sim.sftp-root} with a directory per SFTP bureau; user = the unit code, password
 * {@code sim.sftp-password}. A bureau in DOWN mode refuses logins.
 */
@Component
public class SftpServerRunner implements SmartLifecycle {

    private static final Logger log = LoggerFactory.getLogger(SftpServerRunner.class);

    private final SimSettings settings;
    private final Behaviours behaviours;
    private final Set<String> users;
    private SshServer server;

    public SftpServerRunner(SimSettings settings, SimBureaus bureaus, Behaviours behaviours) {
        this.settings = settings;
        this.behaviours = behaviours;
        this.users = bureaus.byProtocol("SFTP").stream().map(SimBureaus.Bureau::code).collect(Collectors.toSet());
    }

    @Override
    public void start() {
        try {
            Files.createDirectories(settings.getSftpRoot());
            server = SshServer.setUpDefaultServer();
            server.setPort(settings.getSftpPort());
            server.setKeyPairProvider(new SimpleGeneratorHostKeyProvider(settings.getSftpRoot().resolve(".hostkey.ser")));
            server.setPasswordAuthenticator((user, password, session) -> users.contains(user)
                    && settings.getSftpPassword().equals(password)
                    && behaviours.of(user).mode() != Behaviours.Mode.DOWN);
            server.setSubsystemFactories(List.of(new SftpSubsystemFactory()));
            server.setFileSystemFactory(new VirtualFileSystemFactory(settings.getSftpRoot().toAbsolutePath()));
            server.start();
            log.info("SFTP server on port {} serving {}", server.getPort(), settings.getSftpRoot());
        } catch (IOException e) {
            throw new IllegalStateException("SFTP server cannot start on port " + settings.getSftpPort(), e);
        }
    }

    /** The port actually bound (useful with port 0). */
    public int port() {
        return server.getPort();
    }

    @Override
    public void stop() {
        try {
            if (server != null) {
                server.stop(true);
            }
        } catch (IOException e) {
            log.warn("SFTP server stop: {}", e.getMessage());
        }
    }

    @Override
    public boolean isRunning() {
        return server != null && server.isStarted();
    }

}
