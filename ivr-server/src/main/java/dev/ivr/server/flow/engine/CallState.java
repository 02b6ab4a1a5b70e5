package dev.ivr.server.flow.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.expr.Values;
import dev.ivr.server.flow.model.Flow;

import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One call's state while a flow runs, in parts with their own updates: where it is ({@link Position}: frames,
 * path), who the caller is ({@link Caller}: customer, auth), what they gave ({@link Inputs}), what came of it
 * ({@link Disposition}: outcome, queue, agent); here the call's own facts ({@code call.*}) and its language.
 * Serialises to JSON for checkpoints, without secrets (the format is the one before the split, key for key).
 */
final class CallState {
    static final String MASK = Inputs.MASK;
    /** Buffers from a pool shared by all threads: checkpoints are written on the calls' virtual threads, each new. */
    private static final ObjectMapper JSON = new ObjectMapper(dev.ivr.server.json.PooledJson.factory());

    /** A flow in progress: its node to run next, its own variables, and where to return in the caller. */
    static final class Frame {
        final Flow flow;
        String node;
        final Map<String, Object> vars;
        /** the subflow node of the calling frame (null for the bottom frame) */
        final String returnNode;

        Frame(Flow flow, String node, Map<String, Object> vars, String returnNode) {
            this.flow = flow;
            this.node = node;
            this.vars = vars;
            this.returnNode = returnNode;
        }
    }

    final CallInfo info;
    final Map<String, Object> call = new LinkedHashMap<>();
    final Position position = new Position();
    final Caller caller = new Caller();
    final Inputs inputs = new Inputs();
    final Disposition disposition = new Disposition();
    String language;
    final Instant start;
    /** {@code start} as each checkpoint writes it, made at the first (an {@code Instant.toString} per checkpoint before). */
    private String startText;
    String resumedFrom;
    /**
     * Whether the call's opening (language by DNIS, channel variables, campaign callee) is still to run: true in a
     * state restored from a claim, the checkpoint a call gets as it arrives, before its opening ran
     * ({@link Checkpoints#loadOrClaim}); such a resumed call runs its opening as a new one does.
     */
    boolean openingPending;

    CallState(CallInfo info, Instant start) {
        this.info = info;
        this.start = start;
        this.language = info.language() == null || info.language().isBlank() ? "en" : info.language();
        call.put("unique_id", info.uniqueId());
        call.put("ani", info.aniWithheld() ? "" : info.ani());
        call.put("withheld", info.aniWithheld());
        call.put("caller_name", info.callerName() == null ? "" : info.callerName());
        call.put("dnis", info.dnis());
        call.put("channel", info.channel());
        call.put("language", language);
        call.put("context", info.context());
        call.put("extension", info.extension());
        call.put("args", List.copyOf(info.args()));
        call.put("query", Map.copyOf(info.query()));
        call.put("vars", new LinkedHashMap<String, Object>());
    }

    Frame frame() {
        return position.frame();
    }

    void setLanguage(String lang) {
        language = lang;
        call.put("language", lang);
        caller.nameIn(lang);
    }

    /**
     * A customer's name as the language puts it in a sentence ("Kovács Anna" in Hungarian, "Anna
     * Kovács" in English: CLDR's person-name order), else as the CRM has it.
     */
    static String nameIn(String language, String first, String last, String nameLanguage, String fallback) {
        return dev.ivr.server.prompt.say.SpokenForms.forLanguage(language)
                .map(f -> f.personName(first, last, nameLanguage)).filter(n -> !n.isBlank()).orElse(Caller.nz(fallback));
    }

    /** Everything an expression may read: call, customer, auth, inputs (secrets masked), the frame's variables. */
    Map<String, Object> activation() {
        Map<String, Object> a = new LinkedHashMap<>(frame().vars);
        a.put("call", call);
        a.put("customer", caller.customer);
        a.put("auth", caller.auth);
        a.put("inputs", inputs.forExpressions());
        return a;
    }

    // --------------------------------------------------------- checkpoints

    /**
     * JSON of everything needed to resume, secrets excluded. Written field by field with a generator (the same JSON,
     * key for key, as the map it was built from before; no map per checkpoint), the plain values (strings, booleans,
     * integers, maps with string keys, lists) straight, anything else through Jackson's serializers
     * ({@link #value}).
     */
    String toJson(String nodeName) {
        return toJson(nodeName, false);
    }

    /**
     * The same, with {@code "opened": false} after {@code v} when {@code openingPending}: the claim's checkpoint, taken
     * before the call's opening ran (a checkpoint without the field is one taken after it, as all were before).
     */
    String toJson(String nodeName, boolean openingPending) {
        // the text is built in buffers from the mapper's shared pool (as ObjectMapper.writeValueAsString does), which the
        // generator takes from the writer: the one copy made is the string returned. A StringWriter cost a 1 KB
        // buffer per checkpoint besides (its StringBuffer).
        com.fasterxml.jackson.core.util.BufferRecycler buffers = dev.ivr.server.json.PooledJson.buffers();
        try (com.fasterxml.jackson.core.io.SegmentedStringWriter out =
                     new com.fasterxml.jackson.core.io.SegmentedStringWriter(buffers)) {
            writeJson(out, nodeName, openingPending);
            return out.getAndClear();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        } finally {
            buffers.releaseToPool();
        }
    }

    private void writeJson(java.io.Writer out, String nodeName, boolean openingPending) throws java.io.IOException {
        try (com.fasterxml.jackson.core.JsonGenerator g = JSON.createGenerator(out)) {
            g.writeStartObject();
            g.writeNumberField("v", 1);
            if (openingPending) {
                g.writeBooleanField("opened", false);
            }
            field(g, "server", nodeName);
            field(g, "ani", info.ani());
            if (startText == null) {
                startText = start.toString();
            }
            g.writeStringField("start", startText);
            field(g, "language", language);
            field(g, "callVars", call.get("vars"));
            field(g, "customer", caller.customer);
            field(g, "customerId", caller.customerId);
            field(g, "auth", caller.auth);
            field(g, "authOutcome", caller.authOutcome);
            field(g, "inputs", inputs.withoutSecrets());
            field(g, "answers", inputs.answers);
            g.writeBooleanField("speechOff", inputs.speechOff);
            field(g, "path", position.path());
            g.writeArrayFieldStart("frames");
            for (Iterator<Frame> it = position.bottomUp(); it.hasNext(); ) {
                Frame f = it.next();
                g.writeStartObject();
                field(g, "flow", f.flow.name());
                field(g, "version", f.flow.version());
                field(g, "node", f.node);
                field(g, "vars", f.vars);
                field(g, "returnNode", f.returnNode);
                g.writeEndObject();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
    }

    private static void field(com.fasterxml.jackson.core.JsonGenerator g, String name, Object v) throws java.io.IOException {
        g.writeFieldName(name);
        value(g, v);
    }

    /**
     * A value as Jackson's default serializers write it: strings, booleans, {@code Integer}s and {@code Long}s, maps
     * whose keys are all strings (entries in their order, null values written) and lists straight with the generator;
     * anything else ({@code Double}, dates, a map with other keys, ...) through the mapper, as {@code writeObject} did
     * for every value before. Going through the mapper costs a serializer provider and a serializer look-up per value:
     * twenty-odd per checkpoint, most of a checkpoint's CPU.
     */
    static void value(com.fasterxml.jackson.core.JsonGenerator g, Object v) throws java.io.IOException {
        switch (v) {
            case null -> g.writeNull();
            case String s -> g.writeString(s);
            case Boolean b -> g.writeBoolean(b);
            case Integer i -> g.writeNumber(i.intValue());
            case Long l -> g.writeNumber(l.longValue());
            case Map<?, ?> m when stringKeys(m) -> {
                g.writeStartObject();
                try {
                    m.forEach((k, x) -> { // no entrySet(): a map keeps the view it made for as long as it lives
                        try {
                            g.writeFieldName((String) k);
                            value(g, x);
                        } catch (java.io.IOException e) {
                            throw new java.io.UncheckedIOException(e);
                        }
                    });
                } catch (java.io.UncheckedIOException e) {
                    throw e.getCause();
                }
                g.writeEndObject();
            }
            case List<?> l -> {
                g.writeStartArray();
                for (Object o : l) {
                    value(g, o);
                }
                g.writeEndArray();
            }
            default -> g.writeObject(v);
        }
    }

    /**
     * Whether every key of {@code m} is a string. Read with {@code forEach}, not {@code keySet()}: a {@code HashMap} or
     * {@code LinkedHashMap} keeps the key and entry views it made for as long as it lives, and the maps of a call's
     * state (its facts, variables, customer, inputs) live as long as the call: 13 such views, about 300 bytes, per
     * waiting caller (docs/benchmarks.md, issue 16, seventeenth round, hp21).
     */
    private static boolean stringKeys(Map<?, ?> m) {
        boolean[] strings = {true};
        m.forEach((k, x) -> strings[0] &= k instanceof String);
        return strings[0];
    }

    /**
     * Restores a checkpoint onto a new call state; empty when it cannot be resumed on these
     * flows (a flow or node is gone): the call then starts over.
     */
    @SuppressWarnings("unchecked")
    static Optional<CallState> fromJson(String json, CallInfo info, FlowSet flows, StringBuilder why) {
        Map<String, Object> m;
        try {
            m = JSON.readValue(json, Map.class);
        } catch (JsonProcessingException e) {
            why.append("unreadable checkpoint");
            return Optional.empty();
        }
        CallState s = new CallState(info, Instant.parse((String) m.get("start")));
        s.setLanguage((String) m.get("language"));
        s.call.put("vars", Values.fromCel(m.getOrDefault("callVars", Map.of())));
        s.caller.customer = (Map<String, Object>) Values.fromCel(m.get("customer"));
        s.caller.customerId = (String) m.get("customerId");
        s.caller.auth = (Map<String, Object>) Values.fromCel(m.get("auth"));
        s.caller.authOutcome = (String) m.get("authOutcome");
        ((Map<String, Object>) m.getOrDefault("inputs", Map.of())).forEach((k, v) ->
                s.inputs.values.put(k, String.valueOf(v)));
        ((Map<String, Object>) m.getOrDefault("answers", Map.of())).forEach((k, v) ->
                s.inputs.answers.put(k, (Map<String, Object>) Values.fromCel(v)));
        s.inputs.speechOff = Boolean.TRUE.equals(m.get("speechOff"));
        s.position.path().addAll((List<String>) m.getOrDefault("path", List.of()));
        for (Map<String, Object> fm : (List<Map<String, Object>>) m.get("frames")) {
            String flowName = (String) fm.get("flow");
            Optional<Flow> flow = flows.flow(flowName);
            String node = (String) fm.get("node");
            if (flow.isEmpty()) {
                why.append("flow '").append(flowName).append("' is not served here");
                return Optional.empty();
            }
            if (flow.get().node(node) == null) {
                why.append("node '").append(node).append("' is not in flow '").append(flowName).append("' version ")
                        .append(flow.get().version());
                return Optional.empty();
            }
            s.position.enter(new Frame(flow.get(), node, (Map<String, Object>) Values.fromCel(fm.get("vars")),
                    (String) fm.get("returnNode")));
        }
        if (s.position.isEmpty()) {
            why.append("empty checkpoint");
            return Optional.empty();
        }
        s.resumedFrom = (String) m.get("server");
        s.openingPending = Boolean.FALSE.equals(m.get("opened"));
        return Optional.of(s);
    }
}
