package dev.ivr.server.pbx;

import dev.ivr.server.outbound.CallRedirect;
import org.asteriskjava.manager.action.RedirectAction;
import org.asteriskjava.manager.response.ManagerResponse;

import java.time.Duration;

/** {@link CallRedirect} over AMI: the {@code Redirect} action (Asterisk answers "Redirect successful" or an error). */
public final class AmiRedirect implements CallRedirect {
    private static final Duration TIMEOUT = Duration.ofSeconds(5);

    private final AmiConnection ami;

    public AmiRedirect(AmiConnection ami) {
        this.ami = ami;
    }

    @Override
    public void redirect(String channel, String context, String exten) {
        if (channel == null || channel.isBlank()) {
            throw new IllegalStateException("no channel name to redirect");
        }
        ManagerResponse r;
        try {
            r = ami.request(new RedirectAction(channel, context, exten, 1), TIMEOUT);
        } catch (IllegalStateException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("AMI Redirect interrupted", e);
        } catch (Exception e) {
            throw new IllegalStateException("AMI Redirect failed: " + e.getMessage(), e);
        }
        if (r == null || "Error".equalsIgnoreCase(r.getResponse())) {
            throw new IllegalStateException("AMI Redirect refused: " + (r == null ? "no answer" : r.getMessage()));
        }
    }
}
