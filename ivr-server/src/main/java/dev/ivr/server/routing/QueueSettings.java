package dev.ivr.server.routing;

/**
 * The queues as the server routes to them: their definitions and whether a queue matches the caller's language
 * (as they are now: {@link LiveQueues}), and the music on hold while the caller waits.
 */
record QueueSettings(LiveQueues queues, String musicClass) {
}
