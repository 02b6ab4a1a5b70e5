package dev.ivr.server.journal.kpi;

import dev.ivr.server.journal.JournalEvent;
import dev.ivr.server.journal.JournalEvent.Type;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Two scripted hours (09:00-11:00 on 2026-03-02) of outbound campaign attempts, opt-outs and the agents' events on
 * the answered calls, whose campaign figures are worked out by hand in {@link CampaignCalculatorTest} (and read back
 * over HTTP in CampaignReportApiContract): every dial result, a machine, an abandoned call, a skipped preview, an
 * attempt still dialling, a call still being talked at the end, an attempt before the period.
 */
public final class ScriptedCampaigns {
    public static final Instant FROM = Instant.parse("2026-03-02T09:00:00Z");
    public static final Instant TO = Instant.parse("2026-03-02T11:00:00Z");

    /** One attempt with its customer and number, as the attempts table keeps it. */
    public record Row(String customer, int attemptNo, CampaignAttempt attempt) {
    }

    private ScriptedCampaigns() {
    }

    private static Instant t(String hms) {
        return Instant.parse("2026-03-02T" + hms + "Z");
    }

    public static List<Row> attempts() {
        List<Row> out = new ArrayList<>();
        add(out, "renewal", "r1", "09:05:00", "answered", "c-r1");
        add(out, "renewal", "r2", "09:10:00", "busy", null);
        add(out, "renewal", "r3", "09:15:00", "no-answer", null);
        add(out, "renewal", "r4", "09:20:00", "abandoned", "c-r4");
        add(out, "renewal", "r5", "09:25:00", "machine", "c-r5");
        add(out, "renewal", "r6", "09:30:00", "congestion", null);
        add(out, "renewal", "r7", "09:35:00", "failed", null);
        add(out, "renewal", "r8", "09:40:00", "node-lost", null);
        add(out, "renewal", "r9", "09:50:00", "answered", "c-r9");
        add(out, "renewal", "r10", "09:55:00", "skipped", null);
        add(out, "renewal", "r11", "10:10:00", "answered", "c-r11");
        add(out, "renewal", "r12", "10:20:00", null, null);
        add(out, "renewal", "r13", "10:30:00", "answered", "c-r13");
        add(out, "renewal", "r14", "08:59:00", "answered", "c-r14");
        add(out, "reminder", "m1", "09:00:00", "answered", "c-m1");
        add(out, "reminder", "m2", "09:30:00", "no-answer", null);
        return out;
    }

    private static void add(List<Row> out, String campaign, String customer, String at, String result, String call) {
        out.add(new Row(customer, 1, new CampaignAttempt(campaign, t(at), result, call)));
    }

    public static List<CampaignAttempt> attemptList() {
        return attempts().stream().map(Row::attempt).toList();
    }

    public static List<CampaignCalculator.OptOut> optOuts() {
        return List.of(new CampaignCalculator.OptOut("renewal", t("09:26:00")),
                new CampaignCalculator.OptOut("renewal", t("10:45:00")),
                new CampaignCalculator.OptOut("reminder", t("09:40:00")),
                new CampaignCalculator.OptOut("reminder", t("11:00:00")));
    }

    /** The agents' events: ca1 talks to r1 (240 s, 60 s wrap-up) and r11 (180 s, 60 s), ca2 to r9 (120 s), ca1 to r13 still. */
    public static List<JournalEvent> agentEvents() {
        List<JournalEvent> out = new ArrayList<>();
        agent(out, "08:55:00", Type.AGENT_SIGNED_IN, "ca1", "NOT_READY", null);
        agent(out, "09:00:00", Type.AGENT_STATE, "ca1", "READY", null);
        agent(out, "09:05:30", Type.AGENT_STATE, "ca1", "ON_CALL", "c-r1");
        agent(out, "09:09:30", Type.AGENT_WRAP_UP, "ca1", "WRAP_UP", "c-r1");
        agent(out, "09:10:30", Type.AGENT_STATE, "ca1", "READY", null);
        agent(out, "09:45:00", Type.AGENT_SIGNED_IN, "ca2", "NOT_READY", null);
        agent(out, "09:46:00", Type.AGENT_STATE, "ca2", "READY", null);
        agent(out, "09:50:20", Type.AGENT_STATE, "ca2", "ON_CALL", "c-r9");
        agent(out, "09:52:20", Type.AGENT_STATE, "ca2", "READY", null);
        agent(out, "10:10:10", Type.AGENT_STATE, "ca1", "ON_CALL", "c-r11");
        agent(out, "10:13:10", Type.AGENT_WRAP_UP, "ca1", "WRAP_UP", "c-r11");
        agent(out, "10:14:10", Type.AGENT_STATE, "ca1", "NOT_READY", null);
        agent(out, "10:20:00", Type.AGENT_STATE, "ca1", "READY", null);
        agent(out, "10:31:00", Type.AGENT_STATE, "ca1", "ON_CALL", "c-r13");
        return out;
    }

    /**
     * Writes the attempts and the opt-outs into a database's campaign tables, as the dialer and the opt-out recorder
     * keep them (the agents' events go through the journal).
     */
    public static void write(javax.sql.DataSource ds) throws java.sql.SQLException {
        try (java.sql.Connection c = ds.getConnection();
             java.sql.PreparedStatement a = c.prepareStatement("insert into campaign_attempts (campaign, customer_id,"
                     + " attempt_no, phone, started_at, ended_at, result, call_id, amd) values (?, ?, ?, ?, ?, ?, ?, ?, ?)");
             java.sql.PreparedStatement d = c.prepareStatement("insert into dnc_numbers (e164, scope, source, reason,"
                     + " campaign, call_id, added_at) values (?, ?, 'flow', 'opted out during the call', ?, ?, ?)")) {
            int n = 0;
            for (Row r : attempts()) {
                CampaignAttempt x = r.attempt();
                a.setString(1, x.campaign());
                a.setString(2, r.customer());
                a.setInt(3, r.attemptNo());
                a.setString(4, "+3612345" + String.format("%04d", n++));
                a.setObject(5, x.startedAt().atOffset(java.time.ZoneOffset.UTC));
                a.setObject(6, x.result() == null ? null : x.startedAt().plusSeconds(60).atOffset(java.time.ZoneOffset.UTC));
                // the dialer records a machine as an answered call with AMD's verdict beside it
                boolean machine = "machine".equals(x.result());
                a.setString(7, machine ? "answered" : x.result());
                a.setString(8, x.callId());
                a.setString(9, machine ? "MACHINE" : null);
                a.addBatch();
            }
            a.executeBatch();
            for (CampaignCalculator.OptOut o : optOuts()) {
                d.setString(1, "+3619999" + String.format("%04d", n++));
                d.setString(2, o.campaign());
                d.setString(3, o.campaign());
                d.setString(4, "call-" + n);
                d.setObject(5, o.at().atOffset(java.time.ZoneOffset.UTC));
                d.addBatch();
            }
            d.executeBatch();
        }
    }

    private static void agent(List<JournalEvent> out, String at, Type type, String agent, String state, String call) {
        out.add(JournalEvent.of(t(at), type, call, null, null, null, agent, null, state, null, "test"));
    }
}
