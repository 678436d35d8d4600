package cn.beijing.scienceedu.platform.events;

/**
 * A message that is no hub CloudEvent, or whose data cannot be read as the type asked for: it can never be applied, so
 * a consumer lets it go to its dead-letter queue. The message names what is wrong (and the event id where one was
 * read); the Rabbit binder's republish puts it in the dead letter's {@code x-exception-message} header.
 */
public class MalformedEventException extends RuntimeException {

    private final String eventId;

    public MalformedEventException(String message) {
        this(null, message, null);
    }

    public MalformedEventException(String eventId, String message, Throwable cause) {
        super(eventId == null ? message : "event " + eventId + ": " + message, cause);
        this.eventId = eventId;
    }

    /** The id of the event, when the message had one; null otherwise. */
    public String eventId() {
        return eventId;
    }
}
