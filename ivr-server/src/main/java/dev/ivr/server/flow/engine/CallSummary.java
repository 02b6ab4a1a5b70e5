package dev.ivr.server.flow.engine;

import dev.ivr.server.crm.Interaction;

import java.util.List;
import java.util.Map;

/**
 * How a call went, for the simulator and flow tests.
 *
 * @param path      nodes in order ({@code flow/node} inside subflows)
 * @param variables the flow's own variables at the end (of the flow the call ended in)
 * @param inputs    collected inputs, secrets masked
 * @param customer  the customer map flows saw
 * @param auth      the auth map flows saw
 */
public record CallSummary(List<String> path, Map<String, Object> variables, Map<String, String> inputs,
                          Map<String, Object> customer, Map<String, Object> auth, Interaction interaction) {
}
