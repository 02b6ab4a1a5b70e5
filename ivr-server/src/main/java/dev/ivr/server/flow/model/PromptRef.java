package dev.ivr.server.flow.model;

import dev.ivr.server.flow.yaml.Problem.Pos;
import dev.ivr.server.flow.expr.Template;

/** What a node says: a prompt of the catalog (by id), or inline text. Exactly one is set. */
public record PromptRef(String id, Template text, Pos pos) {
    public static PromptRef ofId(String id, Pos pos) {
        return new PromptRef(id, null, pos);
    }

    public static PromptRef ofText(Template text, Pos pos) {
        return new PromptRef(null, text, pos);
    }

    /** A short description for graphs: the id, or the text in quotes. */
    public String label() {
        return id != null ? id : "\"" + text.source() + "\"";
    }
}
