package dev.ivr.server.crm.segment;

/** A segment's expression that cannot be used: where (1-based line and column) and why. */
public final class SegmentException extends Exception {
    private final int line;
    private final int column;
    private final String reason;

    public SegmentException(int line, int column, String reason) {
        super(line + ":" + column + ": " + reason);
        this.line = line;
        this.column = column;
        this.reason = reason;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }

    public String reason() {
        return reason;
    }
}
