package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.model.Node;

/** The nodes that only speak: {@code say} (a prompt) and {@code play} (a sound file); a key pressed over them is typed ahead. */
final class PromptSteps {

    Next say(Node.Say n, FlowEngine.Run run) {
        run.say(n.prompt(), n.bargeIn() ? FlowEngine.ALL_KEYS : "", n).ifPresent(run::typeAhead);
        return Next.to(n.next());
    }

    Next play(Node.Play n, FlowEngine.Run run) {
        run.observer.prompt(n.transcript() != null ? n.transcript() : "[sound: " + n.sound() + "]", null);
        run.channel.play(n.sound(), n.bargeIn() ? FlowEngine.ALL_KEYS : "").ifPresent(run::typeAhead);
        return Next.to(n.next());
    }
}
