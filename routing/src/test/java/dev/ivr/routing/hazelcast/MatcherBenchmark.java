package dev.ivr.routing.hazelcast;

import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.MatchingStrategy;
import dev.ivr.routing.QueueDefinition;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The matching decision alone (this node's replica, no cluster round trip): 10,000 agents with 5 of 50 skills,
 * 1,000 waiting calls. Run with the {@code bench} Maven profile.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class MatcherBenchmark {
    private static final long NOW = 1_736_154_000_000L;
    private LocalView view;
    private Matcher matcher;
    private AgentEntry[] agents;
    private CallEntry[] calls;

    @Setup(Level.Trial)
    public void setUp() {
        view = new LocalView();
        matcher = new Matcher(view, MatchingStrategy.bestSkillThenLongestIdle());
        for (int s = 0; s < 50; s++) {
            view.applyQueue(QueueDefinition.builder("q" + s).requireSkill("s" + s, 5).build());
        }
        Random random = new Random(1);
        agents = new AgentEntry[10_000];
        for (int i = 0; i < agents.length; i++) {
            Map<String, Integer> skills = new HashMap<>();
            while (skills.size() < 5) {
                skills.put("s" + random.nextInt(50), 1 + random.nextInt(10));
            }
            Set<String> languages = random.nextInt(10) < 3 ? Set.of("en", "fr") : Set.of("en");
            AgentRecord r = AgentRecord.login(null, new AgentProfile("agent-" + i, null, "PJSIP/" + i, skills, languages),
                    1, NOW - 60_000).ready(NOW - random.nextInt(60_000));
            view.applyAgent(r);
            agents[i] = view.agent(r.id());
        }
        calls = new CallEntry[1_000];
        for (int c = 0; c < calls.length; c++) {
            CallRequest.Builder b = CallRequest.builder("call-" + c, "q" + random.nextInt(50)).priority(random.nextInt(3));
            if (random.nextInt(10) < 2) {
                b.language("fr");
            }
            CallRecord record = CallRecord.waiting(b.build(), "node", c, NOW - random.nextInt(120_000));
            view.applyCall(record);
            calls[c] = view.call(record.callId());
        }
    }

    /** An agent becomes ready: the first of 1,000 waiting calls (queue order) it can serve. */
    @Benchmark
    public CallEntry callForReadyAgent() {
        return matcher.chooseCall(agents[ThreadLocalRandom.current().nextInt(agents.length)], NOW, Set.of());
    }

    /** A call arrives: the best of 10,000 ready agents (best skill, then longest idle). */
    @Benchmark
    public AgentEntry agentForArrivingCall() {
        return matcher.chooseAgent(calls[ThreadLocalRandom.current().nextInt(calls.length)], NOW, Set.of());
    }
}
