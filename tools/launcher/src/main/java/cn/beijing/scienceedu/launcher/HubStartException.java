package cn.beijing.scienceedu.launcher;

/** A process did not become ready: it exited, or its time (or the suite's budget) ran out. */
public class HubStartException extends RuntimeException {

    private final String processName;

    public HubStartException(String processName, String message) {
        super(message);
        this.processName = processName;
    }

    public String processName() {
        return processName;
    }
}
