package cn.beijing.scienceedu.gateway.problem;

/** A request body over its route's cap; rendered as a 413 problem detail. */
public class PayloadTooLargeException extends RuntimeException {

    public PayloadTooLargeException(String message) {
        super(message);
    }
}
