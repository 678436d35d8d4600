package cn.beijing.scienceedu.adapters.inbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import java.util.Vector;

import org.springframework.stereotype.Component;

import com.jcraft.jsch.ChannelSftp;
import com.jcraft.jsch.JSch;
import com.jcraft.jsch.JSchException;
import com.jcraft.jsch.Session;
import com.jcraft.jsch.SftpException;

import cn.beijing.scienceedu.adapters.outbound.GuardedSftpConnection;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import cn.beijing.scienceedu.adapters.registry.BureauProperties;
import cn.beijing.scienceedu.adapters.registry.BureauRegistry;

/**
 * The evidence directory ({@code <answer file name>.evidence/}) beside an answer in an SFTP bureau's outbox: copied
 * to a local directory before the answer is read (so the answer is judged exactly as a FILE answer is, and a parked
 * one keeps its evidence beside it), and removed from the server once the answer was taken or parked. A file over
 * 5 MiB is copied only to its first 5 MiB + 1 byte — enough to refuse it for its size. The session goes through the
 * SSRF guard like every SFTP connection ({@link GuardedSftpConnection}).
 */
@Component
public class SftpEvidence {

    private final BureauRegistry registry;
    private final GuardedSftpConnection connection;

    public SftpEvidence(BureauRegistry registry, GuardedSftpConnection connection) {
        this.registry = registry;
        this.connection = connection;
    }

    /** The outbox directory as the answer pickup names it (relative to the login directory). */
    static String outbox(Bureau b) {
        String dir = URI.create(b.endpoint()).getPath().replaceAll("^/+", "");
        return (dir.isEmpty() ? "" : dir + "/") + "outbox";
    }

    /** A local copy of the answer's evidence directory, or null when the bureau put none beside it. */
    public Path stage(Bureau b, String answerName) throws IOException {
        String remote = outbox(b) + "/" + answerName + ".evidence";
        return withChannel(b, ch -> {
            Vector<ChannelSftp.LsEntry> entries;
            try {
                entries = ch.ls(remote);
            } catch (SftpException e) {
                if (e.id == ChannelSftp.SSH_FX_NO_SUCH_FILE) {
                    return null;
                }
                throw e;
            }
            Path local = Files.createTempDirectory("hub-sftp-evidence-");
            for (ChannelSftp.LsEntry entry : entries) {
                String name = entry.getFilename();
                if (entry.getAttrs().isDir() || name.equals(".") || name.equals("..")) {
                    continue;
                }
                try (InputStream in = ch.get(remote + "/" + name);
                        OutputStream out = Files.newOutputStream(local.resolve(name))) {
                    copyAtMost(in, out, InboundPipeline.MAX_EVIDENCE_BYTES + 1);
                }
            }
            return local;
        });
    }

    /** Removes the answer's evidence directory from the server (taken or parked: the hub has what it needs). */
    public void remove(Bureau b, String answerName) throws IOException {
        String remote = outbox(b) + "/" + answerName + ".evidence";
        withChannel(b, ch -> {
            Vector<ChannelSftp.LsEntry> entries;
            try {
                entries = ch.ls(remote);
            } catch (SftpException e) {
                return null;
            }
            for (ChannelSftp.LsEntry entry : List.copyOf(entries)) {
                if (!entry.getAttrs().isDir()) {
                    ch.rm(remote + "/" + entry.getFilename());
                }
            }
            ch.rmdir(remote);
            return null;
        });
    }

    private static void copyAtMost(InputStream in, OutputStream out, long limit) throws IOException {
        byte[] buf = new byte[64 * 1024];
        long left = limit;
        int n;
        while (left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0) {
            out.write(buf, 0, n);
            left -= n;
        }
    }

    private interface SftpWork<T> {
        T run(ChannelSftp channel) throws SftpException, IOException;
    }

    private <T> T withChannel(Bureau b, SftpWork<T> work) throws IOException {
        URI uri = URI.create(b.endpoint());
        BureauProperties.Credentials c = registry.credentials(b);
        Session session = null;
        ChannelSftp channel = null;
        try {
            session = new JSch().getSession(c.getUsername() == null ? b.code() : c.getUsername(), uri.getHost(),
                    uri.getPort() < 0 ? 22 : uri.getPort());
            session.setPassword(c.getPassword() == null ? "" : c.getPassword());
            Properties config = new Properties();
            config.put("StrictHostKeyChecking", "no"); // as the answer pickup (strictHostKeyChecking=no)
            session.setConfig(config);
            session.setProxy(connection);
            int timeout = (int) b.timeouts().connect().toMillis();
            session.connect(timeout);
            channel = (ChannelSftp) session.openChannel("sftp");
            channel.connect(timeout);
            return work.run(channel);
        } catch (JSchException | SftpException e) {
            throw new IOException(b.code() + " evidence over SFTP: " + e.getMessage(), e);
        } finally {
            if (channel != null) {
                channel.disconnect();
            }
            if (session != null) {
                session.disconnect();
            }
        }
    }
}
