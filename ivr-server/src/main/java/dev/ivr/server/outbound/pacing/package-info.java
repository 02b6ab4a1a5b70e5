/**
 * How many calls an agent-handled campaign places now: {@link dev.ivr.server.outbound.pacing.Pacing}
 * (progressive: one call per ready agent; predictive: more, from the measured answer rate, connect
 * time and handle time, held under an abandon-rate cap over a rolling window). Pure logic with no
 * telephony: the campaign dialer and the pacing simulation benchmark drive the same classes.
 */
package dev.ivr.server.outbound.pacing;
