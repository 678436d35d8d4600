package cn.beijing.scienceedu.reporting.shared;

/** Answered 404 (no such object, or not one the caller may see). */
public class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message);
    }
}
