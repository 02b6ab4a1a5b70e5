package dev.ivr.server.agi;

import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
import org.asteriskjava.fastagi.command.ExecCommand;
import org.asteriskjava.fastagi.command.GetDataCommand;
import org.asteriskjava.fastagi.command.GetFullVariableCommand;
import org.asteriskjava.fastagi.command.HangupCommand;
import org.asteriskjava.fastagi.command.SayAlphaCommand;
import org.asteriskjava.fastagi.command.SayDigitsCommand;
import org.asteriskjava.fastagi.command.SetMusicOffCommand;
import org.asteriskjava.fastagi.command.SetMusicOnCommand;
import org.asteriskjava.fastagi.command.SetVariableCommand;
import org.asteriskjava.fastagi.command.StreamFileCommand;
import org.asteriskjava.fastagi.command.VerboseCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;

/**
 * The AGI command line of a command, exactly as Asterisk-Java's {@code buildCommand()} writes it,
 * without its cost: Asterisk-Java quotes every argument with three {@code String.replaceAll} (a
 * regular expression compiled each time) and a {@code String.format}, several times per command
 * sent. Here the line is appended to a builder the connection reuses, in one pass per argument.
 *
 * <p>The quoting is Asterisk-Java's, which is what Asterisk's {@code parse_args} (res_agi.c)
 * reads back: every argument in double quotes, a backslash and a double quote escaped with a
 * backslash, a newline dropped (it would end the command), everything else (spaces, non-ASCII
 * text, carriage returns) as it is; a null argument is {@code ""}. Only the commands the server
 * sends on its call path are written here, and only when the command is exactly that class (a
 * subclass may build its line differently); any other command is asked for its own line.
 * {@code AgiCommandLineTest} compares both byte for byte over many argument shapes.
 */
final class AgiCommandLine {
    private AgiCommandLine() {
    }

    /** Appends the command's line (without the newline) to {@code sb}. */
    static void append(StringBuilder sb, AgiCommand command) {
        Class<?> type = command.getClass();
        if (type == StreamFileCommand.class) {
            StreamFileCommand c = (StreamFileCommand) command;
            sb.append("STREAM FILE ");
            quote(sb, c.getFile()).append(' ');
            quote(sb, c.getEscapeDigits());
            if (c.getOffset() >= 0) {
                sb.append(' ').append(c.getOffset());
            }
        } else if (type == WaitForDigitCommand.class) {
            sb.append("WAIT FOR DIGIT ").append(((WaitForDigitCommand) command).getTimeout());
        } else if (type == SetVariableCommand.class) {
            SetVariableCommand c = (SetVariableCommand) command;
            sb.append("SET VARIABLE ");
            quote(sb, c.getVariable()).append(' ');
            quote(sb, c.getValue());
        } else if (type == GetDataCommand.class) {
            GetDataCommand c = (GetDataCommand) command;
            sb.append("GET DATA ");
            quote(sb, c.getFile());
            if (c.getMaxDigits() == 1024) {
                if (c.getTimeout() != 0) {
                    sb.append(' ').append(c.getTimeout());
                }
            } else {
                sb.append(' ').append(c.getTimeout()).append(' ').append(c.getMaxDigits());
            }
        } else if (type == AnswerCommand.class) {
            sb.append("ANSWER");
        } else if (type == HangupCommand.class) {
            sb.append("HANGUP");
            optional(sb, ((HangupCommand) command).getChannel());
        } else if (type == ExecCommand.class) {
            ExecCommand c = (ExecCommand) command;
            sb.append("EXEC ");
            quote(sb, c.getApplication()).append(' ');
            String[] options = c.getOptions();
            if (options == null) {
                sb.append("\"\"");
            } else {
                sb.append('"');
                for (int i = 0; i < options.length; i++) {
                    if (i > 0) {
                        sb.append(',');
                    }
                    escape(sb, options[i] == null ? "null" : options[i]); // StringBuilder.append(null) writes "null"
                }
                sb.append('"');
            }
        } else if (type == GetFullVariableCommand.class) {
            GetFullVariableCommand c = (GetFullVariableCommand) command;
            sb.append("GET FULL VARIABLE ");
            quote(sb, c.getVariable());
            optional(sb, c.getChannel());
        } else if (type == SayDigitsCommand.class) {
            SayDigitsCommand c = (SayDigitsCommand) command;
            sb.append("SAY DIGITS ");
            quote(sb, c.getDigits()).append(' ');
            quote(sb, c.getEscapeDigits());
        } else if (type == SayAlphaCommand.class) {
            SayAlphaCommand c = (SayAlphaCommand) command;
            sb.append("SAY ALPHA ");
            quote(sb, c.getText()).append(' ');
            quote(sb, c.getEscapeDigits());
        } else if (type == SetMusicOnCommand.class) {
            sb.append("SET MUSIC ON");
            optional(sb, ((SetMusicOnCommand) command).getMusicOnHoldClass());
        } else if (type == SetMusicOffCommand.class) {
            sb.append("SET MUSIC OFF");
        } else if (type == VerboseCommand.class) {
            VerboseCommand c = (VerboseCommand) command;
            sb.append("VERBOSE ");
            quote(sb, c.getMessage()).append(' ').append(c.getLevel());
        } else if (type == ChannelStatusCommand.class) {
            sb.append("CHANNEL STATUS");
            optional(sb, ((ChannelStatusCommand) command).getChannel());
        } else {
            sb.append(command.buildCommand()); // RECORD FILE and the rest: rare, Asterisk-Java's own line
        }
    }

    /** The line as a string (tests, error messages). */
    static String of(AgiCommand command) {
        StringBuilder sb = new StringBuilder(64);
        append(sb, command);
        return sb.toString();
    }

    /** A space and the quoted argument, when there is one. */
    private static void optional(StringBuilder sb, String arg) {
        if (arg != null) {
            quote(sb.append(' '), arg);
        }
    }

    /** {@code "arg"}, escaped as Asterisk-Java's escapeAndQuote; null is {@code ""}. */
    static StringBuilder quote(StringBuilder sb, String arg) {
        sb.append('"');
        if (arg != null) {
            escape(sb, arg);
        }
        return sb.append('"');
    }

    private static void escape(StringBuilder sb, String arg) {
        for (int i = 0, n = arg.length(); i < n; i++) {
            char ch = arg.charAt(i);
            switch (ch) {
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                case '\n' -> {
                    // dropped: a newline would end the command
                }
                default -> sb.append(ch);
            }
        }
    }
}
