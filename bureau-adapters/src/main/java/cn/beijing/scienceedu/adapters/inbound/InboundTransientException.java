package cn.beijing.scienceedu.adapters.inbound;

/** The task-service could not take a bureau write now; the bureau's message must be tried again. */
public class InboundTransientException extends RuntimeException {
    public InboundTransientException(String message) {
        super(message);
    }
}
