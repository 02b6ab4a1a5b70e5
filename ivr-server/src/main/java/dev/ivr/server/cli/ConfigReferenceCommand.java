package dev.ivr.server.cli;

import dev.ivr.server.config.ConfigReference;
import picocli.CommandLine.Command;

import java.util.concurrent.Callable;

/** {@code ivr-server config-reference}: every configuration key, default, environment variable and meaning. */
@Command(name = "config-reference", mixinStandardHelpOptions = true,
        description = "Print the configuration reference (Markdown), generated from the configuration's own definition.")
public final class ConfigReferenceCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(ConfigReference.markdown());
        return 0;
    }
}
