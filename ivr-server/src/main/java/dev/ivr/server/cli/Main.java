package dev.ivr.server.cli;


/** {@code java -jar ivr-server.jar [command] [options]}; see {@link IvrCli}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        // CompletableFuture's async methods start a new thread per task when the common pool has
        // fewer than two workers, which is the default on a 2-core machine; Hazelcast uses them
        if (System.getProperty("java.util.concurrent.ForkJoinPool.common.parallelism") == null
                && Runtime.getRuntime().availableProcessors() <= 2) {
            System.setProperty("java.util.concurrent.ForkJoinPool.common.parallelism", "2");
        }
        int code = IvrCli.execute(args);
        if (code != IvrCli.KEEP_RUNNING) {
            RunCommand.stopLogging(); // the console is written by a thread of its own: what it still has goes out first
            System.exit(code);
        }
    }
}
