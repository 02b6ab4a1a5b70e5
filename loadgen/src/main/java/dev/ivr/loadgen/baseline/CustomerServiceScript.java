package dev.ivr.loadgen.baseline;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiRequest;
import org.asteriskjava.fastagi.BaseAgiScript;
import org.asteriskjava.fastagi.command.SetMusicOffCommand;
import org.asteriskjava.fastagi.command.SetMusicOnCommand;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The shipped customer-service flow, written by hand against the AgiChannel API for the paths
 * the load scenario's callers take: open hours, an unknown number (welcome, language menu),
 * the main menu with its reprompts, support or sales, the queue exactly as ivr's router keeps a
 * caller company (music on hold; one {@code WAIT FOR DIGIT} per quiet stretch, until the next
 * announcement or the node's maximum wait, cut by a {@code NOOP} when an agent is reserved (ivr's
 * minute's check that someone could still serve the call runs off the call's thread and cuts a
 * wait only when nobody could: the benchmark's agents stay logged in, so there is nothing to
 * mirror here); for support, every 45 s the announcement with the place
 * in line and the estimated wait spoken from number segments; the wait keys), the agent leg's
 * variables and {@code Dial}
 * with the same pre-dial handler and answer subroutine, and the ends of the call (routed;
 * voicemail after the queue's maximum wait or on key 1; the operator). Same AGI commands with
 * the same arguments in the same order as the ivr server sends (prompt files apart: the server
 * names them by content), checked by ScriptEquivalenceIT.
 *
 * <p>What it leaves out is what ivr does besides AGI: the CRM lookup, the routing cluster, call
 * contexts and screen pops, checkpoints, metrics, the contact history. The billing path (the
 * verify-caller subflow: account number and PIN) is not written here: a caller who presses 1 at
 * the main menu is passed to the operator. The load scenario never takes it.
 */
final class CustomerServiceScript extends BaseAgiScript {
    private static final String KEYS = StockPrompts.ALL_KEYS;
    /** The queue's waiting rules, as flows/customer-service.yaml's route nodes set them. */
    private record Route(String queue, int priority, Duration maxWait, String announcement, Duration every,
                         String waitKeys, char callbackKey) {
    }

    private static final Route SUPPORT = new Route("support", 3, Duration.ofMinutes(10), "queue-wait-callback",
            Duration.ofSeconds(45), "1", '2');
    private static final Route SALES = new Route("sales", 1, Duration.ofMinutes(3), null, null, "", (char) 0);

    private final String nodeName;
    private final AgentPool agents;
    private final ContextSignature signature;

    CustomerServiceScript(String nodeName, AgentPool agents, ContextSignature signature) {
        this.nodeName = nodeName;
        this.agents = agents;
        this.signature = signature;
    }

    /** One call: what the flow keeps between nodes. */
    private static final class Call {
        final AgiRequest request;
        final AgiChannel ch;
        String language = "en";
        char typeAhead;
        String outcome;

        Call(AgiRequest request, AgiChannel ch) {
            this.request = request;
            this.ch = ch;
        }

        String file(String id) {
            return language.equals("en") ? StockPrompts.prompt(id) : StockPrompts.prompt(id).replace("ivr/en/", "ivr/" + language + "/");
        }

        char say(String id, String escapes) throws AgiException {
            return ch.streamFile(file(id), escapes);
        }
    }

    @Override
    public void service(AgiRequest request, AgiChannel channel) throws AgiException {
        channel.setVariable("IVR_NODE", nodeName);
        Call c = new Call(request, channel);
        channel.answer();
        // check-hours: open (the benchmark's calendar); identify-caller: unknown number
        c.typeAhead = c.say("welcome", KEYS);                                      // greet-anonymous, barge-in
        String lang = menu(c, "language-menu", "12", 4000, 1, null, "invalid-choice", "1", "main-menu");
        if (lang.equals("2")) {
            c.language = "es";                                                       // set-spanish
        }
        String choice = menu(c, "main-menu", "1230", 5000, 2, "no-input", "invalid-choice", null, "0");
        String next = switch (choice) {
            case "2" -> route(c, SUPPORT);
            case "3" -> route(c, SALES);
            default -> "operator";                                                   // 0, and billing (not written here)
        };
        while (next != null) {
            next = switch (next) {
                case "end-call" -> {
                    endCall(c);
                    yield null;
                }
                case "queue-timeout" -> {
                    c.say("all-agents-busy", "");
                    yield "leave-message";
                }
                case "leave-message" -> {
                    channel.exec("VoiceMail", "2000@support,u");
                    c.outcome = "VOICEMAIL";
                    channel.setVariable("IVR_OUTCOME", c.outcome);                  // the flow ends: the dialplan goes on
                    channel.setVariable("IVR_STATUS", "OK");                        // ran to its end: no fallback
                    yield null;
                }
                case "operator" -> operator(c);
                default -> throw new IllegalStateException(next);
            };
        }
    }

    /**
     * A menu node: the typed-ahead key or the prompt (barge-in) then WAIT FOR DIGIT; after a
     * failure the reprompt's prompt and the menu again, or its next node; the fallback once the
     * retries are used up. Returns the key chosen, or the node to go to ({@code noInputNext},
     * {@code fallback}) as a key of the options.
     */
    private String menu(Call c, String prompt, String options, int timeoutMillis, int retries, String noInputPrompt,
                        String invalidPrompt, String noInputNext, String fallback) throws AgiException {
        int failures = 0;
        while (true) {
            char key = c.typeAhead;
            c.typeAhead = 0;
            if (key == 0) {
                key = c.say(prompt, KEYS);
            }
            if (key == 0) {
                key = c.ch.waitForDigit(timeoutMillis);
            }
            if (key != 0 && options.indexOf(key) >= 0) {
                return String.valueOf(key);
            }
            if (++failures > retries) {
                return fallback;
            }
            if (key == 0 && noInputNext != null) {
                return noInputNext;
            }
            String reprompt = key == 0 ? noInputPrompt : invalidPrompt;
            if (reprompt != null) {
                c.say(reprompt, "");
            }
        }
    }

    private void endCall(Call c) throws AgiException {
        c.ch.setVariable("IVR_OUTCOME", c.outcome == null ? "SELF_SERVED" : c.outcome);
        c.ch.setVariable("IVR_STATUS", "OK");
        try {
            c.ch.hangup();
        } catch (AgiHangupException e) {
            // the caller is gone already
        }
    }

    /** The operator node: Dial through the dialplan; answered: the call ends there, else a message. */
    private String operator(Call c) throws AgiException {
        int rc = c.ch.exec("Dial", "Local/100@from-ivr,30");
        String status = c.ch.getFullVariable("${DIALSTATUS}");
        if ("ANSWER".equals(status)) {
            c.outcome = "TRANSFERRED";
            return rc == -1 ? null : "end-call";
        }
        if (rc == -1) {
            throw new AgiHangupException();
        }
        c.say("operator-unavailable", "");
        return "leave-message";
    }

    // ---------------------------------------------------------------- the queue

    /** A route node: waits for an agent as ivr's router does; the node to go to next. */
    private String route(Call c, Route r) throws AgiException {
        String callId = c.request.getUniqueId();
        CuttableWait wait = CuttableWait.of(c.ch);
        AgentPool.Waiting w = agents.enqueue(callId, r.queue(), r.priority());
        w.onOffer = wait::cut;
        long enqueuedAt = System.nanoTime();
        long nextAnnouncement = enqueuedAt;
        boolean[] music = {false};
        boolean connected = false;
        long restMillis = 0;
        try {
            while (true) {
                String agent = agents.awaitOffer(w, restMillis);
                if (agent != null) {
                    String out = offer(c, r, w, agent, music);
                    if (out != null) {
                        connected = true;
                        return out;
                    }
                    restMillis = 0;
                    continue;                                       // not answered: the next agent, or keep waiting
                }
                int position = agents.position(w);
                long waited = System.nanoTime() - enqueuedAt;
                if (waited >= r.maxWait().toNanos()) {
                    return "queue-timeout";
                }
                char key = 0;
                if (r.announcement() != null && System.nanoTime() >= nextAnnouncement) {
                    key = announce(c, r, position, music);
                    nextAnnouncement = System.nanoTime() + r.every().toNanos();
                }
                long t0 = System.nanoTime();
                int tick = position <= 10 ? 1000 : position <= 50 ? 2000 : 5000;
                long until = enqueuedAt + r.maxWait().toNanos();
                if (r.announcement() != null) {
                    until = Math.min(until, nextAnnouncement);
                }
                long stretch = Math.max(1, (TimeUnit.NANOSECONDS.toMillis(until - System.nanoTime()) + 999) / 1000) * 1000;
                if (key == 0) {
                    music(c, music, true);
                    key = wait.waitForDigit(stretch, () -> w.offered != null);
                }
                if (key != 0) {
                    if (r.waitKeys().indexOf(key) >= 0) {
                        music(c, music, false);
                        return "leave-message";
                    }
                    if (key == r.callbackKey()) {                  // callbacks need AMI, which the benchmark has not
                        music(c, music, false);
                        c.ch.streamFile(StockPrompts.prompt("system.callback-unavailable"), escapes(r));
                    }
                }
                restMillis = Math.max(0, Math.min(tick, stretch) - (System.nanoTime() - t0) / 1_000_000);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AgiHangupException();
        } finally {
            w.onOffer = null;
            if (!connected) {
                agents.cancel(w);
            }
        }
    }

    private static String escapes(Route r) {
        return r.waitKeys() + (r.callbackKey() == 0 ? "" : String.valueOf(r.callbackKey()));
    }

    private void music(Call c, boolean[] on, boolean want) throws AgiException {
        if (on[0] != want) {
            c.ch.sendCommand(want ? new SetMusicOnCommand("default") : new SetMusicOffCommand());
            on[0] = want;
        }
    }

    /** The node's prompt, then "you are number N in line, the estimated wait is M minutes". */
    private char announce(Call c, Route r, int position, boolean[] music) throws AgiException {
        music(c, music, false);
        String esc = escapes(r);
        char key = c.say(r.announcement(), esc);
        if (key != 0) {
            return key;
        }
        key = c.ch.streamFile(StockPrompts.prompt("system.queue-position"), esc);
        if (key == 0) {
            key = number(c, position, esc);
        }
        if (key == 0) {
            key = c.ch.streamFile(StockPrompts.prompt("system.queue-position-end"), esc);
        }
        if (key != 0) {
            return key;
        }
        long minutes = (agents.estimatedWait(position).toSeconds() + 59) / 60;
        if (minutes < 1) {
            return c.ch.streamFile(StockPrompts.prompt("system.queue-wait-short"), esc);
        }
        key = c.ch.streamFile(StockPrompts.prompt("system.queue-wait"), esc);
        if (key == 0) {
            key = number(c, minutes, esc);
        }
        if (key == 0) {
            key = c.ch.streamFile(StockPrompts.prompt(minutes == 1 ? "system.queue-wait-minute" : "system.queue-wait-minutes"), esc);
        }
        return key;
    }

    private char number(Call c, long n, String escapes) throws AgiException {
        if (!c.language.equals("en")) {
            return c.ch.sayDigits(Long.toString(n), escapes);           // no spoken forms: the PBX's own sounds
        }
        for (String segment : StockPrompts.number(n)) {
            char key = c.ch.streamFile(StockPrompts.segment(segment), escapes);
            if (key != 0) {
                return key;
            }
        }
        return 0;
    }

    /** The agent is reserved: the agent leg's variables, Dial; the node to go to, or null when not answered. */
    private String offer(Call c, Route r, AgentPool.Waiting w, String endpoint, boolean[] music) throws AgiException {
        String callId = c.request.getUniqueId();
        music(c, music, false);
        Map<String, String> leg = new java.util.LinkedHashMap<>();
        leg.put("IVR_CALL_ID", callId);
        leg.put("IVR_CONTEXT", signature.token(callId));
        leg.put("IVR_CUSTOMER_ID", "");
        leg.put("IVR_CUSTOMER_NAME", "");
        leg.put("IVR_QUEUE", r.queue());
        leg.put("IVR_INTENT", r.queue());
        leg.put("IVR_AUTH", "");
        leg.put("IVR_AGENT_ID", AgentPool.agentId(endpoint));
        for (Map.Entry<String, String> v : leg.entrySet()) {
            c.ch.setVariable("__" + v.getKey(), v.getValue());
        }
        long t0 = System.nanoTime();
        int rc = c.ch.exec("Dial", endpoint + ",20,b(ivr-agent-leg^s^1)U(ivr-agent-answered^s^1)");
        String status;
        try {
            status = c.ch.getFullVariable("${DIALSTATUS}");
        } catch (AgiHangupException e) {
            status = "";
        }
        if ("ANSWER".equals(status)) {
            agents.callEnded(endpoint, Duration.ofNanos(System.nanoTime() - t0)); // ivr reads no ANSWEREDTIME either
            c.outcome = "ROUTED";
            return "end-call";
        }
        if (rc == -1 || "CANCEL".equals(status)) {
            agents.cancel(w);                                        // the agent is free again at once
            throw new AgiHangupException();
        }
        agents.notAnswered(w);
        return null;
    }
}
