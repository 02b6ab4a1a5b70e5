package dev.ivr.server.flow.tools;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.function.Supplier;

/** Caller scripts for the simulator: from text, or typed at a terminal. */
public final class CallerSteps {
    private CallerSteps() {
    }

    /** {@code 1,barge:2,12345678#,silence,say:billing,mumble,dial:BUSY,hangup} */
    public static List<CallerStep> parse(String script) {
        return CallerStep.parse(script);
    }

    /** Asks at the terminal whenever the flow waits for the caller; end of input hangs up. */
    public static Supplier<CallerStep> interactive(BufferedReader in, PrintStream prompt) {
        return () -> {
            while (true) {
                prompt.print("  keys (or 'say WORDS', 'silence', 'hangup')> ");
                prompt.flush();
                try {
                    String line = in.readLine();
                    if (line == null) {
                        return new CallerStep.HangUp();
                    }
                    line = line.trim();
                    if (line.isEmpty()) {
                        return new CallerStep.Silence();
                    }
                    return CallerStep.token(line);
                } catch (IllegalArgumentException e) {
                    prompt.println("  " + e.getMessage());
                } catch (IOException e) {
                    return new CallerStep.HangUp();
                }
            }
        };
    }
}
