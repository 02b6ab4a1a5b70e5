/**
 * Skills-based routing: agents and their states, queues, waiting calls and the matcher that
 * pairs them, with shared state in Hazelcast. This library knows nothing about telephony.
 */
package dev.ivr.routing;
