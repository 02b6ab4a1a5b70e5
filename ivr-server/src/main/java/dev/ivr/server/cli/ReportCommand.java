package dev.ivr.server.cli;

import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.db.Database;
import dev.ivr.server.journal.kpi.KpiRules;
import dev.ivr.server.journal.report.ReportQuery;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.report.Reports;
import dev.ivr.server.journal.store.QueueReport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/** {@code ivr-server report queues|agents|flows|funnel|campaigns --from ... --to ... --interval 30m --format csv|table}. */
@Command(name = "report", mixinStandardHelpOptions = true,
        description = {"Print a report from the event journal, for scripts and cron (definitions: docs/reporting.md).",
                "Reads the database of the configuration (an H2 file database only while the server is stopped)."})
public final class ReportCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "REPORT", description = "queues, agents, flows, funnel or campaigns.")
    String report;

    @Option(names = "--from", required = true, description = "Start: a date (2026-03-02), a local time (2026-03-02T09:00) or an instant.")
    String from;

    @Option(names = "--to", description = "End, excluded; a date means the end of that day (default: the end of --from's day).")
    String to;

    @Option(names = "--interval", defaultValue = "60m", description = "15m, 30m, 60m, day, week, month or all (default: ${DEFAULT-VALUE}).")
    String interval;

    @Option(names = "--tz", defaultValue = "UTC", description = "Time zone of dates and intervals (default: ${DEFAULT-VALUE}).")
    String tz;

    @Option(names = {"--queue", "--agent", "--flow", "--campaign"}, description = "Only this queue, agent, flow or campaign.")
    String filter;

    @Option(names = "--format", defaultValue = "table", description = "table, csv or json (default: ${DEFAULT-VALUE}).")
    String format;

    @Spec
    CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (!List.of("queues", "agents", "flows", "funnel", "campaigns").contains(report)) {
            err.println("ivr-server: the report is queues, agents, flows, funnel or campaigns, not '" + report + "'");
            return 2;
        }
        ReportQuery q;
        try {
            q = ReportQuery.parse(from, to, interval, tz, filter, format);
        } catch (IllegalArgumentException e) {
            err.println("ivr-server: " + e.getMessage());
            return 2;
        }
        IvrConfig cfg = CrmDatabase.config(config, err);
        if (cfg == null) {
            return 2;
        }
        CrmDatabase.quietLogs(true);
        Database db = CrmDatabase.open(cfg, err);
        if (db == null) {
            return 1;
        }
        try (db) {
            Map<String, Duration> thresholds = new HashMap<>();
            cfg.routing().queues().forEach(c -> thresholds.put(c.id(), c.serviceLevelTime()));
            KpiRules rules = new KpiRules(cfg.reports().serviceLevelTime(), cfg.reports().shortAbandon(), thresholds);
            Reports reports = new Reports(rules, cfg.reports().fcrWindow());
            ReportTable table = switch (report) {
                case "queues" -> new QueueReport(db.dataSource(), db.dialect(), rules, cfg.reports().fcrWindow())
                        .table(q.from(), q.to(), q.intervals(), q.filter());
                case "agents" -> new dev.ivr.server.journal.store.AgentReport(db.dataSource(), db.dialect(), reports)
                        .table(q.from(), q.to(), q.intervals(), q.filter());
                case "flows" -> new dev.ivr.server.journal.store.FlowReport(db.dataSource(), db.dialect(), reports)
                        .table(q.from(), q.to(), q.intervals(), q.filter());
                case "campaigns" -> new dev.ivr.server.journal.store.CampaignReport(db.dataSource())
                        .table(q.from(), q.to(), q.intervals(), q.filter());
                default -> new dev.ivr.server.journal.store.FlowReport(db.dataSource(), db.dialect(), reports)
                        .funnel(q.from(), q.to(), q.filter());
            };
            switch (q.format()) {
                case "csv" -> out.print(table.csv());
                case "json" -> out.println(new com.fasterxml.jackson.databind.ObjectMapper().writerWithDefaultPrettyPrinter()
                        .writeValueAsString(table.maps()));
                default -> out.print(table.text());
            }
            out.flush();
            return 0;
        }
    }
}
