package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.ListenResult;
import dev.ivr.server.speech.SpeechInput;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code listen} node: a prompt, then what the caller says (a phrase's value, or free text) or one of its
 * keys; not understood or silence is reprompted until the retries are used up; no speech takes the error edge.
 */
final class ListenStep {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);

    private final SpeechInput speech;

    ListenStep(SpeechInput speech) {
        this.speech = speech;
    }

    static String heard(ListenResult r) {
        return "\u201c" + r.text() + "\u201d (" + Math.round(r.confidence() * 100) + "%)";
    }

    Next run(Node.Listen n, FlowEngine.Run run) {
        CallState st = run.st;
        int failures = 0;
        String keys = String.join("", n.keys().keySet());
        while (true) {
            String lang = run.language();
            Optional<Character> key = run.takeTypeAhead().filter(k -> keys.indexOf(k) >= 0);
            if (key.isEmpty()) {
                key = run.say(n.prompt(), n.bargeIn() ? keys : "", n)
                        .or(() -> run.takeTypeAhead().filter(k -> keys.indexOf(k) >= 0));
            }
            ListenResult r = key.isPresent() ? ListenResult.key(key.get()) : speech.listen(run.channel,
                    new ListenRequest(lang, n.phrases().list(lang), n.timeout(), keys, n.endSilence(), n.maxDuration()));
            String notUnderstood = null;
            switch (r.outcome()) {
                case KEY -> {
                    String target = n.keys().get(r.key());
                    if (target != null) {
                        run.observer.event("caller pressed " + r.key());
                        st.inputs.answer(n.into(), "", r.key(), 1.0, r.key());
                        return Next.to(target);
                    }
                    notUnderstood = "key " + r.key();
                }
                case SPEECH -> {
                    String value = n.phrases().freeText() ? r.text() : n.phrases().value(lang, r.text());
                    if (value == null || r.confidence() < n.minConfidence()) {
                        notUnderstood = heard(r) + (value == null ? "" : ", below min-confidence");
                    } else {
                        run.observer.event("caller said " + heard(r) + (value.equals(r.text()) ? "" : ": " + value));
                        st.inputs.answer(n.into(), r.text(), value, r.confidence(), "");
                        String option = n.options().get(value);
                        return Next.to(option != null ? option : n.next());
                    }
                }
                case NO_MATCH -> notUnderstood = r.detail();
                case NO_INPUT -> { }
                case HANGUP -> throw new CallerHungUpException();
                case ERROR -> {
                    String to = n.onError() != null ? n.onError() : n.fallback();
                    LOG.warn("[{}] cannot listen ({}): going to '{}'", n.id(), r.detail(), to);
                    run.observer.event("speech unavailable (" + r.detail() + ")");
                    return Next.to(to);
                }
            }
            run.observer.event(notUnderstood == null ? "no input" : "not understood (" + notUnderstood + ")");
            Node.Reprompt rp = notUnderstood == null ? n.noInput() : n.noMatch();
            Next after = run.afterFailure(++failures, n.retries(), n.fallback(), rp, n);
            if (after != null) {
                return after;
            }
        }
    }
}
