package dev.fhirbolt.console;

/** A console page cannot be shown: the status to answer with and a message fit for the person reading it. */
public final class ConsoleException extends RuntimeException {

    private final int status;

    public ConsoleException(int status, String message) {
        super(message);
        this.status = status;
    }

    public int status() {
        return status;
    }
}
