package cn.beijing.scienceedu.adapters.outbound;

/** The bureau rejected the content, or its answer cannot be understood: park, do not retry. */
public class PermanentDeliveryException extends RuntimeException {
    public PermanentDeliveryException(String message) {
        super(message);
    }

    public PermanentDeliveryException(String message, Throwable cause) {
        super(message, cause);
    }
}
