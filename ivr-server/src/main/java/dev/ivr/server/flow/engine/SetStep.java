package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.expr.Expr;
import dev.ivr.server.flow.expr.Template;
import dev.ivr.server.flow.model.Node;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The {@code set} node: flow variables, the call's language, channel variables (one line each). */
final class SetStep {
    private static final Logger LOG = LoggerFactory.getLogger(FlowEngine.class);

    private static final Pattern LANGUAGE = Pattern.compile("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?");

    /** CR and LF as spaces (a channel variable's value is one AGI line); the string itself when it has none. */
    static String oneLine(String value) {
        return value.indexOf('\r') < 0 && value.indexOf('\n') < 0 ? value : value.replace('\r', ' ').replace('\n', ' ');
    }

    Next run(Node.SetVars n, FlowEngine.Run run) {
        CallState st = run.st;
        for (Map.Entry<String, Expr> e : n.vars().entrySet()) {
            st.frame().vars.put(e.getKey(), run.eval(e.getValue(), n));
        }
        if (n.language() != null) {
            String lang = run.render(n.language(), n).trim();
            if (LANGUAGE.matcher(lang).matches()) {
                run.switchLanguage(lang);
                run.observer.event("language " + lang);
            } else {
                LOG.warn("[{}] '{}' is not a language code: language stays {}", n.id(), lang, st.language);
            }
        }
        for (Map.Entry<String, Template> e : n.channel().entrySet()) {
            run.channel.setVariable(e.getKey(), oneLine(run.render(e.getValue(), n)));
        }
        return Next.to(n.next());
    }
}
