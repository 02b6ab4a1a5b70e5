package dev.ivr.server.flow.tools;

import dev.ivr.server.call.CallInfo;
import dev.ivr.server.call.CallerHungUpException;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.engine.Checkpoints;
import dev.ivr.server.flow.engine.FlowEngine;
import dev.ivr.server.flow.engine.LanguageByDnis;
import dev.ivr.server.flow.reminder.Reminders;
import dev.ivr.server.flow.route.CallRouter;
import dev.ivr.server.flow.integration.Integrations;
import dev.ivr.server.speech.SpeechModels;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** Runs one call through a flow with no PBX and no server: the engine, a simulated caller, a transcript. */
public final class Simulation {
    private Simulation() {
    }

    /**
     * A call to simulate.
     *
     * @param interactive asked for steps once the script is used up (null: the caller hangs up)
     * @param router      {@link CallRouter#NONE} (or null): no router, route nodes take their failure edge
     * @param speech      which languages speech is recognised in (what the caller says is heard): SIMULATED for all;
     *                    elsewhere as on a server without a model (menus take keys only, listen nodes take their
     *                    on-error edge)
     * @param integrations what http nodes' endpoints answer (null: nothing; they take on-error)
     * @param reminders   where remind nodes book (null: a {@link ScriptedReminders} in UTC that records them)
     * @param query       the AGI URL's query (call.query), e.g. what the ivr-outbound context passes a campaign's flow
     */
    public record Call(String flow, String ani, String dnis, String language, List<String> args, Instant time,
                       List<CallerStep> script, Supplier<CallerStep> interactive, CrmStore crm, CallRouter router,
                       SpeechModels speech, LanguageByDnis byDnis, Integrations integrations, Map<String, String> query,
                       Reminders reminders) {
        public Call {
            query = query == null ? Map.of() : Map.copyOf(query);
        }

        public Call(String flow, String ani, String dnis, String language, List<String> args, Instant time,
                    List<CallerStep> script, Supplier<CallerStep> interactive, CrmStore crm, CallRouter router,
                    SpeechModels speech, LanguageByDnis byDnis, Integrations integrations, Map<String, String> query) {
            this(flow, ani, dnis, language, args, time, script, interactive, crm, router, speech, byDnis, integrations,
                    query, null);
        }

        public Call(String flow, String ani, String dnis, String language, List<String> args, Instant time,
                    List<CallerStep> script, Supplier<CallerStep> interactive, CrmStore crm, CallRouter router,
                    SpeechModels speech, LanguageByDnis byDnis, Integrations integrations) {
            this(flow, ani, dnis, language, args, time, script, interactive, crm, router, speech, byDnis, integrations,
                    Map.of());
        }

        public Call(String flow, String ani, String dnis, String language, List<String> args, Instant time,
                    List<CallerStep> script, Supplier<CallerStep> interactive, CrmStore crm, CallRouter router,
                    SpeechModels speech, LanguageByDnis byDnis) {
            this(flow, ani, dnis, language, args, time, script, interactive, crm, router, speech, byDnis, null);
        }

        public Call(String flow, String ani, String dnis, String language, List<String> args, Instant time,
                    List<CallerStep> script, Supplier<CallerStep> interactive, CrmStore crm, CallRouter router,
                    boolean speech, LanguageByDnis byDnis) {
            this(flow, ani, dnis, language, args, time, script, interactive, crm, router,
                    speech ? SpeechModels.SIMULATED : SpeechModels.NONE, byDnis);
        }

        public Call(String flow, String ani, String dnis, String language, List<String> args, Instant time,
                    List<CallerStep> script, Supplier<CallerStep> interactive, CrmStore crm, CallRouter router) {
            this(flow, ani, dnis, language, args, time, script, interactive, crm, router, true);
        }

        public Call(String flow, String ani, String dnis, String language, List<String> args, Instant time,
                    List<CallerStep> script, Supplier<CallerStep> interactive, CrmStore crm, CallRouter router,
                    boolean speech) {
            this(flow, ani, dnis, language, args, time, script, interactive, crm, router, speech, LanguageByDnis.NONE);
        }
    }

    public static Transcript run(FlowSet flows, Call call, Consumer<String> sink) {
        Transcript t = new Transcript(sink);
        CallInfo info = new CallInfo("sim-" + Long.toHexString(call.time().toEpochMilli()), call.flow(), call.query(),
                call.args(), call.ani(), "", call.dnis(), "Local/simulator-00000001;1", call.language(), "simulator",
                call.dnis(), "127.0.0.1");
        t.accept("call from " + (info.aniWithheld() ? "a withheld number" : call.ani()) + " to " + call.dnis()
                + " (" + call.language() + ") at " + call.time() + ", flow " + call.flow());
        SimulatedChannel channel = new SimulatedChannel(info, call.script(), call.interactive(), t);
        FlowEngine engine = new FlowEngine(() -> flows, new TranscriptAudio(), call.crm(), call.router(),
                Checkpoints.NONE, Clock.fixed(call.time(), ZoneOffset.UTC), "simulator", channel.speech(call.speech()),
                call.byDnis(), call.integrations())
                .reminders(call.reminders() != null ? call.reminders() : new ScriptedReminders(ZoneOffset.UTC, false));
        try {
            engine.run(channel, call.flow(), t);
        } catch (CallerHungUpException e) {
            // the transcript has it
        } catch (RuntimeException e) {
            t.accept("! the call failed: " + e.getMessage());
        }
        return t;
    }
}
