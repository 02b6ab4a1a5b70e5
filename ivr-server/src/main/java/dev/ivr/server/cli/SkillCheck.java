package dev.ivr.server.cli;

import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.config.QueueConfig;
import dev.ivr.server.flow.load.FlowCompiler;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.text.DidYouMean;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What an agent's skills let them take, against what the queues and the flows' route nodes ask
 * for: {@code users add} says which queues a new agent can take and which skills nothing asks
 * for, so a misspelt or wrong skill shows at once rather than as calls ending in voicemail.
 */
final class SkillCheck {
    /** Queue id to its minimum levels: the queue's own skills merged with its route nodes' (the higher level wins). */
    private final Map<String, Map<String, Integer>> needs = new TreeMap<>();

    SkillCheck(Collection<QueueConfig> queues, Collection<FlowCompiler.Result> flows) {
        for (QueueConfig q : queues) {
            merge(q.id(), q.skills());
        }
        for (FlowCompiler.Result r : flows) {
            if (r.ok()) {
                r.flow().nodes().values().stream().filter(Node.Route.class::isInstance).map(Node.Route.class::cast)
                        .forEach(route -> merge(route.queue(), route.skills()));
            }
        }
    }

    static SkillCheck of(IvrConfig cfg, Collection<FlowCompiler.Result> flows) {
        return new SkillCheck(cfg.routing().queues(), flows);
    }

    private void merge(String queue, Map<String, Integer> skills) {
        Map<String, Integer> q = needs.computeIfAbsent(queue, k -> new TreeMap<>());
        skills.forEach((s, level) -> q.merge(s, level, Math::max));
    }

    /** Every skill some queue or route node asks for. */
    Set<String> knownSkills() {
        Set<String> all = new TreeSet<>();
        needs.values().forEach(m -> all.addAll(m.keySet()));
        return all;
    }

    /** Lines for the person adding an agent: the queues they can take, the ones they cannot and why, skills nobody asks for. */
    List<String> report(String agent, Map<String, Integer> skills) {
        List<String> lines = new ArrayList<>();
        List<String> can = new ArrayList<>();
        List<String> cannot = new ArrayList<>();
        needs.forEach((queue, need) -> {
            List<String> missing = new ArrayList<>();
            need.forEach((s, level) -> {
                if (skills.getOrDefault(s, 0) < level) {
                    missing.add(s + " " + level);
                }
            });
            if (missing.isEmpty()) {
                can.add(queue);
            } else {
                cannot.add(queue + " (needs " + String.join(", ", missing) + ")");
            }
        });
        lines.add(agent + " can take calls of " + (can.isEmpty() ? "no queue" : "queue(s) " + String.join(", ", can))
                + (cannot.isEmpty() ? "" : "; not " + String.join(", ", cannot)));
        Set<String> known = knownSkills();
        for (String s : new TreeSet<>(skills.keySet())) {
            if (!known.contains(s)) {
                lines.add("warning: no queue or route node asks for skill '" + s + "'"
                        + DidYouMean.suffix(s, known) + " (they ask for " + String.join(", ", known) + ")");
            }
        }
        return lines;
    }
}
