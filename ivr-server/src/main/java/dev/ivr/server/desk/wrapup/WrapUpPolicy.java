package dev.ivr.server.desk.wrapup;

import dev.ivr.server.config.QueueConfig;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a queue asks of an agent after a call: the wrap-up codes to choose from, whether one is
 * required before the agent ends wrap-up, the wrap-up time and how much longer the agent may make it.
 */
public record WrapUpPolicy(String queue, String name, List<String> codes, boolean codeRequired, Duration time,
                           Duration maxExtension) {
    /** A queue this server does not know (a call of another server's configuration): free text only. */
    public static WrapUpPolicy none(String queue) {
        return new WrapUpPolicy(queue, queue, List.of(), false, Duration.ZERO, Duration.ZERO);
    }

    public WrapUpPolicy {
        codes = List.copyOf(codes);
    }

    /** The policies of the configured queues, by queue id, in configuration order. */
    public static Map<String, WrapUpPolicy> of(List<QueueConfig> queues) {
        Map<String, WrapUpPolicy> out = new LinkedHashMap<>();
        for (QueueConfig q : queues) {
            out.put(q.id(), new WrapUpPolicy(q.id(), q.name() == null ? q.id() : q.name(), q.wrapUpCodes(),
                    q.effectiveWrapUpCodeRequired(), q.wrapUp() == null ? Duration.ZERO : q.wrapUp(),
                    q.effectiveWrapUpExtension()));
        }
        return out;
    }

    /**
     * Checks a chosen code against this policy: null when it is acceptable, otherwise why not.
     * A queue without codes takes none.
     */
    public Optional<String> refuse(String code) {
        if (code == null) {
            return codeRequired ? Optional.of("queue " + queue + " requires a wrap-up code: one of " + String.join(", ", codes))
                    : Optional.empty();
        }
        if (!codes.contains(code)) {
            return Optional.of(codes.isEmpty() ? "queue " + queue + " has no wrap-up codes; give a note only"
                    : "wrap-up code must be one of " + String.join(", ", codes));
        }
        return Optional.empty();
    }
}
