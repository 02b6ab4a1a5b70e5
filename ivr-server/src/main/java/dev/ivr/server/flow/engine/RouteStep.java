package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.crm.Interaction;
import dev.ivr.server.flow.expr.Template;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.flow.model.PromptRef;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.route.RouteRequest;
import dev.ivr.server.flow.route.RouteResult;
import dev.ivr.server.prompt.PromptAudio;
import dev.ivr.server.prompt.PromptEntry;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code route} node: builds the request (context, announcement, journey, callback option), hands the
 * call to the {@link CallRouter} (which may block until the call is connected and over), and records and
 * follows what came of it.
 */
final class RouteStep {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);

    private final CallRouter router;
    private final PromptAudio audio;

    RouteStep(CallRouter router, PromptAudio audio) {
        this.router = router;
        this.audio = audio;
    }

    Next run(Node.Route n, FlowEngine.Run run) {
        CallState st = run.st;
        st.disposition.queue = n.queue();
        if (!router.configured()) {
            LOG.error("[{}] route to queue '{}': no call router is configured on this server; taking the failure edge",
                    n.id(), n.queue());
            run.observer.event("route " + n.queue() + ": FAILED (no router)");
            return Next.to(n.outcomes().target("failed"));
        }
        Map<String, String> context = new LinkedHashMap<>();
        n.context().forEach((k, t) -> context.put(k, run.render(t, n)));
        RouteRequest.Announcement ann = null;
        if (n.announcement() != null) {
            Playable p = playable(n.announcement().prompt(), n, run);
            ann = new RouteRequest.Announcement(p.file(), p.text(), n.announcement().every(),
                    n.announcement().position(), n.announcement().music());
        }
        String intent = n.intent() == null ? n.queue() : run.render(n.intent(), n);
        RouteRequest.Journey journey = new RouteRequest.Journey(List.copyOf(st.position.path()), new LinkedHashMap<>(st.inputs.values),
                st.start, intent.isBlank() ? n.queue() : intent, st.caller.authOutcome);
        RouteRequest req = new RouteRequest(st.info.uniqueId(), st.frame().flow.name(), n.id(), st.info.ani(),
                n.queue(), n.skills(), n.priority(), context, n.maxWait(), ann, n.waitOptions().keySet(),
                st.caller.customerId, st.language, journey, callbackOption(n, run));
        run.observer.event("route to queue " + n.queue() + " (skills " + (n.skills().isEmpty() ? "none"
                : n.skills().entrySet().stream().map(e -> e.getKey() + " " + e.getValue() + "+")
                .collect(java.util.stream.Collectors.joining(", "))) + ", priority " + n.priority() + ")");
        st.disposition.queued(n.queue());
        RouteResult r;
        try {
            r = router.route(req, run.channel);
        } catch (CallerHungUpException e) {
            throw e;
        } catch (RuntimeException e) {
            LOG.error("[{}] routing failed: {}", n.id(), e.toString());
            r = new RouteResult.Failed(e.toString());
        }
        st.disposition.leftQueue();
        run.observer.event("route " + n.queue() + ": " + r.describe());
        return follow(n, r, run);
    }

    private static Next follow(Node.Route n, RouteResult r, FlowEngine.Run run) {
        CallState st = run.st;
        return switch (r) {
            case RouteResult.Connected c -> {
                st.disposition.connected(c.agentId(), c.waitTime(), c.talkTime());
                if (c.survey() != null) {
                    var survey = run.set.flow(c.survey());
                    if (survey.isPresent()) { // the caller is still there: on to the queue's survey, as a goto would
                        CallState.Frame old = st.frame();
                        st.position.replace(new CallState.Frame(survey.get(), survey.get().start(),
                                new java.util.LinkedHashMap<>(survey.get().variables()), old.returnNode));
                        run.observer.event("post-call survey: continues in flow " + c.survey());
                        yield new Next(null, false);
                    }
                    LOG.warn("[{}] the queue's survey flow '{}' is not served: the call goes on to on-connected", n.id(),
                            c.survey());
                }
                String t = n.outcomes().target("connected");
                yield t == null ? Next.END : Next.to(t);
            }
            case RouteResult.HandedToDialplan d -> {
                st.disposition.handedToDialplan(d.agentId(), d.waitTime());
                yield Next.END; // the dialplan dials the agent once the script ends
            }
            case RouteResult.CallbackScheduled cb -> {
                st.disposition.waited(cb.waitTime());
                st.disposition.outcome(Interaction.Outcome.CALLBACK_REQUESTED);
                String t = n.outcomes().targets().get("callback");
                if (t == null) {
                    run.channel.hangup();
                    yield Next.END;
                }
                yield Next.to(t);
            }
            case RouteResult.TimedOut t -> {
                st.disposition.waited(t.waitTime());
                yield Next.to(n.outcomes().target("timeout"));
            }
            case RouteResult.NoAgents x -> Next.to(n.outcomes().target("no-agents"));
            case RouteResult.Failed f -> Next.to(n.outcomes().target("failed"));
            case RouteResult.KeyPressed k -> {
                st.disposition.waited(k.waitTime());
                String t = n.waitOptions().get(String.valueOf(k.key()));
                yield Next.to(t != null ? t : n.outcomes().target("failed"));
            }
            case RouteResult.CallerHungUp h -> {
                st.disposition.waited(h.waitTime());
                st.disposition.outcome(Interaction.Outcome.ABANDONED_IN_QUEUE);
                throw new CallerHungUpException();
            }
        };
    }

    /** A prompt the router plays while the caller waits: its rendered text and the file for it, if any. */
    private record Playable(String file, String text) {
    }

    private Playable playable(PromptRef p, Node n, FlowEngine.Run run) {
        if (p == null) {
            return new Playable(null, null);
        }
        CallState st = run.st;
        String lang = st.frame().flow.languages().contains(st.language) ? st.language
                : st.frame().flow.languages().get(0);
        Template t = st.frame().flow.promptText(lang, p.id());
        String text = t == null ? null : run.render(t, n);
        PromptEntry e = run.set.prompts().find(p.id(), lang).orElse(null);
        String file = e == null ? null : audio.forPrompt(e, text).orElse(null);
        return new Playable(file, text);
    }

    /** The node's callback option with its confirmation prompt made playable and the number rendered. */
    private RouteRequest.Callback callbackOption(Node.Route n, FlowEngine.Run run) {
        Node.CallbackOption cb = n.callback();
        if (cb == null || cb.key() == null || cb.key().isEmpty()) {
            return null;
        }
        Playable p = playable(cb.prompt(), n, run);
        CallState st = run.st;
        String number = cb.number() != null ? run.render(cb.number(), n) : st.info.aniWithheld() ? "" : st.info.ani();
        String confirm = cb.confirmKey() == null || cb.confirmKey().isEmpty() ? "1" : cb.confirmKey();
        return new RouteRequest.Callback(cb.key().charAt(0), p.file(), p.text(), confirm.charAt(0),
                FlowEngine.safe(number, "[0-9+]"));
    }
}
