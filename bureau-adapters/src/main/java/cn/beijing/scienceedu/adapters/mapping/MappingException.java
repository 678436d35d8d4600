package cn.beijing.scienceedu.adapters.mapping;

/** A message that cannot be put into (or read from) a bureau's shape: permanent, never retried. */
public class MappingException extends RuntimeException {
    public MappingException(String message) {
        super(message);
    }

    public MappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
