package dev.ivr.server.cli;

import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.segment.Segments;
import dev.ivr.server.outbound.CampaignStore;
import dev.ivr.server.outbound.Campaigns;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.time.Clock;
import java.time.ZoneId;

/**
 * {@code ivr-server campaign start|pause|resume|stop|status NAME}, {@code campaign import NAME FILE}: the campaigns of
 * {@code outbound.campaigns}, through the database every server dials from (docs/outbound.md).
 */
@Command(name = "campaign", mixinStandardHelpOptions = true,
        description = {"Outbound campaigns (outbound.campaigns in the configuration): start one (its segment becomes",
                "the contact list), pause, resume or stop it, and see its progress. Servers with outbound.enabled dial it."},
        subcommands = {CampaignCommand.Start.class, CampaignCommand.Pause.class, CampaignCommand.Resume.class,
                CampaignCommand.Stop.class, CampaignCommand.Status.class, CampaignCommand.Import.class},
        exitCodeListHeading = "%nExit status:%n",
        exitCodeList = {"0:done", "1:refused (unknown campaign or segment, never started) or the database is unreachable",
                "2:bad usage or configuration"})
public final class CampaignCommand implements Runnable {
    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    interface Work {
        int run(Campaigns campaigns, PrintWriter out, PrintWriter err) throws Exception;
    }

    static int with(ConfigOption option, CommandLine.Model.CommandSpec spec, Work work) {
        return CrmDatabase.withDatabase(option, spec, (cfg, db, out, err) -> {
            Segments segments = new Segments(db.dataSource(), AttributeSchema.of(cfg.crm().attributes()), Clock.system(ZoneId.systemDefault()));
            return work.run(new Campaigns(cfg.outbound(), new CampaignStore(db.dataSource()), segments, Clock.systemUTC()), out, err);
        });
    }

    abstract static class Named extends ConfigCommand {
        @Parameters(index = "0", paramLabel = "NAME", description = "A campaign of outbound.campaigns.")
        String name;
    }

    @Command(name = "start", mixinStandardHelpOptions = true,
            description = "Start a campaign: its segment's customers become contacts (again-started: new members are added).")
    static final class Start extends Named {
        @Override
        public Integer call() {
            return with(config, spec, (campaigns, out, err) -> {
                Campaigns.Started s = campaigns.start(name);
                if (!campaigns.campaign(name).hasSegment()) {
                    out.printf("campaign %s running: it dials its imported CSV list (campaign import)%n", name);
                    return 0;
                }
                out.printf("campaign %s running: %d customer(s) in segment %s, %d added%s%n", name, s.members(),
                        campaigns.campaign(name).segment(), s.added(),
                        s.withoutNumber() == 0 ? "" : ", " + s.withoutNumber() + " without a phone number (not called)");
                return 0;
            });
        }
    }

    static int set(Named n, String status) {
        return with(n.config, n.spec, (campaigns, out, err) -> {
            if (!campaigns.set(n.name, status)) {
                err.println("ivr-server: campaign " + n.name + " was never started (campaign start " + n.name + ")");
                return 1;
            }
            out.println("campaign " + n.name + " " + status);
            return 0;
        });
    }

    @Command(name = "pause", mixinStandardHelpOptions = true, description = "Stop placing new calls (calls under way go on).")
    static final class Pause extends Named {
        @Override
        public Integer call() {
            return set(this, "paused");
        }
    }

    @Command(name = "resume", mixinStandardHelpOptions = true, description = "Place calls again.")
    static final class Resume extends Named {
        @Override
        public Integer call() {
            return set(this, "running");
        }
    }

    @Command(name = "stop", mixinStandardHelpOptions = true, description = "End the campaign (start resumes it).")
    static final class Stop extends Named {
        @Override
        public Integer call() {
            return set(this, "stopped");
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, description = "Progress: contacts by state, attempts by result.")
    static final class Status extends Named {
        @Option(names = "--attempts", description = "List every attempt with its result and the flow's outcome.")
        boolean attempts;

        @Override
        public Integer call() {
            return with(config, spec, (campaigns, out, err) -> {
                var p = campaigns.progress(name);
                if (p.isEmpty()) {
                    out.println("campaign " + name + ": never started");
                    return 0;
                }
                out.println("campaign " + name + ": " + p.get().status());
                out.println("  contacts: " + p.get().contacts());
                out.println("  attempts: " + p.get().attempts());
                if (attempts) {
                    for (CampaignStore.Attempt a : p.get().history()) {
                        out.printf("  %s #%d %s %s %s%s%s%n", a.customerId(), a.attemptNo(), a.startedAt(), a.result(),
                                a.node(), a.amd() == null ? "" : " amd: " + a.amd() + (a.amdCause() == null ? "" : " (" + a.amdCause() + ")"),
                                a.flowOutcome() == null ? "" : " flow: " + a.flowOutcome());
                    }
                }
                return 0;
            });
        }
    }

    @Command(name = "import", mixinStandardHelpOptions = true,
            description = {"Add a CSV contact list to a campaign: a header naming a customer column (customer, customer_id",
                    "or id) and/or a phone column (phone, number), one contact a line; numbers in any format. Every row",
                    "must lead to a customer of the CRM; one bad row imports nothing (each is named with its line).",
                    "Customers already in the campaign keep their state; repeated rows count once."})
    static final class Import extends Named {
        @Parameters(index = "1", paramLabel = "FILE", description = "The CSV file (UTF-8).")
        java.nio.file.Path file;

        @Override
        public Integer call() {
            return CrmDatabase.withDatabase(config, spec, (cfg, db, out, err) -> {
                Segments segments = new Segments(db.dataSource(), AttributeSchema.of(cfg.crm().attributes()), Clock.systemUTC());
                new Campaigns(cfg.outbound(), new CampaignStore(db.dataSource()), segments, Clock.systemUTC()).campaign(name);
                String text;
                try {
                    text = java.nio.file.Files.readString(file, java.nio.charset.StandardCharsets.UTF_8);
                } catch (java.io.IOException e) {
                    err.println("ivr-server: cannot read " + file + ": " + e.getMessage());
                    return 1;
                }
                try {
                    dev.ivr.server.outbound.ContactImport.Report r = new dev.ivr.server.outbound.ContactImport(db.dataSource())
                            .run(name, dev.ivr.server.outbound.ContactCsv.parse(text,
                                    new dev.ivr.server.crm.phone.PhoneNumbers(cfg.crm().region())), Clock.systemUTC().instant());
                    out.printf("campaign %s: %d row(s), %d contact(s) added, %d already in the campaign, %d repeated row(s)%n",
                            name, r.rows(), r.added(), r.alreadyInCampaign(), r.duplicates());
                    return 0;
                } catch (dev.ivr.server.outbound.ContactImport.Rejected e) {
                    e.problems().forEach(p -> err.println(file.getFileName() + ": " + p));
                    err.println("ivr-server: nothing imported (fix the rows above and import again)");
                    return 1;
                }
            });
        }
    }
}
