package dev.ivr.server.health;

/** One component's state: UP, STARTING, DEGRADED (works with less) or DOWN, and why. */
public record Health(Status status, String detail) {
    public enum Status { UP, STARTING, DEGRADED, DOWN }

    public static Health up(String detail) {
        return new Health(Status.UP, detail);
    }

    public static Health starting(String detail) {
        return new Health(Status.STARTING, detail);
    }

    public static Health degraded(String detail) {
        return new Health(Status.DEGRADED, detail);
    }

    public static Health down(String detail) {
        return new Health(Status.DOWN, detail);
    }
}
