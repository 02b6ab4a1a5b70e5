package dev.ivr.fakepbx;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * How a call ended, as the PBX saw it.
 *
 * @param agiStatus     what the dialplan's AGISTATUS would be
 * @param hungUpBy      who hung up, or {@code NOBODY} if the server just ended the script
 * @param commands      every command the server sent, in order
 * @param variables     channel variables at the end (those set by the server included)
 * @param error         a connection or protocol problem seen by the PBX, or null
 * @param dials         the channels {@code EXEC Dial} rang, in order
 */
public record CallResult(String uniqueId, AgiStatus agiStatus, HungUpBy hungUpBy, List<AgiCommand> commands,
                         Map<String, String> variables, String error, List<DialedLeg> dials) {

    public enum HungUpBy { NOBODY, CALLER, SERVER }

    /** The files the caller heard (STREAM FILE, CONTROL STREAM FILE, GET DATA, GET OPTION prompts). */
    public List<String> prompts() {
        return commands.stream()
                .filter(c -> switch (c.name()) {
                    case "STREAM FILE", "CONTROL STREAM FILE", "GET DATA", "GET OPTION" -> true;
                    default -> false;
                })
                .map(c -> c.arg(0, ""))
                .collect(Collectors.toList());
    }

    /** The command names in order, e.g. [ANSWER, STREAM FILE, GET DATA, HANGUP]. */
    public List<String> commandNames() {
        return commands.stream().map(AgiCommand::name).collect(Collectors.toList());
    }

    public List<AgiCommand> commands(String name) {
        return commands.stream().filter(c -> c.name().equals(name)).collect(Collectors.toList());
    }

    public List<AgiCommand> execs(String app) {
        return commands.stream().filter(c -> c.isExec(app)).collect(Collectors.toList());
    }

    public String variable(String name) {
        return variables.get(name);
    }
}
