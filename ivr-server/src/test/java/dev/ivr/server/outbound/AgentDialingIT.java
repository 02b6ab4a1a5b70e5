package dev.ivr.server.outbound;

import dev.ivr.fakepbx.FakeAmi;
import dev.ivr.server.config.AmiConfig;
import dev.ivr.server.config.AttributeConfig;
import dev.ivr.server.config.CampaignConfig;
import dev.ivr.server.config.ConfigLoader;
import dev.ivr.server.config.CrmConfig;
import dev.ivr.server.config.DatabaseConfig;
import dev.ivr.server.config.OutboundConfig;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.csv.CustomerImport;
import dev.ivr.server.crm.phone.PhoneNumbers;
import dev.ivr.server.crm.pin.PinHasher;
import dev.ivr.server.crm.segment.Segments;
import dev.ivr.server.db.Database;
import dev.ivr.server.outbound.pacing.DialMode;
import dev.ivr.server.outbound.pacing.Pacing;
import dev.ivr.server.outbound.pacing.PacingSettings;
import dev.ivr.server.outbound.pacing.PacingStats;
import dev.ivr.server.pbx.AmiConnection;
import dev.ivr.server.pbx.AmiOriginator;
import dev.ivr.server.pbx.AmiRedirect;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Progressive and predictive campaigns dialled through AMI Originate against the fake PBX's AMI,
 * with the agents routing would report set by the test: progressive never has more calls ringing
 * or waiting than ready agents; a call answered with no agent free is sent to the abandon message
 * (AMI Redirect) and recorded abandoned; predictive rings more calls than ready agents, and only
 * as many as progressive once the abandon rate (pacing state injected) is at the cap.
 */
@Tag("integration")
class AgentDialingIT {
    private static final Duration T = Duration.ofSeconds(60);
    private static final String SECRET = "manager-secret-for-tests";

    @TempDir
    Path tmp;
    private final List<AutoCloseable> toClose = new ArrayList<>();
    private Database db;
    private Segments segments;
    private final AtomicReference<AgentSupply.Agents> agents = new AtomicReference<>(AgentSupply.Agents.NONE);
    private final List<String> asked = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void customers() throws Exception {
        db = Database.open(new DatabaseConfig("", "sa", "", 5, 2, Duration.ofMillis(500)), tmp.resolve("data"));
        toClose.add(db);
        assertThat(db.awaitReady(T)).isTrue();
        AttributeSchema schema = AttributeSchema.of(List.of(new AttributeConfig("do_not_call", "boolean", null, null)));
        StringBuilder csv = new StringBuilder("id,first_name,phones,attr.do_not_call\n");
        for (int i = 1; i <= 30; i++) {
            csv.append(String.format(java.util.Locale.ROOT, "C%02d,Name%d,+36 1 555 %04d,no%n", i, i, i));
        }
        Path file = tmp.resolve("c.csv");
        Files.writeString(file, csv);
        CrmConfig crm = ConfigLoader.load(Map.of("IVR_CRM_PIN_HASH_MEMORY", "256", "IVR_CRM_PIN_HASH_ITERATIONS", "1")).crm();
        assertThat(new CustomerImport(db.dataSource(), new PhoneNumbers(crm.region()), new PinHasher(crm.pinHash()),
                Clock.systemUTC(), schema).run(file, new CustomerImport.Options(false, false), CustomerImport.Progress.NONE)
                .rejected()).isEmpty();
        segments = new Segments(db.dataSource(), schema, Clock.systemUTC());
        segments.save("callable", "!attr.do_not_call", null, "test");
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    private static CampaignConfig campaign(String name, String mode) {
        return new CampaignConfig(name, "callable", "contract-renewal", "contract-renewal", "\"Example\" <+3619990000>",
                100, 1, Map.of(), List.of("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"),
                "00:00", "23:59", "UTC", null, mode, "sales", Map.of("renewals", 2), null, null);
    }

    /** A dialer over the fake AMI whose agents are {@link #agents}. */
    private Dialing dialer(FakeAmi ami, List<CampaignConfig> campaigns) throws Exception {
        // a long ring timeout: a call the fake AMI holds ringing stays ringing however slow the machine is
        OutboundConfig outbound = new OutboundConfig(true, "PJSIP/{number}@trunk", "ivr-outbound", Duration.ofMillis(100),
                Duration.ofMinutes(10), Duration.ofMinutes(15), campaigns);
        AmiConnection connection = AmiConnection.start(new AmiConfig(true, "127.0.0.1", ami.port(), "ivr", SECRET));
        toClose.add(connection);
        await().atMost(T).until(connection::available);
        AgentDialing agentDialing = new AgentDialing((queue, skills) -> {
            asked.add(queue + " " + skills);
            return agents.get();
        }, new AmiRedirect(connection), outbound.context());
        CampaignStore store = new CampaignStore(db.dataSource());
        CampaignDialer dialer = new CampaignDialer(outbound, store, new AmiOriginator(connection, Clock.systemUTC()),
                Clock.systemUTC(), "node-a", agentDialing);
        toClose.add(dialer);
        return new Dialing(dialer, agentDialing, store, new Campaigns(outbound, store, segments, Clock.systemUTC()));
    }

    private record Dialing(CampaignDialer dialer, AgentDialing agents, CampaignStore store, Campaigns campaigns) {
        void rounds(int n) {
            long target = dialer.polls() + n;
            await().atMost(T).until(() -> dialer.polls() >= target);
        }
    }

    private static List<FakeAmi.Originated> of(FakeAmi ami, String campaign) {
        return ami.originated().stream().filter(o -> campaign.equals(o.variables().get("IVR_CAMPAIGN"))).toList();
    }

    @Test
    void progressiveDialsNoMoreCallsThanReadyAgentsAndAbandonsAnAnsweredCallWithNoAgentFree() throws Exception {
        try (FakeAmi ami = new FakeAmi("ivr", SECRET)) {
            ami.originateDelay(Duration.ofMillis(300));
            Dialing d = dialer(ami, List.of(campaign("renewal", "progressive")));
            agents.set(new AgentSupply.Agents(3, 5, Set.of()));
            d.campaigns().start("renewal");
            d.dialer().start();
            // three agents ready: three calls, answered, then nothing more while they wait for their agents
            await().atMost(T).until(() -> of(ami, "renewal").size() >= 3);
            d.rounds(10);
            assertThat(of(ami, "renewal")).hasSize(3);
            assertThat(asked).allMatch(a -> a.equals("sales {renewals=2}"));
            assertThat(ami.actions("Redirect")).isEmpty();
            List<FakeAmi.Originated> first = of(ami, "renewal");
            assertThat(first.get(0).variables()).containsEntry("IVR_MODE", "progressive").containsEntry("IVR_QUEUE", "sales")
                    .containsEntry("IVR_ABANDON_FLOW", "campaign-abandoned").containsEntry("IVR_FLOW", "contract-renewal");
            // the agents took those three calls; one more agent is ready: one more call
            Set<String> held = Set.copyOf(first.stream().map(FakeAmi.Originated::uniqueId).toList());
            agents.set(new AgentSupply.Agents(1, 8, held));
            await().atMost(T).until(() -> of(ami, "renewal").size() >= 4);
            d.rounds(10);
            assertThat(of(ami, "renewal")).hasSize(4);
            FakeAmi.Originated fourth = of(ami, "renewal").get(3);
            Set<String> held4 = new java.util.HashSet<>(held);
            held4.add(fourth.uniqueId());
            // an agent is ready, the call rings, and an inbound call takes the agent before the customer answers
            ami.originateDelay(Duration.ofSeconds(2));
            agents.set(new AgentSupply.Agents(1, 9, held4));
            await().atMost(T).until(() -> of(ami, "renewal").size() >= 5);
            agents.set(new AgentSupply.Agents(0, 10, held4));
            FakeAmi.Originated fifth = of(ami, "renewal").get(4);
            await().atMost(T).until(() -> !ami.actions("Redirect").isEmpty());
            Map<String, String> redirect = ami.actions("Redirect").get(0);
            assertThat(redirect).containsEntry("Channel", fifth.channel()).containsEntry("Context", "ivr-outbound")
                    .containsEntry("Exten", "abandoned");
            assertThat(fifth.channel()).as("the created channel's name, as Asterisk reports it").matches("PJSIP/.*-[0-9a-f]{8}");
            ami.hangup(fifth.channel(), fifth.uniqueId());
            await().atMost(T).until(() -> d.store().attemptResults("renewal").getOrDefault("abandoned", 0) == 1);
            d.rounds(5);
            assertThat(of(ami, "renewal")).as("no agent ready: no call").hasSize(5);
            assertThat(d.agents().pacing(campaign("renewal", "progressive")).stats().abandoned(Instant.now(),
                    Duration.ofHours(24))).isEqualTo(1);
            // a server started now (or this one restarted) remembers the abandon window from the attempt records
            AgentDialing restarted = new AgentDialing((q, k) -> AgentSupply.Agents.NONE, (ch, ctx, ex) -> { },
                    "ivr-outbound", d.store());
            var remembered = restarted.pacing(campaign("renewal", "progressive")).stats();
            assertThat(remembered.abandoned(Instant.now(), Duration.ofHours(24))).isEqualTo(1);
            assertThat(remembered.answered(Instant.now(), Duration.ofHours(24))).isEqualTo(5);
        }
    }

    /** Pacing state of a campaign that measured a 30% answer rate and, when {@code atCap}, 3% abandoned today. */
    private static Pacing measured(boolean atCap) {
        PacingStats s = new PacingStats(Duration.ofHours(24));
        for (int i = 0; i < 300; i++) {
            s.dialResult(i % 10 < 3, Duration.ofSeconds(12));
        }
        for (int i = 0; i < 50; i++) {
            s.handled(Duration.ofMinutes(3));
        }
        Instant earlier = Instant.now().minus(Duration.ofHours(5));
        for (int i = 0; i < 100; i++) {
            if (atCap && i < 3) {
                s.abandoned(earlier);
            } else {
                s.connected(earlier);
            }
        }
        return new Pacing(DialMode.PREDICTIVE, PacingSettings.DEFAULTS, s);
    }

    @Test
    void predictiveRingsMoreCallsThanReadyAgentsUntilTheAbandonRateIsAtTheCap() throws Exception {
        try (FakeAmi ami = new FakeAmi("ivr", SECRET)) {
            ami.originateDelay(Duration.ofMinutes(5)); // every call rings through the test, however slow the machine
            Dialing d = dialer(ami, List.of(campaign("capped", "predictive"), campaign("paced", "predictive")));
            d.agents().usePacing("capped", measured(true));
            d.agents().usePacing("paced", measured(false));
            agents.set(new AgentSupply.Agents(4, 6, Set.of()));
            d.campaigns().start("capped");
            d.campaigns().start("paced");
            d.dialer().start();
            await().atMost(T).until(() -> of(ami, "paced").size() > 4 && of(ami, "capped").size() >= 4);
            d.rounds(10);
            assertThat(of(ami, "capped")).as("at the cap: one call per ready agent, as progressive").hasSize(4);
            int paced = of(ami, "paced").size();
            // 4 ready + 6 busy * 12 s / 180 s = 4.4 agents free when they answer; at 30% answered, 7 lines keep the
            // expected abandoned calls within 60% of the 3% cap (8 would not)
            assertThat(paced).isEqualTo(7);
            assertThat(d.store().inFlight("paced")).isEqualTo(paced);
            assertThat(of(ami, "paced").get(0).variables()).containsEntry("IVR_MODE", "predictive");
        }
    }
}
