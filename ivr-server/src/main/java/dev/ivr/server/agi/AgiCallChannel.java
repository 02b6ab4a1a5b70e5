package dev.ivr.server.agi;

import dev.ivr.server.call.CallChannel;
import dev.ivr.server.call.CallFailedException;
import dev.ivr.server.call.CallInfo;
import dev.ivr.server.call.CallerHungUpException;
import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.InvalidCommandSyntaxException;
import org.asteriskjava.fastagi.InvalidOrUnknownCommandException;
import org.asteriskjava.fastagi.command.AgiCommand;
import org.asteriskjava.fastagi.command.AnswerCommand;
import org.asteriskjava.fastagi.command.ChannelStatusCommand;
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
import org.asteriskjava.fastagi.reply.AgiReply;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Optional;

/**
 * {@link CallChannel} over a FastAGI connection, with Asterisk 20's replies read as
 * docs/asterisk-behaviour.md describes: {@code result=-1} or {@code 511} mean the caller hung up,
 * DTMF comes back as the key's ASCII code, GET DATA's {@code (timeout)} marks a timeout.
 * A prompt that answers {@code result=-1} while the channel is still up is a file Asterisk could
 * not open (missing, unreadable for Asterisk's user): logged, and the flow goes on as if it had
 * played; {@code -1} with the channel gone is the caller's hang-up.
 */
final class AgiCallChannel implements CallChannel {
    private static final Logger LOG = LoggerFactory.getLogger(AgiCallChannel.class);
    /** WAIT FOR DIGIT's result when a command arrived on the AGI socket during the wait (no key is below 48). */
    private static final int CUT_BY_A_COMMAND = 1;
    private final CallInfo info;
    private final AgiChannel agi;
    private final AgiSocket socket;
    private boolean answered;
    private boolean hungUp;

    AgiCallChannel(CallInfo info, AgiChannel agi, AgiSocket socket) {
        this.info = info;
        this.agi = agi;
        this.socket = socket;
    }

    @Override
    public CallInfo info() {
        return info;
    }

    @Override
    public void answer() {
        if (!answered) {
            send(new AnswerCommand(), true);
            answered = true;
        }
    }

    @Override
    public Optional<Character> play(String file, String escapeDigits) {
        requireFile(file);
        return prompt(send(new StreamFileCommand(file, escapeDigits == null ? "" : escapeDigits), true), file);
    }

    @Override
    public Optional<Character> playUntil(String file, String escapeDigits, java.util.concurrent.CompletableFuture<?> stop) {
        requireFile(file);
        if (stop.isDone()) {
            return Optional.empty();
        }
        socket.armInterrupt(stop::isDone);
        stop.whenComplete((v, e) -> socket.interrupt());
        AgiReply r = null;
        boolean cut;
        try {
            r = send(new StreamFileCommand(file, escapeDigits == null ? "" : escapeDigits), true);
        } finally {
            // a reply with endpos is the prompt's own; without, it is the interrupting NOOP's
            boolean own = r == null || r.getAttribute("endpos") != null;
            cut = socket.disarm(own) && !own;
        }
        return cut ? Optional.empty() : prompt(r, file);
    }

    @Override
    public Digits readDigits(String promptFile, Duration timeout, int maxDigits) {
        if (promptFile == null) {
            throw new IllegalArgumentException("no prompt: give \"\" for none");
        }
        if (!CallChannel.readsDigits(maxDigits, timeout)) {
            throw new IllegalArgumentException("GET DATA needs 1 to " + MAX_DIGITS + " digits and a positive timeout: "
                    + maxDigits + ", " + timeout);
        }
        AgiReply r = send(new GetDataCommand(promptFile, timeout.toMillis(), maxDigits), true);
        String digits = r.getResult() == null ? "" : r.getResult();
        if (digits.equals("-1")) {
            if (promptFile.isEmpty()) {
                throw hungUp(); // nothing to play: only a hang-up (or a failed wait on the channel) answers -1
            }
            notPlayed(promptFile); // the caller hung up, or Asterisk could not open the prompt
            return new Digits("", true);
        }
        return new Digits(digits, "timeout".equals(r.getExtra()));
    }

    @Override
    public Optional<Character> waitForDigit(Duration timeout) {
        return key(send(new WaitForDigitCommand(timeout.toMillis()), true));
    }

    /**
     * WAIT FOR DIGIT, cut by a NOOP when {@code stop} completes. Asterisk (res_agi.c, handle_waitfordigit) always
     * answers WAIT FOR DIGIT: a command arriving on the AGI socket during the wait ends it with {@code result=1} (no
     * key: keys are their ASCII codes, 48 and up), then the NOOP gets its own reply, which is skipped. When the wait
     * had ended on its own (time-out, key, hang-up) just before the NOOP arrived, its reply is the usual one and the
     * NOOP's reply that follows is skipped all the same.
     */
    @Override
    public Optional<Character> waitForDigitUntil(Duration timeout, java.util.concurrent.CompletableFuture<?> stop) {
        if (stop.isDone()) {
            return Optional.empty();
        }
        socket.armInterrupt(stop::isDone);
        stop.whenComplete((v, e) -> socket.interrupt());
        AgiReply r;
        boolean cut;
        try {
            r = send(new WaitForDigitCommand(timeout.toMillis()), true);
        } finally {
            cut = socket.disarm(true); // the reply read is WAIT FOR DIGIT's own: a NOOP's is still to come
        }
        return cut && r.getResultCode() == CUT_BY_A_COMMAND ? Optional.empty() : key(r);
    }

    @Override
    public Optional<Character> sayDigits(String digits, String escapeDigits) {
        return prompt(send(new SayDigitsCommand(digits, escapeDigits == null ? "" : escapeDigits), true), "digits " + digits);
    }

    @Override
    public Optional<Character> sayAlpha(String text, String escapeDigits) {
        return prompt(send(new SayAlphaCommand(text, escapeDigits == null ? "" : escapeDigits), true), "letters of " + text);
    }

    @Override
    public void musicOnHold(boolean on, String musicClass) {
        send(on ? (musicClass == null || musicClass.isBlank() ? new SetMusicOnCommand() : new SetMusicOnCommand(musicClass))
                : new SetMusicOffCommand(), true);
    }

    @Override
    public void setVariable(String name, String value) {
        send(new SetVariableCommand(name, value), false);
    }

    @Override
    public Optional<String> getVariable(String name) {
        // GET FULL VARIABLE evaluates ${name}, so dialplan functions such as CALLERID(name) work too
        AgiReply r = send(new GetFullVariableCommand("${" + name + "}"), false);
        if (r.getResultCode() != 1) {
            return Optional.empty();
        }
        String v = r.getExtra();
        return v == null || v.isEmpty() ? Optional.empty() : Optional.of(v);
    }

    @Override
    public int exec(String application, String arguments) {
        AgiReply r = send(arguments == null || arguments.isEmpty()
                ? new ExecCommand(application) : new ExecCommand(application, arguments), false);
        return r.getResultCode();
    }

    @Override
    public Recording record(String file, String format, String escapeDigits, Duration maxDuration,
                            Duration silence, boolean beep) {
        AgiReply r = send(new RecordFileCommand(file, format, escapeDigits == null ? "" : escapeDigits,
                (int) maxDuration.toMillis(), 0, beep, (int) silence.toSeconds()), true);
        if (r.getResultCode() == -1) {
            throw hungUp();
        }
        long end = parseLong(r.getAttribute("endpos"));
        Optional<Character> key = r.getResultCode() > 0 ? Optional.of((char) r.getResultCode()) : Optional.empty();
        return new Recording(key, "timeout".equals(r.getExtra()), end);
    }

    @Override
    public void verbose(String message, int level) {
        send(new VerboseCommand(message.replace('\n', ' '), level), false);
    }

    @Override
    public void hangup() {
        if (hungUp) {
            return;
        }
        try {
            send(new HangupCommand(), false);
        } catch (CallerHungUpException e) {
            // already gone: fine
        }
        hungUp = true;
    }

    @Override
    public boolean isHungUp() {
        return hungUp || socket.hangupReceived();
    }

    private Optional<Character> key(AgiReply r) {
        int code = r.getResultCode();
        if (code == -1) {
            throw hungUp();
        }
        return code > 0 ? Optional.of((char) code) : Optional.empty();
    }

    /** The reply of a prompt: the key that stopped it, nothing, or (-1) a hang-up or a file Asterisk could not play. */
    private Optional<Character> prompt(AgiReply r, String what) {
        if (r.getResultCode() == -1) {
            notPlayed(what);
            return Optional.empty();
        }
        return key(r);
    }

    /**
     * A prompt answered -1: Asterisk ends a prompt so when the caller hangs up and when it cannot
     * open the file; CHANNEL STATUS tells which (a hung-up channel answers 511).
     */
    private void notPlayed(String what) {
        if (!socket.hangupReceived() && !hungUp) {
            try {
                AgiReply status = agi.sendCommand(new ChannelStatusCommand());
                if (status.getResultCode() >= 0 && !socket.hangupReceived()) {
                    LOG.warn("Asterisk could not play {} (the channel is up): does the file exist in a format Asterisk "
                            + "reads, and may Asterisk's user read it?", what);
                    return;
                }
            } catch (AgiException e) {
                // 511 or a closed connection: gone
            }
        }
        throw hungUp();
    }

    private CallerHungUpException hungUp() {
        hungUp = true;
        return new CallerHungUpException();
    }

    /**
     * Sends a command. {@code needsChannel}: a command that touches the channel, which fails
     * at once once the caller has hung up (Asterisk would answer 511).
     */
    private AgiReply send(AgiCommand command, boolean needsChannel) {
        if (needsChannel && isHungUp()) {
            throw hungUp();
        }
        try {
            return agi.sendCommand(command);
        } catch (AgiHangupException e) {
            if (socket.cutByServer()) {
                throw cut(e);
            }
            if (socket.protocolError() != null) {
                throw new CallFailedException("AGI connection ended: " + socket.protocolError(), e);
            }
            if (socket.peerClosed() && !socket.hangupReceived() && !hungUp) {
                throw new CallFailedException("the PBX closed the AGI connection", e);
            }
            throw hungUp();
        } catch (InvalidOrUnknownCommandException e) {
            throw new CallFailedException("the PBX does not know the command: " + command.buildCommand(), e);
        } catch (InvalidCommandSyntaxException e) {
            throw new CallFailedException("the PBX refused the syntax of: " + command.buildCommand(), e);
        } catch (AgiException e) {
            if (socket.cutByServer()) {
                throw cut(e);
            }
            throw new CallFailedException("AGI command failed: " + e.getMessage(), e);
        }
    }

    /** The server stopped and its drain time ran out: the call failed on our side; the caller did not hang up. */
    private static CallFailedException cut(Exception e) {
        return new CallFailedException("the server stopped and cut the call at the end of its drain time (agi.drain-time)", e);
    }

    private static void requireFile(String file) {
        if (file == null || file.isBlank()) {
            throw new IllegalArgumentException("no sound file given");
        }
    }

    private static long parseLong(String s) {
        try {
            return s == null ? 0 : Long.parseLong(s.trim());
        } catch (NumberFormatException e) {
            return 0;
        }
    }
}
