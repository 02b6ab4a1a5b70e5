package dev.ivr.server.flow.model;

import dev.ivr.server.flow.expr.Template;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A checked flow, ready to run: immutable, one per version of a file. Calls keep the version
 * they started with.
 *
 * @param name             the file name without .yaml: agi://host/NAME
 * @param version          first 12 hex digits of the SHA-256 of the file
 * @param languages        languages offered; the first is the default
 * @param variables        the flow's own variables with their initial values
 * @param channelVariables channel variables read at the start into call.vars
 * @param nodes            by id, in file order
 * @param secretInputs     names of inputs collected with secret: true
 * @param promptTexts      texts of the catalog prompts it uses, as templates, by language/id
 */
public record Flow(String name, Path file, String version, String description, String start,
                   List<String> languages, Map<String, Object> variables, List<String> channelVariables,
                   Map<String, Node> nodes, Set<String> secretInputs, Map<String, Template> promptTexts) {

    /** The catalog text of a prompt in a language, compiled for this flow (null when it has none). */
    public Template promptText(String language, String id) {
        return promptTexts.get(language + "/" + id);
    }

    public Node node(String id) {
        return nodes.get(id);
    }
}
