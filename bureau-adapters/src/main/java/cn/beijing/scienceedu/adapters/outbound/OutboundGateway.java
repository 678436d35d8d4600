package cn.beijing.scienceedu.adapters.outbound;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import javax.xml.transform.TransformerException;

import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.file.GenericFileOperationFailedException;
import org.apache.camel.support.DefaultExchange;
import org.springframework.amqp.AmqpException;
import org.springframework.stereotype.Component;

import cn.beijing.scienceedu.adapters.mapping.MappingException;
import cn.beijing.scienceedu.contracts.bureau.model.BureauTaskMessage;
import cn.beijing.scienceedu.adapters.messagelog.MessageLog;
import cn.beijing.scienceedu.adapters.registry.Bureau;
import tools.jackson.databind.json.JsonMapper;

/**
 * Sends one delivery through {@code direct:deliver} and says how it went. The message-log record of the send
 * comes back with the result: the dispatcher appends it in the same transaction that records the outcome.
 */
@Component
public class OutboundGateway {

    public static final String BUREAU = "hubBureau";
    public static final String DELIVERY = "hubDelivery";
    public static final String MESSAGE = "hubMessage";
    public static final String WIRE_BYTES = "hubWireBytes";
    public static final String BUREAU_REFERENCE = "hubBureauReference";

    public enum Outcome { DELIVERED, TRANSIENT, PERMANENT }

    /** How a send went, and the message-log record for it (what went on the wire, with the outcome). */
    public record Result(Outcome outcome, String bureauReference, String error, int redeliveries, MessageLog.Entry logEntry) {
    }

    private final ProducerTemplate camel;
    private final JsonMapper json;

    public OutboundGateway(ProducerTemplate camel, JsonMapper json) {
        this.camel = camel;
        this.json = json;
    }

    /**
     * Whether Camel's routes can take a delivery. After a restart the scheduled dispatcher (and the event intake) can
     * run before the Camel context has started; a send then fails with {@code CamelContext is stopped}, which the long
     * fault run saw park 200 deliveries.
     */
    public boolean ready() {
        return camel.getCamelContext().isStarted();
    }

    public Result deliver(Bureau bureau, Delivery delivery) {
        Exchange ex = new DefaultExchange(camel.getCamelContext());
        ex.setProperty(BUREAU, bureau);
        ex.setProperty(DELIVERY, delivery);
        ex.setProperty("protocol", bureau.protocol().name());
        ex.setProperty("mappingFormat", bureau.mapping().format());
        ex.setProperty("mappingFile", bureau.mapping().file());
        BureauTaskMessage message;
        try {
            message = json.readValue(delivery.payload(), BureauTaskMessage.class);
        } catch (RuntimeException e) {
            return logged(bureau, delivery, null, Outcome.PERMANENT, null, "stored payload unreadable: " + e.getMessage(), 0);
        }
        ex.setProperty(MESSAGE, message);
        Exchange out = camel.send("direct:deliver", ex);
        int redeliveries = out.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        byte[] wire = out.getProperty(WIRE_BYTES, byte[].class);
        Exception e = out.getException();
        if (e == null) {
            return logged(bureau, delivery, wire, Outcome.DELIVERED, out.getProperty(BUREAU_REFERENCE, String.class), null,
                    redeliveries);
        }
        return logged(bureau, delivery, wire, classify(e), null, describe(e), redeliveries);
    }

    private static Result logged(Bureau bureau, Delivery d, byte[] wire, Outcome outcome, String reference, String error,
            int redeliveries) {
        MessageLog.Entry entry = new MessageLog.Entry(bureau.code(), MessageLog.Direction.OUT, bureau.protocol().name(),
                d.id(), d.kind(), d.taskId(), wire != null ? wire : d.payload().getBytes(StandardCharsets.UTF_8),
                outcome.name());
        return new Result(outcome, reference, error, redeliveries, entry);
    }

    static Outcome classify(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PermanentDeliveryException || t instanceof MappingException
                    || t instanceof org.apache.camel.support.processor.validation.SchemaValidationException
                    || t instanceof TransformerException) {
                return Outcome.PERMANENT;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            // Camel starting or stopping in this process is never the bureau's fault: try again later
            if (t instanceof java.util.concurrent.RejectedExecutionException) {
                return Outcome.TRANSIENT;
            }
        }
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof TransientDeliveryException || t instanceof IOException
                    || t instanceof GenericFileOperationFailedException || t instanceof AmqpException) {
                return Outcome.TRANSIENT;
            }
        }
        return Outcome.PERMANENT;
    }

    static String describe(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            if (root instanceof PermanentDeliveryException || root instanceof TransientDeliveryException) {
                break;
            }
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + ": " + root.getMessage();
    }
}
