package dev.ivr.loadgen.baseline;

import org.asteriskjava.fastagi.AgiChannel;
import org.asteriskjava.fastagi.AgiException;
import org.asteriskjava.fastagi.AgiHangupException;
import org.asteriskjava.fastagi.AgiReader;
import org.asteriskjava.fastagi.AgiWriter;
import org.asteriskjava.fastagi.command.NoopCommand;
import org.asteriskjava.fastagi.command.WaitForDigitCommand;
import org.asteriskjava.fastagi.reply.AgiReply;

import java.lang.reflect.Field;
import java.util.function.BooleanSupplier;

/**
 * {@code WAIT FOR DIGIT} that another thread cuts short with a {@code NOOP}, as ivr's router cuts a waiting caller's
 * wait when an agent is reserved: Asterisk ends the wait with {@code result=1} when the next command arrives, then
 * answers the NOOP. Asterisk-Java's channel sends one command at a time (its {@code sendCommand} is synchronized and
 * waits for the reply), so the wait is written and read with the channel's own writer and reader, taken from
 * {@code AgiChannelImpl}; the NOOP is written only once the wait is written and before its reply is read.
 */
final class CuttableWait {
    private final AgiWriter writer;
    private final AgiReader reader;
    private final Object lock = new Object();
    private boolean armed;
    private boolean cut;

    private CuttableWait(AgiWriter writer, AgiReader reader) {
        this.writer = writer;
        this.reader = reader;
    }

    /** The wait of a channel of Asterisk-Java's FastAGI server. */
    static CuttableWait of(AgiChannel ch) {
        try {
            return new CuttableWait((AgiWriter) field(ch, "agiWriter"), (AgiReader) field(ch, "agiReader"));
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("not Asterisk-Java's AgiChannelImpl: " + ch.getClass(), e);
        }
    }

    private static Object field(Object o, String name) throws ReflectiveOperationException {
        for (Class<?> c = o.getClass(); c != null; c = c.getSuperclass()) {
            try {
                Field f = c.getDeclaredField(name);
                f.setAccessible(true);
                return f.get(o);
            } catch (NoSuchFieldException e) {
                // the superclass's
            }
        }
        throw new NoSuchFieldException(name);
    }

    /**
     * WAIT FOR DIGIT for {@code millis}, cut by {@link #cut}; not sent when {@code stopped} already says so, cut at
     * once when it does once the wait is written (a cut that came before the wait was written did nothing).
     *
     * @return the key, or 0 (timed out, cut, or not sent)
     */
    char waitForDigit(long millis, BooleanSupplier stopped) throws AgiException {
        if (stopped.getAsBoolean()) {
            return 0;
        }
        synchronized (lock) {
            writer.sendCommand(new WaitForDigitCommand(millis));
            armed = true;
            cut = false;
            if (stopped.getAsBoolean()) {
                cutLocked();
            }
        }
        AgiReply r;
        boolean wasCut;
        try {
            r = reader.readReply();
        } finally {
            synchronized (lock) {
                armed = false;
                wasCut = cut;
            }
        }
        if (wasCut) {
            reader.readReply(); // the NOOP's, also when the wait had ended on its own just before it arrived
        }
        if (r.getStatus() == 511) {
            throw new AgiHangupException();
        }
        return wasCut && r.getResultCode() == 1 ? 0 : r.getResultCodeAsChar();
    }

    /** Cuts the wait being made, if any (any thread). */
    void cut() {
        synchronized (lock) {
            cutLocked();
        }
    }

    private void cutLocked() {
        if (armed && !cut) {
            try {
                writer.sendCommand(new NoopCommand());
                cut = true;
            } catch (AgiException e) {
                // the connection is gone: the wait's reader finds out
            }
        }
    }
}
