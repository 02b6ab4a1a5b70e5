package dev.ivr.server.crm.segment;

import java.util.List;

/**
 * A segment compiled to SQL: a condition on {@code customers c} and its parameters (String,
 * BigDecimal), in order.
 */
public record SegmentQuery(String where, List<Object> parameters) {
    public SegmentQuery {
        parameters = List.copyOf(parameters);
    }
}
