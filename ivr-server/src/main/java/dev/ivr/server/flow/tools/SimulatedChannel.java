package dev.ivr.server.flow.tools;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.speech.ListenRequest;
import dev.ivr.server.speech.ListenResult;
import dev.ivr.server.speech.RecognizerFactory;
import dev.ivr.server.speech.SpeechInput;
import dev.ivr.server.speech.SpeechModels;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * A {@link CallChannel} with no PBX: a caller who follows a script of {@link CallerStep}s (or
 * types at a terminal), reacting as Asterisk and the fake PBX do: keys typed during a prompt
 * that allows barge-in stop it; other keys wait for the next input; when the script runs out
 * the caller hangs up at the next input. What the caller does is written to {@code out}.
 */
public final class SimulatedChannel implements CallChannel {
    private final CallInfo info;
    private final Deque<CallerStep> steps;
    private final Supplier<CallerStep> more;
    private final Consumer<String> out;
    private final Map<String, String> variables = new HashMap<>();
    private boolean hungUp;
    private boolean answered;
    /** A GET DATA just timed out on a silence step: the WAIT FOR DIGIT right after it is the same silence. */
    private boolean silenceGoesOn;

    /**
     * @param more asked for the next step when the script is empty (interactive mode), or null:
     *             the caller then hangs up at the next input
     */
    public SimulatedChannel(CallInfo info, Iterable<CallerStep> script, Supplier<CallerStep> more, Consumer<String> out) {
        this.info = info;
        this.steps = new ArrayDeque<>();
        script.forEach(this.steps::add);
        this.more = more;
        this.out = out;
    }

    public Map<String, String> variables() {
        return variables;
    }

    @Override
    public CallInfo info() {
        return info;
    }

    @Override
    public void answer() {
        requireUp();
        answered = true;
    }

    private CallerStep peekForInput() {
        if (steps.isEmpty() && more != null) {
            CallerStep s = more.get();
            if (s != null) {
                steps.add(s);
            }
        }
        return steps.peek();
    }

    @Override
    public Optional<Character> play(String file, String escapeDigits) {
        requireUp();
        silenceGoesOn = false;
        CallerStep s = steps.peek();
        if (s instanceof CallerStep.HangUp) {
            steps.poll();
            return hangUpNow("caller hangs up during the prompt");
        }
        if (s instanceof CallerStep.Press p && p.bargeIn()) {
            char k = p.keys().charAt(0);
            if (escapeDigits != null && escapeDigits.indexOf(k) >= 0) {
                consumeKeys(p, 1);
                out.accept("  caller presses " + k + " (barge-in)");
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }

    @Override
    public Digits readDigits(String promptFile, Duration timeout, int maxDigits) {
        // GET DATA: the prompt (none when "") with every key stopping it, then keys until #, the maximum or a pause
        silenceGoesOn = false;
        Optional<Character> first = promptFile.isEmpty() ? Optional.empty() : play(promptFile, "0123456789*#");
        StringBuilder sb = new StringBuilder();
        if (first.isPresent() && first.get() == '#') {
            return new Digits("", false);
        }
        first.ifPresent(sb::append);
        while (sb.length() < maxDigits) {
            Optional<Character> k = key(timeout);
            if (k.isEmpty()) {
                // a silence step is the caller's silence through the whole input: the engine's WAIT FOR DIGIT
                // for the rest of the first key's time, right after, is part of it
                silenceGoesOn = sb.isEmpty() && !hungUp;
                return new Digits(sb.toString(), true);
            }
            if (k.get() == '#') {
                break;
            }
            sb.append(k.get());
        }
        return new Digits(sb.toString(), false);
    }

    @Override
    public Optional<Character> waitForDigit(Duration timeout) {
        requireUp();
        if (silenceGoesOn) {
            silenceGoesOn = false;
            out.accept("  caller: silence (" + timeout.toMillis() / 1000.0 + " s more)");
            return Optional.empty();
        }
        return key(timeout);
    }

    /** The caller's next key within {@code timeout}, as the script says. */
    private Optional<Character> key(Duration timeout) {
        requireUp();
        CallerStep s = peekForInput();
        if (s == null || s instanceof CallerStep.HangUp) {
            steps.poll();
            return hangUpNow(s == null ? "caller hangs up (end of script)" : "caller hangs up");
        }
        if (s instanceof CallerStep.Press p) {
            char k = p.keys().charAt(0);
            consumeKeys(p, 1);
            out.accept("  caller presses " + k);
            return Optional.of(k);
        }
        if (s instanceof CallerStep.Silence) {
            steps.poll();
            out.accept("  caller: silence (" + timeout.toMillis() / 1000.0 + " s)");
            return Optional.empty();
        }
        if (s instanceof CallerStep.Say || s instanceof CallerStep.Mumble) {
            steps.poll();
            out.accept("  caller " + (s instanceof CallerStep.Say say ? "says \u201c" + say.text() + "\u201d" : "mumbles")
                    + " (nothing listens: keys only)");
            return Optional.empty();
        }
        // a dial step waiting for its transfer: the caller says nothing meanwhile
        out.accept("  caller: silence");
        return Optional.empty();
    }

    /**
     * Speech input for this caller: hears what the script says ({@code say:TEXT}, {@code mumble}),
     * keys and silence as the AudioSocket session would. With {@code available} false no
     * language can be listened to (as on a server without a speech model).
     */
    public SpeechInput speech(boolean available) {
        return speech(available ? SpeechModels.SIMULATED : SpeechModels.NONE);
    }

    /** Speech input where {@code models} has a model for the language (what a server with a configuration would hear). */
    public SpeechInput speech(SpeechModels models) {
        String off = models == SpeechModels.NONE ? "speech is off in this simulation" : null;
        return new SpeechInput() {
            @Override
            public RecognizerFactory.ModelStatus modelStatus(String language) {
                RecognizerFactory.ModelStatus s = models.status(language);
                return s.available() ? new RecognizerFactory.ModelStatus(language, true, "simulated")
                        : new RecognizerFactory.ModelStatus(language, false, off != null ? off
                        : "no speech model for " + language + " in this simulation");
            }

            @Override
            public ListenResult listen(CallChannel channel, ListenRequest request) {
                return modelStatus(request.language()).available() ? SimulatedChannel.this.listen(request)
                        : ListenResult.error(modelStatus(request.language()).detail());
            }
        };
    }

    private ListenResult listen(ListenRequest req) {
        requireUp();
        CallerStep s = peekForInput();
        if (s == null || s instanceof CallerStep.HangUp) {
            steps.poll();
            hangUpNow(s == null ? "caller hangs up (end of script)" : "caller hangs up while the IVR listens");
        }
        if (s instanceof CallerStep.Press p) {
            char k = p.keys().charAt(0);
            consumeKeys(p, 1);
            if (req.keys().indexOf(k) >= 0) {
                out.accept("  caller presses " + k);
                return ListenResult.key(k);
            }
            out.accept("  caller presses " + k + " (ignored while listening)");
            return ListenResult.noInput();
        }
        if (s instanceof CallerStep.Mumble) {
            steps.poll();
            out.accept("  caller mumbles");
            return ListenResult.noMatch("");
        }
        if (s instanceof CallerStep.Say say) {
            steps.poll();
            out.accept("  caller says \u201c" + say.text() + "\u201d");
            String heard = ListenRequest.normalise(say.text());
            if (req.phrases().isEmpty()) {
                return heard.isEmpty() ? ListenResult.noMatch("") : ListenResult.speech(heard, say.confidence());
            }
            for (String phrase : req.phrases()) {
                if (ListenRequest.normalise(phrase).equals(heard)) {
                    return ListenResult.speech(phrase, say.confidence());
                }
            }
            return ListenResult.noMatch(heard);
        }
        if (s instanceof CallerStep.Silence) {
            steps.poll();
        }
        out.accept("  caller: silence" + (req.noInputTimeout() == null ? ""
                : " (" + req.noInputTimeout().toMillis() / 1000.0 + " s)"));
        return ListenResult.noInput();
    }

    private void consumeKeys(CallerStep.Press p, int n) {
        steps.poll();
        if (n < p.keys().length()) {
            steps.addFirst(new CallerStep.Press(p.keys().substring(n), false));
        }
    }

    private Optional<Character> hangUpNow(String why) {
        hungUp = true;
        out.accept("  " + why);
        throw new CallerHungUpException();
    }

    @Override
    public Optional<Character> sayDigits(String digits, String escapeDigits) {
        return play("digits/" + digits, escapeDigits);
    }

    @Override
    public Optional<Character> sayAlpha(String text, String escapeDigits) {
        return play("letters/" + text, escapeDigits);
    }

    @Override
    public void musicOnHold(boolean on, String musicClass) {
        requireUp();
        out.accept(on ? "  PBX: music on hold" + (musicClass == null ? "" : " (" + musicClass + ")") : "  PBX: music off");
    }

    @Override
    public void setVariable(String name, String value) {
        variables.put(name, value);
    }

    @Override
    public Optional<String> getVariable(String name) {
        return Optional.ofNullable(variables.get(name));
    }

    @Override
    public int exec(String application, String arguments) {
        requireUp();
        if (application.equalsIgnoreCase("Dial")) {
            String status = "ANSWER";
            if (steps.peek() instanceof CallerStep.Dial d) {
                steps.poll();
                status = d.status();
            } else if (steps.peek() instanceof CallerStep.HangUp) {
                steps.poll();
                variables.put("DIALSTATUS", "CANCEL");
                hungUp = true;
                out.accept("  caller hangs up while it rings");
                return -1;
            }
            variables.put("DIALSTATUS", status);
            out.accept("  PBX: Dial(" + arguments + ") → " + status);
            if (status.equals("ANSWER")) {
                hungUp = true; // the bridged call ran and ended
                return -1;
            }
            return 0;
        }
        out.accept("  PBX: " + application + "(" + arguments + ")");
        return 0;
    }

    @Override
    public Recording record(String file, String format, String escapeDigits, Duration maxDuration, Duration silence,
                            boolean beep) {
        requireUp();
        CallerStep s = steps.peek();
        if (s instanceof CallerStep.HangUp) {
            steps.poll();
            hangUpNow("caller hangs up while recording");
        }
        out.accept("  caller speaks (recorded to " + file + "." + format + ")");
        return new Recording(Optional.empty(), true, 8000L * Math.min(maxDuration.toSeconds(), 5));
    }

    @Override
    public void verbose(String message, int level) {
    }

    @Override
    public void hangup() {
        hungUp = true;
    }

    @Override
    public boolean isHungUp() {
        return hungUp;
    }

    public boolean answered() {
        return answered;
    }

    private void requireUp() {
        if (hungUp) {
            throw new CallerHungUpException();
        }
    }
}
