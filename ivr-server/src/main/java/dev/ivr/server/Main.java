package dev.ivr.server;

import dev.ivr.server.cli.IvrCli;

/** {@code java -jar ivr-server.jar [command] [options]}; see {@link IvrCli}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        int code = IvrCli.execute(args);
        if (code != IvrCli.KEEP_RUNNING) {
            System.exit(code);
        }
    }
}
