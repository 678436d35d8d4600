package cn.beijing.scienceedu.adapters.outbound;

/** The bureau could not take the message now (timeout, refused, 5xx, SOAP Server fault): retry, never park. */
public class TransientDeliveryException extends RuntimeException {
    public TransientDeliveryException(String message) {
        super(message);
    }

    public TransientDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
