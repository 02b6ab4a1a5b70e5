package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.callcontext.CallContext;
import dev.ivr.server.flow.route.RouteRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Builds the screen pop of a call when an agent is reserved for it. */
final class ContextFactory {
    private static final Logger LOG = LoggerFactory.getLogger(ContextFactory.class);

    private final CrmStore crm;
    private final List<String> attributes;

    /** @param attributes customer attributes to copy; empty: all */
    ContextFactory(CrmStore crm, List<String> attributes) {
        this.crm = crm;
        this.attributes = List.copyOf(attributes);
    }

    CallContext build(RouteRequest req, Reservation r, Instant enqueuedAt, Instant now, boolean callback) {
        Optional<Customer> customer = Optional.empty();
        if (req.customerId() != null && !req.customerId().isBlank()) {
            try {
                customer = crm.customer(req.customerId());
            } catch (RuntimeException e) {
                LOG.warn("customer {} not read for the screen pop: {}", req.customerId(), e.toString());
            }
        }
        Map<String, String> attrs = new LinkedHashMap<>();
        customer.ifPresent(c -> c.attributes().forEach((k, v) -> {
            if (attributes.isEmpty() || attributes.contains(k)) {
                attrs.put(k, v);
            }
        }));
        RouteRequest.Journey j = req.journey();
        Duration inIvr = j.ivrStart() == null ? null : nonNegative(Duration.between(j.ivrStart(), enqueuedAt));
        String name = customer.map(Customer::name).filter(n -> !n.isBlank()).orElse(null);
        return new CallContext(req.callId(), Ani.of(req.ani()), req.flow(), blankToNull(req.customerId()), name,
                customer.map(Customer::tier).orElse(null), attrs, j.authResult(), j.intent(), req.context(), j.path(),
                j.inputs(), inIvr, nonNegative(Duration.between(enqueuedAt, now)), req.queue(), r.agentId(),
                r.offeredAt(), callback);
    }

    private static Duration nonNegative(Duration d) {
        return d.isNegative() ? Duration.ZERO : d;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s;
    }

    /** The caller's number as agents and callbacks see it: empty when withheld. */
    static final class Ani {
        private Ani() {
        }

        static String of(String ani) {
            if (ani == null) {
                return "";
            }
            String a = ani.trim();
            return a.isEmpty() || a.equalsIgnoreCase("unknown") || a.equalsIgnoreCase("anonymous")
                    || a.equalsIgnoreCase("restricted") || a.equalsIgnoreCase("private") ? "" : a;
        }
    }
}
