package dev.ivr.server.agi;

import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.DatabaseGetCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetFullVariableCommand;
import org.asteriskjava.fastagi.command.HangupCommand;
import org.asteriskjava.fastagi.command.RecordFileCommand;
import org.asteriskjava.fastagi.command.SayAlphaCommand;
import org.asteriskjava.fastagi.command.SayDigitsCommand;
import org.asteriskjava.fastagi.command.SetMusicOffCommand;
import org.asteriskjava.fastagi.command.SetMusicOnCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.VerboseCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Our AGI command lines are byte for byte what Asterisk-Java's {@code buildCommand()} writes (the
 * wire format the real Asterisk has been taking from the server), over many argument shapes; and
 * Asterisk's own argument parser ({@code parse_args} in res_agi.c, ported below) reads the
 * arguments back as they were given.
 */
class AgiCommandLineTest {
    /** Argument shapes: plain, empty, null, spaces, quotes, backslashes (also at the ends), newlines, tabs, CR, non-ASCII. */
    static final List<String> ARGS = Arrays.asList(
            "", null, "welcome", "bench/welcome", "en/greeting-1a2b3c", "0123456789*#", "a b", "  leading", "trailing  ",
            "say \"hi\"", "\"", "\"\"", "\\", "\\\\", "back\\slash", "end\\", "\\\"", "\"\\", "a\nb", "\n", "line\r\nnext",
            "tab\there", "Ügyfélszolgálat", "árvíztűrő tükörfúrógép", "日本語", "emoji \uD83D\uDE00", "$1.50", "${CALLERID(num)}",
            "Local/100@from-ivr,30,tT", "a,b|c", "100%", "%s %d", "'single'", "x".repeat(300), "é\"\\\n\\é");

    static final int[] INTS = {0, 1, 5, 1024, 5000, -1, Integer.MAX_VALUE};
    static final long[] LONGS = {0L, 1L, 3000L, 5000L, -1L, 86_400_000L};

    static List<AgiCommand> commands() {
        List<AgiCommand> all = new ArrayList<>();
        all.add(new AnswerCommand());
        all.add(new SetMusicOffCommand());
        all.add(new SetMusicOnCommand());
        all.add(new HangupCommand());
        all.add(new ChannelStatusCommand());
        all.add(new WaitForDigitCommand());
        for (long l : LONGS) {
            all.add(new WaitForDigitCommand(l));
        }
        for (String a : ARGS) {
            all.add(new StreamFileCommand(a));
            all.add(new SetMusicOnCommand(a));
            all.add(new HangupCommand(a));
            all.add(new ChannelStatusCommand(a));
            all.add(new GetFullVariableCommand(a));
            all.add(new GetDataCommand(a));
            all.add(new ExecCommand(a));
            all.add(new ExecCommand(a, (String[]) null));
            all.add(new ExecCommand("Dial", a));
            all.add(new ExecCommand(a, "x", a));
            all.add(new ExecCommand("Playback", a, null, ""));
            all.add(new RecordFileCommand(a, "wav", "#", 5000));
            for (int i : INTS) {
                all.add(new VerboseCommand(a, i));
                all.add(new StreamFileCommand(a, "#", i));
            }
            for (long l : LONGS) {
                all.add(new GetDataCommand(a, l));
                for (int max : new int[] {1, 4, 1023, 1024}) {
                    all.add(new GetDataCommand(a, l, max));
                }
            }
            for (String b : ARGS) {
                all.add(new StreamFileCommand(a, b));
                all.add(new SetVariableCommand(a, b));
                all.add(new GetFullVariableCommand(a, b));
                all.add(new SayDigitsCommand(a, b));
                all.add(new SayAlphaCommand(a, b));
                all.add(new ExecCommand(a, b));
            }
        }
        all.add(new SayDigitsCommand("1234"));
        all.add(new SayAlphaCommand("abc"));
        all.add(new DatabaseGetCommand("family", "key with space")); // not ours: Asterisk-Java's own line
        return all;
    }

    @Test
    void everyLineIsByteForByteWhatAsteriskJavaWrites() {
        List<AgiCommand> all = commands();
        assertThat(all).hasSizeGreaterThan(8_000);
        for (AgiCommand c : all) {
            String expected = c.buildCommand();
            String ours = AgiCommandLine.of(c);
            assertThat(ours.getBytes(StandardCharsets.UTF_8)).as("%s: %s", c.getClass().getSimpleName(), expected)
                    .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
        }
    }

    @Test
    void theBuilderIsOnlyAppendedTo() {
        StringBuilder sb = new StringBuilder("prefix|");
        AgiCommandLine.append(sb, new SetVariableCommand("IVR_STATUS", "OK"));
        assertThat(sb).hasToString("prefix|SET VARIABLE \"IVR_STATUS\" \"OK\"");
    }

    @Test
    void asterisksParserReadsTheArgumentsBackAsGiven() {
        for (String a : ARGS) {
            for (String b : ARGS) {
                String line = AgiCommandLine.of(new SetVariableCommand(a, b));
                List<String> argv = parseArgs(line.getBytes(StandardCharsets.UTF_8));
                assertThat(argv).as(line).containsExactly("SET", "VARIABLE", noNewline(a), noNewline(b));
            }
            String line = AgiCommandLine.of(new ExecCommand("Dial", a));
            assertThat(parseArgs(line.getBytes(StandardCharsets.UTF_8))).as(line) // Asterisk-Java joins a null option as "null"
                    .containsExactly("EXEC", "Dial", a == null ? "null" : noNewline(a));
        }
    }

    @Test
    void aLineHasNoNewlineWhateverTheArguments() {
        for (AgiCommand c : commands()) {
            assertThat(AgiCommandLine.of(c)).as(c.getClass().getSimpleName()).doesNotContain("\n");
        }
    }

    private static String noNewline(String s) {
        return s == null ? "" : s.replace("\n", "");
    }

    /**
     * Asterisk's parse_args (res_agi.c), byte for byte: double quotes group, a backslash makes the
     * next byte literal, spaces and tabs outside quotes separate, an opening quote after
     * whitespace starts an argument (so {@code ""} is an empty one).
     */
    static List<String> parseArgs(byte[] s) {
        List<String> argv = new ArrayList<>();
        ByteArrayOutputStream cur = null;
        boolean quoted = false;
        boolean escaped = false;
        boolean whitespace = true;
        for (byte b : s) {
            boolean normal = false;
            switch (b) {
                case '"' -> {
                    if (escaped) {
                        normal = true;
                    } else {
                        quoted = !quoted;
                        if (quoted && whitespace) {
                            cur = start(argv, cur);
                            whitespace = false;
                        }
                        escaped = false;
                    }
                }
                case ' ', '\t' -> {
                    if (!quoted && !escaped) {
                        whitespace = true;
                    } else {
                        normal = true;
                    }
                }
                case '\\' -> {
                    if (escaped) {
                        normal = true;
                    } else {
                        escaped = true;
                    }
                }
                default -> normal = true;
            }
            if (normal) {
                if (whitespace) {
                    cur = start(argv, cur);
                    whitespace = false;
                }
                cur.write(b);
                escaped = false;
            }
        }
        if (cur != null) {
            argv.add(cur.toString(StandardCharsets.UTF_8));
        }
        return argv;
    }

    private static ByteArrayOutputStream start(List<String> argv, ByteArrayOutputStream previous) {
        if (previous != null) {
            argv.add(previous.toString(StandardCharsets.UTF_8));
        }
        return new ByteArrayOutputStream();
    }
}
