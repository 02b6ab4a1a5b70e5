package dev.ivr.server.flow.engine;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.crm.Customer;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.expr.Values;
import dev.ivr.server.flow.model.Flow;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One call's state while a flow runs: where it is (a stack of frames, one per subflow level),
 * the variables flows see, what was collected, and what goes into the interaction record.
 * Serialises to JSON for checkpoints, without secrets.
 */
final class CallState {
    static final String MASK = "****";
    private static final ObjectMapper JSON = new ObjectMapper();

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
    final Deque<Frame> stack = new ArrayDeque<>();
    final Map<String, Object> call = new LinkedHashMap<>();
    Map<String, Object> customer = unknownCustomer();
    Map<String, Object> auth = noAuth();
    final Map<String, String> inputs = new LinkedHashMap<>();
    final Map<String, String> secrets = new LinkedHashMap<>();
    /** Answers of listen nodes as expressions see them: inputs.NAME.text, .value, .confidence, .key */
    final Map<String, Map<String, Object>> answers = new LinkedHashMap<>();
    /** Speech failed on this call (no AudioSocket, a broken model): menus take keys only from now on. */
    boolean speechOff;
    final List<String> path = new ArrayList<>();
    String language;
    /** Keys typed before the input that takes them (barge-in, or while a prompt was rendered), oldest first. */
    String typeAhead = "";
    int nodesSinceInput;
    Instant start;
    String customerId;
    String authOutcome;
    String queue;
    String agentId;
    Duration waitTime;
    Duration talkTime;
    Interaction.Outcome outcome;
    boolean inQueue;
    /** The route node handed the call to the dialplan (IVR_STATUS=ROUTE): the end of the flow must not change IVR_STATUS. */
    boolean handedToDialplan;
    String resumedFrom;

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
        return stack.peek();
    }

    void setLanguage(String lang) {
        language = lang;
        call.put("language", lang);
        if (Boolean.TRUE.equals(customer.get("known"))) {
            customer.put("name", nameIn(lang, (String) customer.get("first_name"), (String) customer.get("last_name"),
                    (String) customer.get("language"), (String) customer.get("name")));
        }
    }

    /**
     * A customer's name as the language puts it in a sentence ("Kovács Anna" in Hungarian, "Anna
     * Kovács" in English: CLDR's person-name order), else as the CRM has it.
     */
    static String nameIn(String language, String first, String last, String nameLanguage, String fallback) {
        return dev.ivr.server.prompt.say.SpokenForms.forLanguage(language)
                .map(f -> f.personName(first, last, nameLanguage)).filter(n -> !n.isBlank()).orElse(nz(fallback));
    }

    /** Everything an expression may read: call, customer, auth, inputs (secrets masked), the frame's variables. */
    Map<String, Object> activation() {
        Map<String, Object> a = new LinkedHashMap<>(frame().vars);
        a.put("call", call);
        a.put("customer", customer);
        a.put("auth", auth);
        Map<String, Object> in = new LinkedHashMap<>(inputs);
        in.putAll(answers);
        a.put("inputs", in);
        return a;
    }

    /** A listen node's answer: its value goes into the contact history, all of it to expressions. */
    void answer(String name, String text, String value, double confidence, String key) {
        if (name == null) {
            return;
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", text);
        m.put("value", value);
        m.put("confidence", confidence);
        m.put("key", key);
        answers.put(name, m);
        inputs.put(name, value);
    }

    void input(String name, String value, boolean secret) {
        if (name == null) {
            return;
        }
        if (secret) {
            secrets.put(name, value);
            inputs.put(name, MASK);
        } else {
            inputs.put(name, value);
        }
    }

    static Map<String, Object> unknownCustomer() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("known", false);
        c.put("id", "");
        c.put("first_name", "");
        c.put("last_name", "");
        c.put("name", "");
        c.put("tier", "");
        c.put("language", "");
        c.put("attributes", Map.of());
        c.put("matches", 0L);
        return c;
    }

    static Map<String, Object> customerMap(Customer cu, long matches) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("known", true);
        c.put("id", nz(cu.id()));
        c.put("first_name", nz(cu.firstName()));
        c.put("last_name", nz(cu.lastName()));
        c.put("name", nameIn(cu.language() == null || cu.language().isBlank() ? "en" : cu.language(),
                cu.firstName(), cu.lastName(), cu.language(), cu.name()));
        c.put("tier", nz(cu.tier()));
        c.put("language", nz(cu.language()));
        c.put("attributes", new LinkedHashMap<String, Object>(cu.attributes()));
        c.put("matches", matches);
        return c;
    }

    static Map<String, Object> noAuth() {
        Map<String, Object> a = new LinkedHashMap<>();
        a.put("status", "NONE");
        a.put("account", "");
        a.put("attempts_left", 0L);
        a.put("ok", false);
        return a;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    // --------------------------------------------------------- checkpoints

    /** JSON of everything needed to resume, secrets excluded. */
    String toJson(String nodeName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("v", 1);
        m.put("server", nodeName);
        m.put("ani", info.ani());
        m.put("start", start.toString());
        m.put("language", language);
        m.put("callVars", call.get("vars"));
        m.put("customer", customer);
        m.put("customerId", customerId);
        m.put("auth", auth);
        m.put("authOutcome", authOutcome);
        Map<String, String> publicInputs = new LinkedHashMap<>(inputs);
        secrets.keySet().forEach(publicInputs::remove);
        m.put("inputs", publicInputs);
        m.put("answers", answers);
        m.put("speechOff", speechOff);
        m.put("path", path);
        List<Map<String, Object>> frames = new ArrayList<>();
        for (Iterator<Frame> it = stack.descendingIterator(); it.hasNext(); ) {
            Frame f = it.next();
            Map<String, Object> fm = new LinkedHashMap<>();
            fm.put("flow", f.flow.name());
            fm.put("version", f.flow.version());
            fm.put("node", f.node);
            fm.put("vars", f.vars);
            fm.put("returnNode", f.returnNode);
            frames.add(fm);
        }
        m.put("frames", frames);
        try {
            return JSON.writeValueAsString(m);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
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
        s.customer = (Map<String, Object>) Values.fromCel(m.get("customer"));
        s.customerId = (String) m.get("customerId");
        s.auth = (Map<String, Object>) Values.fromCel(m.get("auth"));
        s.authOutcome = (String) m.get("authOutcome");
        ((Map<String, Object>) m.getOrDefault("inputs", Map.of())).forEach((k, v) -> s.inputs.put(k, String.valueOf(v)));
        ((Map<String, Object>) m.getOrDefault("answers", Map.of())).forEach((k, v) ->
                s.answers.put(k, (Map<String, Object>) Values.fromCel(v)));
        s.speechOff = Boolean.TRUE.equals(m.get("speechOff"));
        s.path.addAll((List<String>) m.getOrDefault("path", List.of()));
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
            s.stack.push(new Frame(flow.get(), node, (Map<String, Object>) Values.fromCel(fm.get("vars")),
                    (String) fm.get("returnNode")));
        }
        if (s.stack.isEmpty()) {
            why.append("empty checkpoint");
            return Optional.empty();
        }
        s.resumedFrom = (String) m.get("server");
        return Optional.of(s);
    }
}
