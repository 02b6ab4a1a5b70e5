package dev.ivr.server.flow.expr;

/**
 * An expression or template that cannot be used. {@code offset} is where in the source text
 * the problem is (characters from its start), for file:line:column messages.
 */
public final class ExprException extends Exception {
    private final int offset;

    public ExprException(String message, int offset) {
        super(message, null, false, false);
        this.offset = Math.max(0, offset);
    }

    public int offset() {
        return offset;
    }
}
