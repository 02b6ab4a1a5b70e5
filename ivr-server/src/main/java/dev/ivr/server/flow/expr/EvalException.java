package dev.ivr.server.flow.expr;

/** An expression failed while a call ran (a missing key, a wrong type, a value over the size limit). */
public final class EvalException extends Exception {
    public EvalException(String message) {
        super(message, null, false, false);
    }
}
