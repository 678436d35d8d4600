package cn.beijing.scienceedu.adapters.outbound;

import java.io.IOException;

import org.apache.camel.builder.RouteConfigurationBuilder;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.springframework.amqp.AmqpException;
import org.springframework.stereotype.Component;

/**
 * Error handling of every outbound route, declared once. Transient failures (timeouts, refused
 * connections, 5xx, SOAP Server faults, broker and SFTP connection errors) are redelivered with the
 * bureau's exponential backoff and jitter ({@link RetryDecider}); when redelivery is exhausted the
 * exception goes back to the dispatcher, which keeps the delivery PENDING (it waits, it is not parked).
 * Everything else is permanent and is not redelivered.
 */
@Component
public class OutboundRouteConfiguration extends RouteConfigurationBuilder {

    public static final String ID = "bureau-outbound";

    @Override
    public void configuration() {
        routeConfiguration(ID)
                .onException(TransientDeliveryException.class, IOException.class,
                        GenericFileOperationFailedException.class, AmqpException.class)
                    .retryWhile(method("retryDecider", "shouldRetry"))
                    .useExponentialBackOff().backOffMultiplier(2).redeliveryDelay(200).maximumRedeliveryDelay(60_000)
                    .useCollisionAvoidance()
                    .logRetryAttempted(true).retryAttemptedLogLevel(org.apache.camel.LoggingLevel.INFO)
                    .logExhausted(false).logStackTrace(false)
                    .handled(false)
                .end()
                .onException(PermanentDeliveryException.class, cn.beijing.scienceedu.adapters.mapping.MappingException.class)
                    .maximumRedeliveries(0).logExhausted(false).handled(false)
                .end();
    }
}
