package dev.ivr.server.cli;

import dev.ivr.server.config.ConfigException;
import dev.ivr.server.config.IvrConfig;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.speech.SpeechModels;
import dev.ivr.server.speech.engines.SpeechEngines;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** Where the flow tools find flows, prompts and calendars: options, else the configuration. */
public final class FlowSources {
    @Mixin
    ConfigOption config;

    @Option(names = "--flows", paramLabel = "DIR", description = "Flows directory (default: flows.dir of the configuration).")
    Path flows;

    @Option(names = "--prompts", paramLabel = "DIR", description = "Prompt catalogs (default: prompts.dir).")
    Path prompts;

    @Option(names = "--calendars", paramLabel = "FILE", description = "Calendars file (default: flows.calendars).")
    Path calendars;

    /**
     * For the tools that run flows without a PBX (simulate, test-flows, graph): what the caller
     * says is typed, so speech counts as available in every language.
     *
     * @throws ConfigException when the configuration is needed and broken
     */
    public FlowLoader.Sources resolve() {
        if (flows != null && prompts != null && calendars != null) {
            return new FlowLoader.Sources(flows, prompts, calendars, SpeechModels.SIMULATED);
        }
        return resolve(config.load(), SpeechModels.SIMULATED);
    }

    /**
     * As a server with this configuration loads the flows: speech models are the ones
     * {@code speech.models} names (checked on disk), so flows that listen in a language
     * without a model are errors.
     *
     * @throws ConfigException when the configuration is broken
     */
    public FlowLoader.Sources resolveAsServer() {
        IvrConfig c = config.load();
        return resolve(c, SpeechEngines.models(c.speech()));
    }

    private FlowLoader.Sources resolve(IvrConfig c, SpeechModels speech) {
        return new FlowLoader.Sources(flows != null ? flows : c.flows().dir(),
                prompts != null ? prompts : c.prompts().dir(),
                calendars != null ? calendars : c.flows().calendars(), speech,
                dev.ivr.server.crm.attributes.AttributeSchema.of(c.crm().attributes()), c.integrations().names(),
                c.outbound().campaignNames());
    }
}
