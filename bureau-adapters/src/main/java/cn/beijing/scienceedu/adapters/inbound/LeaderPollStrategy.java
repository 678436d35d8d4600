package cn.beijing.scienceedu.adapters.inbound;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.sql.DataSource;

import org.apache.camel.Consumer;
import org.apache.camel.Endpoint;
import org.apache.camel.spi.PollingConsumerPollStrategy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Component;

/**
 * Lets one replica at a time poll each inbound source (exchange directory, SFTP outbox): a poll begins
 * only where this replica holds the source's PostgreSQL session advisory lock, kept on a connection of
 * its own for as long as the replica lives (a dead replica's lock goes with its connection).
 */
@Component("leaderPoll")
public class LeaderPollStrategy implements PollingConsumerPollStrategy, DisposableBean {

    private static final Logger log = LoggerFactory.getLogger(LeaderPollStrategy.class);

    private final DataSource dataSource;
    private final Map<String, Connection> held = new ConcurrentHashMap<>();

    public LeaderPollStrategy(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public boolean begin(Consumer consumer, Endpoint endpoint) {
        String key = endpoint.getEndpointBaseUri();
        Connection c = held.get(key);
        try {
            if (c != null && c.isValid(2)) {
                return true;
            }
            if (c != null) {
                held.remove(key);
                closeQuietly(c);
            }
            Connection fresh = dataSource.getConnection();
            fresh.setAutoCommit(true);
            try (PreparedStatement ps = fresh.prepareStatement("select pg_try_advisory_lock(hashtext(?))")) {
                ps.setString(1, "hub-adapters-poll:" + key);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        held.put(key, fresh);
                        log.info("this replica polls {}", key);
                        return true;
                    }
                }
            }
            closeQuietly(fresh);
            return false;
        } catch (SQLException e) {
            log.warn("cannot take the poll lock of {}: {}", key, e.getMessage());
            return false;
        }
    }

    @Override
    public void commit(Consumer consumer, Endpoint endpoint, int polledMessages) {
    }

    @Override
    public boolean rollback(Consumer consumer, Endpoint endpoint, int retryCounter, Exception cause) {
        log.warn("poll of {} failed: {}", endpoint.getEndpointBaseUri(), cause.getMessage());
        return false;
    }

    @Override
    public void destroy() {
        held.values().forEach(LeaderPollStrategy::closeQuietly);
        held.clear();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException ignored) {
            // gone already
        }
    }
}
