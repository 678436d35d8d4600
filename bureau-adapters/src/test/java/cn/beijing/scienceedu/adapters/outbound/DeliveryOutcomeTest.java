package cn.beijing.scienceedu.adapters.outbound;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;

import org.apache.camel.CamelExecutionException;
import org.junit.jupiter.api.Test;

import cn.beijing.scienceedu.adapters.outbound.OutboundGateway.Outcome;

/**
 * What a failed send means for the delivery: PERMANENT parks it for an operator, TRANSIENT waits and tries again.
 * A failure of this process — Camel not started yet after a restart, or stopping — is never the bureau's fault: the
 * long fault run (R1) saw 200 deliveries parked for "CamelContext is stopped" right after the adapters came back.
 */
class DeliveryOutcomeTest {

    @Test
    void camelNotRunningInThisProcessIsTransientNotAParkingReason() {
        Exception e = new CamelExecutionException("Exception occurred during execution", null,
                new RejectedExecutionException("CamelContext is stopped"));
        assertThat(OutboundGateway.classify(e)).isEqualTo(Outcome.TRANSIENT);
    }

    @Test
    void aBureauThatCannotBeReachedIsTransientAndAnUnreadableAnswerIsPermanent() {
        assertThat(OutboundGateway.classify(new IOException("connection refused"))).isEqualTo(Outcome.TRANSIENT);
        assertThat(OutboundGateway.classify(new PermanentDeliveryException("unparseable reply from bureau: <html>")))
                .isEqualTo(Outcome.PERMANENT);
    }
}
