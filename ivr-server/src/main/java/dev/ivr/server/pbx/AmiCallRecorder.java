package dev.ivr.server.pbx;

import dev.ivr.server.call.CallRecorder;
import org.asteriskjava.manager.action.ManagerAction;
import org.asteriskjava.manager.action.MixMonitorAction;
import org.asteriskjava.manager.action.MixMonitorMuteAction;
import org.asteriskjava.manager.action.StopMixMonitorAction;
import org.asteriskjava.manager.response.ManagerResponse;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;

/**
 * {@link CallRecorder} over AMI, the actions of Asterisk 20's {@code apps/app_mixmonitor.c}:
 * <ul>
 *   <li>{@code MixMonitor} with {@code Channel}, {@code File} (no options: both directions, mixed,
 *       for as long as the channel lives or until stopped). Asterisk answers {@code Success}, or
 *       {@code Error} "No such channel" / "Could not start monitoring channel".</li>
 *   <li>{@code MixMonitorMute} with {@code Direction: both}, {@code State: 1|0}: silence replaces the
 *       audio while muted (the file keeps its timing). "Cannot set mute flag" when the channel has
 *       no recording.</li>
 *   <li>{@code StopMixMonitor}: the file is closed. "Could not stop monitoring channel" when none runs.</li>
 * </ul>
 * ({@code PauseMonitor} belongs to the old {@code Monitor} application, not MixMonitor.)
 */
public final class AmiCallRecorder implements CallRecorder {
    private static final Logger LOG = LoggerFactory.getLogger(AmiCallRecorder.class);
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final AmiConnection ami;

    public AmiCallRecorder(AmiConnection ami) {
        this.ami = ami;
    }

    /** A channel name or unique id safe as an AMI header value (one line). */
    static String channel(String channel) {
        if (channel == null || !channel.matches("[A-Za-z0-9/@;._+:-]{1,200}")) {
            throw new IllegalArgumentException("not a channel name or unique id: " + channel);
        }
        return channel;
    }

    /**
     * Tells {@code callEnded} the unique id of every channel that hangs up (AMI {@code Hangup} events: the
     * AMI user reads the {@code call} class), on the connection's event thread.
     */
    public static void onHangup(AmiConnection ami, java.util.function.Consumer<String> callEnded) {
        ami.addListener(e -> {
            if (e instanceof org.asteriskjava.manager.event.HangupEvent h && h.getUniqueId() != null) {
                callEnded.accept(h.getUniqueId());
            }
        });
    }

    static MixMonitorAction startAction(String channel, String file) {
        if (file == null || !file.matches("/[A-Za-z0-9/._-]{1,400}")) {
            throw new IllegalArgumentException("not a recording file path: " + file);
        }
        MixMonitorAction a = new MixMonitorAction();
        a.setChannel(channel(channel));
        a.setFile(file);
        return a;
    }

    static MixMonitorMuteAction muteAction(String channel, boolean muted) {
        MixMonitorMuteAction a = new MixMonitorMuteAction();
        a.setChannel(channel(channel));
        a.setDirection("both");
        a.setState(muted ? 1 : 0);
        return a;
    }

    @Override
    public void start(String channel, String file) {
        send(startAction(channel, file), "MixMonitor");
        LOG.info("AMI: recording {} into {}", channel, file);
    }

    @Override
    public void mute(String channel, boolean muted) {
        send(muteAction(channel, muted), "MixMonitorMute");
        LOG.info("AMI: recording of {} {}", channel, muted ? "paused" : "resumed");
    }

    @Override
    public void stop(String channel) {
        send(new StopMixMonitorAction(channel(channel)), "StopMixMonitor");
        LOG.info("AMI: recording of {} stopped", channel);
    }

    private void send(ManagerAction action, String name) {
        ManagerResponse r;
        try {
            r = ami.request(action, TIMEOUT);
        } catch (IllegalStateException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("AMI " + name + " failed: " + e.getMessage(), e);
        }
        if (r == null || !"Success".equalsIgnoreCase(r.getResponse())) {
            throw new IllegalStateException("AMI " + name + " refused: " + (r == null ? "no answer" : r.getMessage()));
        }
    }
}
