package dev.ivr.server.cli;

import dev.ivr.server.cluster.ClusterSecret;
import dev.ivr.server.webhook.HostAllowlist;
import dev.ivr.server.webhook.SecretBox;
import dev.ivr.server.webhook.store.Delivery;
import dev.ivr.server.webhook.store.JdbcWebhooks;
import dev.ivr.server.webhook.store.Webhooks;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.List;
import java.util.Map;

/**
 * {@code ivr-server webhooks list|add|remove|dead-letters|replay}: webhook subscriptions, through the database every
 * server sends from (docs/integration.md). The secret of a new subscription is printed once.
 */
@Command(name = "webhooks", mixinStandardHelpOptions = true,
        description = {"Webhook subscriptions: journal events POSTed to other systems, signed (docs/integration.md).",
                "Works on the database of the configuration (an H2 file database only while the server is stopped)."},
        subcommands = {WebhooksCommand.ListCmd.class, WebhooksCommand.Add.class, WebhooksCommand.Remove.class,
                WebhooksCommand.DeadLetters.class, WebhooksCommand.Replay.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:refused (unknown webhook, URL not allowed) or the database is unreachable",
                "2:bad usage or configuration"})
public final class WebhooksCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    interface Work {
        int run(Webhooks webhooks, PrintWriter out, PrintWriter err) throws Exception;
    }

    static int with(ConfigOption option, CommandLine.Model.CommandSpec spec, Work work) {
        return CrmDatabase.withDatabase(option, spec, (cfg, db, out, err) -> {
            SecretBox box = new SecretBox(ClusterSecret.load(cfg.cluster(), cfg.dataDir()).derive(SecretBox.PURPOSE));
            return work.run(new Webhooks(new JdbcWebhooks(db.dataSource()),
                    new HostAllowlist(cfg.webhooks().allowedHosts(), cfg.webhooks().allowHttp()), box, Clock.systemUTC()),
                    out, err);
        });
    }

    abstract static class Named extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "ID", description = "A webhook's id (wh_...), as 'webhooks list' shows it.")
        String id;
    }

    /** Runs the work when the webhook exists; 1 with a message when it does not. */
    static int withExisting(Named n, Work work) {
        return with(n.config, n.spec, (webhooks, out, err) -> {
            if (webhooks.get(n.id).isEmpty()) {
                err.println("ivr-server: no webhook " + n.id);
                return 1;
            }
            return work.run(webhooks, out, err);
        });
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The subscriptions, with pending and dead-lettered deliveries.")
    static final class ListCmd extends ConfigCommand {
        @Override
        public Integer call() {
            return with(config, spec, (webhooks, out, err) -> {
                Map<String, JdbcWebhooks.Counts> counts = webhooks.counts();
                var all = webhooks.list();
                if (all.isEmpty()) {
                    out.println("no webhooks (add one with: webhooks add URL --events call.ended)");
                }
                for (var s : all) {
                    var sub = s.subscription();
                    var c = counts.getOrDefault(sub.id(), new JdbcWebhooks.Counts(0, 0));
                    out.printf("%s  %s  events=%s%s  pending=%d dead=%d%s%n", sub.id(), sub.url(),
                            String.join(",", sub.typeNames()), sub.queue() == null ? "" : " queue=" + sub.queue(),
                            c.pending(), c.dead(), sub.description() == null ? "" : "  (" + sub.description() + ")");
                }
                return 0;
            });
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true,
            description = "Subscribe a URL to event types; prints the signing secret, the only time it is shown.")
    static final class Add extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "URL", description = "https URL on a host of webhooks.allowed-hosts.")
        String url;
        @Option(names = "--events", required = true, split = ",",
                description = "Event types (call.entered, call.queued, call.answered, call.ended, agent.state, ...) or * for all.")
        List<String> events;
        @Option(names = "--queue", description = "Only events of this queue.")
        String queue;
        @Option(names = "--description", description = "Free text: who receives it, why.")
        String description;

        @Override
        public Integer call() {
            return with(config, spec, (webhooks, out, err) -> {
                Webhooks.Created c;
                try {
                    c = webhooks.add(url, events, queue, description, "cli:" + System.getProperty("user.name", "?"));
                } catch (IllegalArgumentException e) {
                    err.println("ivr-server: " + e.getMessage());
                    return 1;
                }
                out.println("webhook " + c.subscription().id() + " added: " + c.subscription().url()
                        + " events=" + String.join(",", c.subscription().typeNames()));
                out.println("secret (shown once, keep it for checking signatures): " + c.secret());
                return 0;
            });
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a subscription and its undelivered and dead-lettered deliveries.")
    static final class Remove extends Named {
        @Override
        public Integer call() {
            return with(config, spec, (webhooks, out, err) -> {
                if (!webhooks.remove(id)) {
                    err.println("ivr-server: no webhook " + id);
                    return 1;
                }
                out.println("webhook " + id + " removed");
                return 0;
            });
        }
    }

    @Command(name = "dead-letters", mixinStandardHelpOptions = true, description = "Deliveries that failed every attempt.")
    static final class DeadLetters extends Named {
        @Option(names = "--limit", defaultValue = "100", description = "At most this many (default: ${DEFAULT-VALUE}).")
        int limit;

        @Override
        public Integer call() {
            return withExisting(this, (webhooks, out, err) -> {
                List<Delivery> dead = webhooks.deadLetters(id, Math.max(1, Math.min(limit, 10_000)));
                for (Delivery d : dead) {
                    out.printf("%d  %s  %s  event=%s  attempts=%d  last=%s%n", d.id(), d.occurredAt(), d.eventType(),
                            d.eventId(), d.attempts(), d.lastError());
                }
                out.println(dead.size() + " dead letter(s)");
                return 0;
            });
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true, description = "Send dead letters again (all, or --ids).")
    static final class Replay extends Named {
        @Option(names = "--ids", split = ",", description = "Only these deliveries (numbers from dead-letters).")
        List<Long> ids;

        @Override
        public Integer call() {
            return withExisting(this, (webhooks, out, err) -> {
                out.println(webhooks.replay(id, ids) + " dead letter(s) back in the queue");
                return 0;
            });
        }
    }
}
