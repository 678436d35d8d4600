package cn.beijing.scienceedu.reporting.shared;

/** Answered 409 naming the object's current state. */
public class ConflictException extends RuntimeException {
    private final String currentState;

    public ConflictException(String message, String currentState) {
        super(message);
        this.currentState = currentState;
    }

    public String currentState() {
        return currentState;
    }
}
