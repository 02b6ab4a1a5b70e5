package dev.ivr.server.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.LoggerFactory;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;

/**
 * Runs {@code ivr-server}'s command line in the test's JVM as an admin would, keeping what the last command printed;
 * after each test it puts the root log level back (the commands quieten the server's logs). Register it with
 * {@code @RegisterExtension}.
 */
final class CliRunner implements BeforeEachCallback, AfterEachCallback {
    private StringWriter out = new StringWriter();
    private StringWriter err = new StringWriter();
    private Level rootLevel;

    /** Runs one command; returns its exit code. */
    int run(String... args) {
        out = new StringWriter();
        err = new StringWriter();
        CommandLine cl = new CommandLine(new IvrCli());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        return cl.execute(args);
    }

    /** What the last command wrote to its standard output. */
    String out() {
        return out.toString();
    }

    /** What the last command wrote to its standard error. */
    String err() {
        return err.toString();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        rootLevel = root().getLevel();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        root().setLevel(rootLevel);
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }
}
