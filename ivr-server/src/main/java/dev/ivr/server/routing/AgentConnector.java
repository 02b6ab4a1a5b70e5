package dev.ivr.server.routing;

import dev.ivr.server.callcontext.Transfers;

import dev.ivr.server.callcontext.CallContexts;
import dev.ivr.server.callcontext.ContextTokens;
import dev.ivr.server.callcontext.ScreenPops;

/**
 * What connecting a waiting call to its reserved agent takes: how the agent's leg is dialled (by the call, or
 * handed to the dialplan), the call context built for the agent and kept in the cluster with its signed token,
 * the screen pops, the offer and answer records, the watch over dialplan-mode offers, this node's name, and the
 * transfers agents ask for (with the dialplan context of transfers to outside numbers).
 */
record AgentConnector(AgentLeg agentLeg, boolean dialplanMode, ContextFactory contexts, CallContexts callContexts,
                      ContextTokens tokens, ScreenPops screenPops, Offers offers, Answers answers,
                      DialplanWatch dialplanWatch, String nodeName, Transfers transfers, String transferContext) {
}
