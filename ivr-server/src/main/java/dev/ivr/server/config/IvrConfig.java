package dev.ivr.server.config;

import java.nio.file.Path;

/**
 * The whole server configuration: {@code config/ivr.yaml} over the bundled defaults, then
 * {@code IVR_*} environment variables over both. Every key is documented with {@link Doc};
 * {@code ivr-server config-reference} prints them all.
 */
public record IvrConfig(
        @Doc("This server: its name in logs, metrics and the cluster, and where it keeps its data.")
        NodeConfig node,
        @Doc("The FastAGI listener that Asterisk connects to.")
        AgiConfig agi,
        @Doc("The HTTP server: health, metrics, REST API, agent desktop and supervisor pages.")
        HttpConfig http,
        @Doc("The embedded Hazelcast member that shares agents, queues and calls between servers.")
        ClusterConfig cluster,
        @Doc("The database for customers, accounts and the contact history.")
        DatabaseConfig database,
        @Doc("Text to speech.")
        TtsConfig tts,
        @Doc("Callers' languages decided by the server: by the number dialled.")
        LanguagesConfig languages,
        @Doc("Where the IVR flows are.")
        FlowsConfig flows,
        @Doc("Prompt catalogs: what flows say, per language; how prompts are rendered, cached and delivered to Asterisk.")
        PromptsConfig prompts,
        @Doc("Speech input: the AudioSocket listener Asterisk streams callers' audio to, and speech recognition (Vosk, CMU Sphinx4).")
        SpeechConfig speech,
        @Doc("The CRM store: identifying callers by number, PIN authentication, the contact history.")
        CrmConfig crm,

        @Doc("The agent desktop and supervisor dashboard: sessions, live updates, IVR exit statistics.")
        DeskConfig desk,

        @Doc("Routing calls to agents: queues, waiting, how the agent is dialled, the call context (screen pop), callbacks.")
        RoutingConfig routing,
        @Doc("Asterisk's manager interface (AMI): callbacks, and agent states kept true to the phones.")
        AmiConfig ami,

        @Doc("Reporting: KPI rules and the live window (see docs/reporting.md).")
        ReportsConfig reports,

        @Doc("Outbound campaigns dialled through AMI Originate (docs/outbound.md).")
        OutboundConfig outbound,

        @Doc("Webhooks: journal events sent to other systems, signed, retried, in order per call (docs/integration.md).")
        WebhooksConfig webhooks,

        @Doc("Other systems flows ask through http nodes: named endpoints with their URLs, headers and secrets.")
        IntegrationsConfig integrations,

        @Doc("Call recording: per-queue policies (MixMonitor over AMI), pause during secret input, retention, access, encryption at rest (docs/agents.md).")
        RecordingConfig recording) implements Validated {

    @Override
    public void validate(Problems p) {
        p.section("node", node);
        p.section("agi", agi);
        p.section("http", http);
        p.section("cluster", cluster);
        p.section("database", database);
        p.section("tts", tts);
        p.section("languages", languages);
        p.section("flows", flows);
        p.section("prompts", prompts);
        p.section("speech", speech);
        p.section("desk", desk);
        p.section("routing", routing);
        p.section("ami", ami);
        p.section("reports", reports);
        p.section("outbound", outbound);
        p.section("webhooks", webhooks);
        p.section("integrations", integrations);
        p.section("recording", recording);
        if (recording != null && recording.enabled() && !ami.enabled()) {
            p.add("recording.enabled", "recordings are started through AMI: set ami.enabled: true");
        }
        if (outbound != null && outbound.enabled() && !ami.enabled()) {
            p.add("outbound.enabled", "outbound dials through AMI: set ami.enabled: true");
        }
        if (outbound != null && outbound.pbx() != null && ami != null && !ami.hasPbx(outbound.pbx())) {
            p.add("outbound.pbx", "'" + outbound.pbx() + "' is not the id of a PBX in ami.pbxs ("
                    + String.join(", ", ami.effectivePbxs().stream().map(PbxConfig::id).toList()) + ")");
        }
        if (outbound != null && routing != null) {
            previewTimes(p);
        }
        if (prompts != null && "http".equals(prompts.delivery()) && !http.enabled()) {
            p.add("prompts.delivery", "http needs the HTTP server (http.enabled: true)");
        }
        p.section("crm", crm);
        if (http.enabled() && agi.port() != 0 && agi.port() == http.port() && agi.bind().equals(http.bind())) {
            p.add("http.port", "must differ from agi.port (both are " + agi.port() + ")");
        }
    }

    /** A preview campaign's queue exists, and its preview plus the agent's ringing end before the reservation does. */
    private void previewTimes(Problems p) {
        for (int i = 0; i < outbound.campaigns().size(); i++) {
            CampaignConfig c = outbound.campaigns().get(i);
            if (c == null || !"preview".equals(c.effectiveMode()) || c.queue() == null) {
                continue;
            }
            QueueConfig q = routing.queues().stream().filter(x -> x != null && c.queue().equals(x.id())).findFirst()
                    .orElse(null);
            if (q == null) {
                p.add("outbound.campaigns[" + i + "].queue", "'" + c.queue() + "' is not a queue of routing.queues ("
                        + String.join(", ", routing.queues().stream().filter(java.util.Objects::nonNull).map(QueueConfig::id)
                        .toList()) + ")");
            } else if (routing.reservationTtl() != null && c.effectivePreviewTimeout().plus(q.effectiveRingTime())
                    .plusSeconds(10).compareTo(routing.reservationTtl()) > 0) {
                p.add("outbound.campaigns[" + i + "].preview-timeout", "with queue " + q.id() + "'s ring-time ("
                        + q.effectiveRingTime().toSeconds() + "s) it must end at least 10s before routing.reservation-ttl ("
                        + routing.reservationTtl().toSeconds() + "s)");
            }
        }
    }

    /** The data directory, resolved against the working directory. */
    public Path dataDir() {
        return node.dataDir().toAbsolutePath().normalize();
    }
}
