package dev.ivr.server.flow.engine;

/** What a node decided: the node to run next in the current frame, or the end of the call. */
record Next(String node, boolean end) {
    static final Next END = new Next(null, true);

    static Next to(String node) {
        return new Next(node, false);
    }
}
