/**
 * The call context: what the IVR learned about a call ({@link dev.ivr.server.callcontext.CallContext}), kept
 * in the cluster for the agent who takes it ({@link dev.ivr.server.callcontext.CallContexts}), the signed
 * token that names it in a SIP header ({@link dev.ivr.server.callcontext.ContextTokens}), and the screen pops
 * that announce it ({@link dev.ivr.server.callcontext.ScreenPops}, published on a cluster topic as
 * {@link dev.ivr.server.callcontext.DeskMessage}s). Routing produces it; the agent desk ({@code desk}) is one
 * adapter that shows it.
 */
package dev.ivr.server.callcontext;
