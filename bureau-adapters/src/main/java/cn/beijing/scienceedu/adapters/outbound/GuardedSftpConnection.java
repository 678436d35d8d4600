package cn.beijing.scienceedu.adapters.outbound;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;

import org.springframework.stereotype.Component;

import com.jcraft.jsch.Proxy;
import com.jcraft.jsch.SocketFactory;

/**
 * How SFTP sessions (JSch, under camel-ftp: deliveries to SFTP bureaus and the pickup of their answers)
 * open their TCP connection: the bureau's host is resolved through the {@link OutboundAddressGuard} and
 * the socket goes to an address it has just checked; a forbidden answer is refused before any socket is
 * opened. Plugged in as JSch's {@link Proxy} ({@code proxy=#guardedSftpConnection} on the sftp URIs) — a
 * direct connection, not a proxy server.
 * <p>
 * One instance serves every session: JSch holds this object's monitor from {@code connect} to
 * {@code getSocket}, so the fields only carry one session's socket through that sequence. {@link #close()}
 * does nothing: a session closes its own socket's streams when it disconnects, and closing "the last
 * socket" here could close another session's.
 */
@Component("guardedSftpConnection")
public class GuardedSftpConnection implements Proxy {

    private final OutboundAddressGuard guard;
    private Socket socket;
    private InputStream in;
    private OutputStream out;

    public GuardedSftpConnection(OutboundAddressGuard guard) {
        this.guard = guard;
    }

    @Override
    public void connect(SocketFactory ignored, String host, int port, int timeout) throws Exception {
        socket = null;
        in = null;
        out = null;
        InetAddress[] addresses = guard.resolveForConnect(host);
        IOException last = null;
        for (InetAddress a : addresses) {
            Socket s = new Socket();
            try {
                s.connect(new InetSocketAddress(a, port), Math.max(timeout, 0));
                s.setTcpNoDelay(true);
                socket = s;
                in = s.getInputStream();
                out = s.getOutputStream();
                return;
            } catch (IOException e) {
                last = e;
                s.close();
            }
        }
        throw last != null ? last : new IOException("no address for " + host);
    }

    @Override
    public InputStream getInputStream() {
        return in;
    }

    @Override
    public OutputStream getOutputStream() {
        return out;
    }

    @Override
    public Socket getSocket() {
        return socket;
    }

    @Override
    public void close() {
        // the session closes its own streams (and so its socket) when it disconnects
    }
}
