package dev.ivr.server.journal.http;

import dev.ivr.server.api.Auth;
import dev.ivr.server.api.HttpErrors;
import dev.ivr.server.api.HttpRoutes;
import dev.ivr.server.journal.kpi.AgentKpis;
import dev.ivr.server.journal.kpi.CampaignKpis;
import dev.ivr.server.journal.kpi.KpiCalculator;
import dev.ivr.server.journal.kpi.QueueKpis;
import dev.ivr.server.journal.report.ReportQuery;
import dev.ivr.server.journal.report.ReportTable;
import dev.ivr.server.journal.store.AgentReport;
import dev.ivr.server.journal.store.CampaignReport;
import dev.ivr.server.journal.store.FlowReport;
import dev.ivr.server.journal.store.QueueReport;
import dev.ivr.server.journal.store.LiveKpis;
import io.vertx.core.Handler;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.sql.SQLException;
import java.util.Map;

/**
 * The reports API (roles supervisor and admin; documented in openapi.yaml):
 * <ul>
 *   <li>{@code GET /api/reports/live}: the KPIs of the live window, per queue, center and agent</li>
 *   <li>{@code GET /api/reports/queues}, {@code /agents}, {@code /flows}, {@code /funnel}, {@code /campaigns}:
 *       historical reports from the journal and the campaign attempts ({@code from}, {@code to}, {@code interval},
 *       {@code tz}, {@code queue}/{@code agent}/{@code flow}/{@code campaign}, {@code format=json|csv}); JSON of
 *       queues and campaigns carries the period's totals and the previous period's for comparison</li>
 * </ul>
 * 400 for bad parameters, 503 while the database is unavailable. Database work runs on worker threads.
 */
public final class ReportRoutes implements HttpRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(ReportRoutes.class);

    private final LiveKpis live;
    private final QueueReport queueReport;
    private final CampaignReport campaignReport;
    private final FlowReport flowReport;
    private final AgentReport agentReport;

    public ReportRoutes(LiveKpis live, QueueReport queueReport, CampaignReport campaignReport, FlowReport flowReport,
                        AgentReport agentReport) {
        this.live = live;
        this.queueReport = queueReport;
        this.campaignReport = campaignReport;
        this.flowReport = flowReport;
        this.agentReport = agentReport;
    }

    /** Which report a path serves. */
    private enum Kind {
        QUEUES("queue"), AGENTS("agent"), FLOWS("flow"), FUNNEL("flow"), CAMPAIGNS("campaign");

        final String filter;

        Kind(String filter) {
            this.filter = filter;
        }
    }

    @Override
    public void mount(Router router, Auth auth) {
        Handler<RoutingContext> readers = auth.require("supervisor");
        router.get("/api/reports/live").handler(readers);
        router.get("/api/reports/live").blockingHandler(this::live, false);
        for (Kind k : Kind.values()) {
            String path = "/api/reports/" + k.name().toLowerCase(java.util.Locale.ROOT);
            router.get(path).handler(readers);
            router.get(path).blockingHandler(ctx -> report(ctx, k), false);
        }
    }

    private void live(RoutingContext ctx) {
        KpiCalculator.Result r = live.current();
        ok(ctx, result(r).put("windowSeconds", live.window().toSeconds()));
    }

    private void report(RoutingContext ctx, Kind kind) {
        ReportQuery q;
        try {
            var p = ctx.request();
            q = ReportQuery.parse(p.getParam("from"), p.getParam("to"), p.getParam("interval"), p.getParam("tz"),
                    p.getParam(kind.filter), p.getParam("format"));
            if (q.format().equals("table")) {
                throw new IllegalArgumentException("format must be json or csv");
            }
        } catch (IllegalArgumentException e) {
            HttpErrors.send(ctx, 400, e.getMessage());
            return;
        }
        try {
            ReportTable table = switch (kind) {
                case QUEUES -> queueReport.table(q.from(), q.to(), q.intervals(), q.filter());
                case AGENTS -> agentReport.table(q.from(), q.to(), q.intervals(), q.filter());
                case FLOWS -> flowReport.table(q.from(), q.to(), q.intervals(), q.filter());
                case FUNNEL -> flowReport.funnel(q.from(), q.to(), q.filter());
                case CAMPAIGNS -> campaignReport.table(q.from(), q.to(), q.intervals(), q.filter());
            };
            if (q.format().equals("csv")) {
                ctx.response().putHeader("Content-Type", "text/csv; charset=utf-8").putHeader("Cache-Control", "no-store")
                        .putHeader("Content-Disposition", "attachment; filename=\"" + kind.name().toLowerCase(java.util.Locale.ROOT)
                                + "-" + q.from().toString().substring(0, 10) + ".csv\"")
                        .end(table.csv());
                return;
            }
            JsonObject body = new JsonObject().put("from", q.from().toString()).put("to", q.to().toString())
                    .put("interval", q.intervals().name()).put("timeZone", q.zone().getId())
                    .put("columns", new JsonArray(table.columns()));
            JsonArray rows = new JsonArray();
            table.maps().forEach(m -> rows.add(new JsonObject(new java.util.LinkedHashMap<>(m))));
            body.put("rows", rows);
            if (kind == Kind.QUEUES) {
                ReportQuery prev = q.previous();
                body.put("totals", queueJson(queueReport.totals(q.from(), q.to())));
                body.put("previous", queueJson(queueReport.totals(prev.from(), prev.to()))
                        .put("from", prev.from().toString()).put("to", prev.to().toString()));
            } else if (kind == Kind.CAMPAIGNS) {
                ReportQuery prev = q.previous();
                body.put("totals", campaignJson(campaignReport.totals(q.from(), q.to(), q.filter())));
                body.put("previous", campaignJson(campaignReport.totals(prev.from(), prev.to(), q.filter()))
                        .put("from", prev.from().toString()).put("to", prev.to().toString()));
            }
            ok(ctx, body);
        } catch (SQLException e) {
            LOG.warn("report {}: the database is unavailable: {}", kind, e.getMessage());
            HttpErrors.send(ctx, 503, "the journal database is unavailable; try again shortly");
        }
    }

    private static JsonObject result(KpiCalculator.Result r) {
        JsonObject queues = new JsonObject();
        r.queues().forEach((name, q) -> queues.put(name, queueJson(q)));
        JsonObject agents = new JsonObject();
        r.agents().forEach((name, a) -> agents.put(name, agentJson(a)));
        return new JsonObject().put("from", r.from().toString()).put("to", r.to().toString())
                .put("center", queueJson(r.center())).put("queues", queues).put("agents", agents);
    }

    static JsonObject queueJson(QueueKpis q) {
        return new JsonObject().put("queue", q.queue()).put("offered", q.offered()).put("answered", q.answered())
                .put("answeredInTime", q.answeredInTime()).put("abandoned", q.abandoned())
                .put("shortAbandoned", q.shortAbandoned()).put("transferred", q.transferred())
                .put("callbacks", q.callbacks()).put("serviceLevel", q.serviceLevel()).put("abandonRate", q.abandonRate())
                .put("asaMs", q.asaMs()).put("averageWaitMs", q.averageWaitMs()).put("longestWaitMs", q.longestWaitMs())
                .put("ahtMs", q.ahtMs()).put("talkMs", q.talkMs()).put("wrapUpMs", q.wrapUpMs()).put("handled", q.handled())
                .put("surveys", q.surveys()).put("csat", q.csat());
    }

    static JsonObject campaignJson(CampaignKpis k) {
        return new JsonObject().put("campaign", k.campaign()).put("attempts", k.attempts()).put("answered", k.answered())
                .put("busy", k.busy()).put("noAnswer", k.noAnswer()).put("congestion", k.congestion())
                .put("failed", k.failed()).put("machine", k.machine()).put("dialing", k.dialing())
                .put("skipped", k.skipped()).put("contacts", k.contacts()).put("contactRate", k.contactRate())
                .put("abandoned", k.abandoned()).put("abandonRate", k.abandonRate()).put("agentHandled", k.agentHandled())
                .put("talkMs", k.talkMs()).put("wrapUpMs", k.wrapUpMs()).put("averageTalkMs", k.averageTalkMs())
                .put("ahtMs", k.ahtMs()).put("optOuts", k.optOuts());
    }

    static JsonObject agentJson(AgentKpis a) {
        return new JsonObject().put("agent", a.agent()).put("handled", a.handled()).put("ringNoAnswer", a.ringNoAnswer())
                .put("talkMs", a.talkMs()).put("wrapUpMs", a.wrapUpMs()).put("ahtMs", a.ahtMs())
                .put("stateMs", new JsonObject(Map.copyOf(a.stateMs()))).put("reasonMs", new JsonObject(Map.copyOf(a.reasonMs())))
                .put("signedInMs", a.signedInMs()).put("occupancy", a.occupancy()).put("utilization", a.utilization())
                .put("surveys", a.surveys()).put("csat", a.csat()).put("holdMs", a.holdMs());
    }

    private static void ok(RoutingContext ctx, JsonObject body) {
        ctx.response().putHeader("Content-Type", "application/json").putHeader("Cache-Control", "no-store")
                .end(body.encodePrettily());
    }
}
