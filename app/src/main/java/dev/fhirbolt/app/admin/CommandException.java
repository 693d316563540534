package dev.fhirbolt.app.admin;

/** An admin command cannot do what was asked; the message says why, for the person at the terminal. */
public final class CommandException extends RuntimeException {

    public CommandException(String message) {
        super(message, null, false, false);
    }
}
