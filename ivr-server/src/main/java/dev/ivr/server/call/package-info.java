/**
 * The call's channel: the single interface between call logic (flows, diagnostics) and
 * telephony. Implemented over FastAGI in {@code dev.ivr.server.agi}.
 */
package dev.ivr.server.call;
