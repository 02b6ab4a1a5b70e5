package dev.ivr.server.flow.engine;

import dev.ivr.server.crm.CrmStore;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.flow.expr.EvalException;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.Node;
import dev.ivr.server.prompt.PromptAudio;
import java.util.Locale;

/**
 * The {@code identify} node: the CRM looks the caller's number (or the node's) up; a known caller's record
 * fills {@code customer}, may switch the call's language, and starts rendering the prompts that name them.
 */
final class IdentifyStep {
    private final CrmStore crm;
    private final PromptAudio audio;

    IdentifyStep(CrmStore crm, PromptAudio audio) {
        this.crm = crm;
        this.audio = audio;
    }

    Next run(Node.Identify n, FlowEngine.Run run) {
        CallState st = run.st;
        String number = n.number() == null ? (String) st.call.get("ani") : run.render(n.number(), n);
        Identification id = st.info.aniWithheld() && n.number() == null
                ? Identification.of(Identification.Status.WITHHELD) : crm.identify(number);
        if (id.status() == Identification.Status.IDENTIFIED && !id.customers().isEmpty()) {
            st.caller.identified(id.customers().get(0));
            if (st.caller.customer.get("language") instanceof String l && !l.isBlank()
                    && st.frame().flow.languages().contains(l)) {
                run.switchLanguage(l);
                run.observer.event("language " + l + " (customer record)");
            }
            st.setLanguage(st.language); // customer.name as the call's language says it
        } else if (id.status() == Identification.Status.AMBIGUOUS) {
            st.caller.ambiguous(id.customers().size());
        }
        run.observer.event("identify: " + id.status() + (st.caller.customerId == null ? "" : " (customer " + st.caller.customerId + ")"));
        run.observer.identified(id.status().name(), st.caller.customerId);
        if (st.caller.customerId != null) {
            prefetchCustomerPrompts(run);
        }
        String outcome = id.status().name().toLowerCase(Locale.ROOT);
        return Next.to(n.outcomes().target(outcome));
    }

    /**
     * The caller is known: the prompts that speak to them by name (greetings, "thank you,
     * Anna") start rendering now, before the flow reaches them.
     */
    private void prefetchCustomerPrompts(FlowEngine.Run run) {
        String lang = run.language();
        for (Flow f : run.set.flows().values()) {
            f.promptTexts().forEach((langAndId, template) -> {
                if (!langAndId.startsWith(lang + "/") || !template.source().contains("customer.")) {
                    return;
                }
                run.set.prompts().find(langAndId.substring(lang.length() + 1), lang).ifPresent(entry -> {
                    try {
                        audio.prefetch(entry, template.render(run.st.activation()));
                    } catch (EvalException e) {
                        // a prompt that needs more than is known yet: rendered when it is said
                    }
                });
            });
        }
    }
}
