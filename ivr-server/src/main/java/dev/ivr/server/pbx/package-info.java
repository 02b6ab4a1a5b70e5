/**
 * Asterisk's manager interface (AMI): the connection ({@link dev.ivr.server.pbx.AmiConnection}),
 * callbacks placed with {@code Originate} ({@link dev.ivr.server.pbx.AmiOriginator}), and agent
 * states kept true to the phones from device-state, contact and hang-up events and a
 * reconciliation at every login ({@link dev.ivr.server.pbx.AgentPhones}); with several PBXs one of each per PBX,
 * and {@link dev.ivr.server.pbx.Pbxs} says which PBX a call, an endpoint and each AMI action belong to.
 */
package dev.ivr.server.pbx;
