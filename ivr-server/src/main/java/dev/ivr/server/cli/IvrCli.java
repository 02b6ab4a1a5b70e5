package dev.ivr.server.cli;

import dev.ivr.server.IvrServer;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ivr-server} command line. {@code run} starts the server; the other commands are
 * tools for flow designers and admins. Exit status: 0 success, 1 failure, 2 bad usage or
 * configuration.
 */
@Command(name = "ivr-server", mixinStandardHelpOptions = true, versionProvider = IvrCli.Version.class,
        description = "IVR and call-routing server for Asterisk.",
        subcommands = {
                RunCommand.class,
                ConfigReferenceCommand.class,
                FlowReferenceCommand.class,
                DoctorCommand.class,
                StatusCommand.class,
                ValidateCommand.class,
                SimulateCommand.class,
                TestFlowsCommand.class,
                GraphCommand.class,
                RenderPromptsCommand.class,
                CheckPromptsCommand.class,
                ImportCustomersCommand.class,
                ExportCustomersCommand.class,
                ReportCommand.class,
                UsersCommand.class,
                SegmentCommand.class,
                CampaignCommand.class,
                DncCommand.class,
                WebhooksCommand.class,
                ClusterKeyCommand.class,
                CommandLine.HelpCommand.class
        })
public final class IvrCli implements Runnable {
    /** Returned by {@link #execute} when the process must keep running (the server). */
    public static final int KEEP_RUNNING = -1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new IvrCli());
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            commandLine.getErr().println("ivr-server: " + ex.getMessage());
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[]{"ivr-server " + IvrServer.version() + " (Java " + Runtime.version() + ")"};
        }
    }
}
