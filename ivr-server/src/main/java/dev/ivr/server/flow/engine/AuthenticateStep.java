package dev.ivr.server.flow.engine;

import dev.ivr.server.crm.Authentication;
import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.flow.model.Node;
import java.time.Duration;
import java.util.Locale;

/**
 * The {@code authenticate} node: account (typed, or from the node) and PIN checked by the CRM, up to the
 * node's attempts (fewer when the account locks); the result fills {@code auth} and, when OK, {@code customer}.
 */
final class AuthenticateStep {
    private final CrmStore crm;

    AuthenticateStep(CrmStore crm) {
        this.crm = crm;
    }

    Next run(Node.Authenticate n, FlowEngine.Run run) {
        CallState st = run.st;
        String account = null;
        for (int attempt = 1; attempt <= n.attempts(); attempt++) {
            if (account == null || n.account() == null) {
                account = n.account() != null ? run.render(n.account(), n).trim()
                        : run.digits(n.accountPrompt(), true, n.accountMaxLength(), "#", n.timeout(), Duration.ofSeconds(3), n);
            }
            String pin = account.isEmpty() ? "" : pin(n, run);
            Authentication a;
            if (account.isEmpty() || pin.isEmpty()) {
                run.observer.event("authenticate: no input");
                a = null;
            } else {
                a = crm.authenticate(account, pin, st.info.uniqueId());
                run.observer.event("authenticate account " + account + ": " + a.status());
            }
            if (a != null && a.status() != Authentication.Status.FAILED) {
                return authResult(n, a, account, run);
            }
            st.caller.authFailed(account, a == null ? (long) (n.attempts() - attempt) : (long) a.attemptsLeft());
            if (a != null && a.attemptsLeft() <= 0) {
                break;
            }
            if (attempt < n.attempts()) {
                run.say(n.failedPrompt(), "", n);
            }
        }
        run.observer.authenticated("FAILED");
        return Next.to(n.outcomes().target("failed"));
    }

    /** The PIN, typed while the call's recording (if any) is paused. */
    @SuppressWarnings("try") // the pause is held, not used
    private static String pin(Node.Authenticate n, FlowEngine.Run run) {
        try (var paused = run.pauseRecording()) {
            return run.digits(n.pinPrompt(), true, n.pinMaxLength(), "#", n.timeout(), Duration.ofSeconds(3), n);
        }
    }

    private static Next authResult(Node.Authenticate n, Authentication a, String account, FlowEngine.Run run) {
        CallState st = run.st;
        run.observer.authenticated(a.status().name());
        st.caller.authenticated(a, account);
        if (a.status() == Authentication.Status.OK && a.customer() != null) {
            st.setLanguage(st.language); // customer.name as the call's language says it
        }
        return Next.to(n.outcomes().target(a.status().name().toLowerCase(Locale.ROOT)));
    }
}
