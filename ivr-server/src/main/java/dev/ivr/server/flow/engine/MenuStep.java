package dev.ivr.server.flow.engine;

import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.flow.model.PromptRef;
import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.ListenResult;
import dev.ivr.server.speech.SpeechInput;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code menu} node: a prompt, then one key (or, where the menu has phrases for the call's language and a
 * model, a spoken option); wrong or no answers are reprompted until the retries are used up.
 */
final class MenuStep {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);

    private final SpeechInput speech;

    MenuStep(SpeechInput speech) {
        this.speech = speech;
    }

    Next run(Node.Menu n, FlowEngine.Run run) {
        CallState st = run.st;
        int failures = 0;
        while (true) {
            String lang = run.language();
            boolean speechOn = speechOn(n.speech(), lang, st);
            Optional<Character> key = run.takeTypeAhead();
            if (key.isEmpty()) {
                PromptRef prompt = speechOn && n.speech().prompt() != null ? n.speech().prompt() : n.prompt();
                key = run.say(prompt, n.bargeIn() ? FlowEngine.ALL_KEYS : "", n).or(run::takeTypeAhead);
            }
            String notUnderstood = null;
            if (key.isEmpty() && speechOn) {
                // keys still work: any key ends listening and counts as the answer
                ListenResult r = speech.listen(run.channel, new ListenRequest(lang, n.speech().phrases().list(lang),
                        n.timeout(), FlowEngine.ALL_KEYS));
                switch (r.outcome()) {
                    case KEY -> key = Optional.of(r.key().charAt(0));
                    case SPEECH -> {
                        String option = n.speech().phrases().value(lang, r.text());
                        if (option == null || r.confidence() < n.speech().minConfidence()) {
                            notUnderstood = ListenStep.heard(r) + (option == null ? "" : ", below min-confidence");
                        } else {
                            run.observer.event("caller said " + ListenStep.heard(r));
                            key = Optional.of(option.charAt(0));
                        }
                    }
                    case NO_MATCH -> notUnderstood = r.detail();
                    case NO_INPUT -> { }
                    case HANGUP -> throw new CallerHungUpException();
                    case ERROR -> {
                        st.inputs.speechOff = true;
                        LOG.warn("[{}] speech unavailable ({}): keys only for the rest of the call", n.id(), r.detail());
                        run.observer.event("speech unavailable: keys only");
                        key = run.channel.waitForDigit(n.timeout());
                    }
                }
            } else if (key.isEmpty()) {
                key = run.channel.waitForDigit(n.timeout());
            }
            if (key.isPresent() && n.options().containsKey(String.valueOf(key.get()))) {
                String k = String.valueOf(key.get());
                run.observer.event("caller chose " + k);
                st.inputs.input(n.into(), k, false);
                return Next.to(n.options().get(k));
            }
            Node.Reprompt r = key.isEmpty() && notUnderstood == null ? n.noInput() : n.invalid();
            run.observer.event(notUnderstood != null ? "not understood (" + notUnderstood + ")"
                    : key.isEmpty() ? "no input" : "invalid key " + key.get());
            Next after = run.afterFailure(++failures, n.retries(), n.fallback(), r, n);
            if (after != null) {
                return after;
            }
        }
    }

    /** Whether a menu listens too: it has phrases for the language, which has a model, and speech has not failed. */
    boolean speechOn(Node.MenuSpeech ms, String lang, CallState st) {
        return ms != null && !st.inputs.speechOff && ms.phrases().has(lang) && speech.modelStatus(lang).available();
    }
}
