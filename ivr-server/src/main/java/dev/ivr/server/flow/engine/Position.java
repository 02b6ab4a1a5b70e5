package dev.ivr.server.flow.engine;

import dev.ivr.server.flow.model.Flow;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;

/**
 * Where a call is: a stack of frames (one per subflow level, the running one on top), the path of nodes it went
 * through, and how many nodes ran since the caller last gave input (the runaway-loop guard).
 */
final class Position {
    private final Deque<CallState.Frame> stack = new ArrayDeque<>();
    private final List<String> path = new ArrayList<>();
    private int nodesSinceInput;

    /** The running frame (null before the first is entered). */
    CallState.Frame frame() {
        return stack.peek();
    }

    /** How many frames are open (1: no subflow). */
    int depth() {
        return stack.size();
    }

    boolean isEmpty() {
        return stack.isEmpty();
    }

    /** The bottom frame's flow: the one the call started in (or went to with goto); null before any. */
    Flow bottomFlow() {
        return stack.isEmpty() ? null : stack.getLast().flow;
    }

    /** A subflow starts (or the first flow): its frame runs from now on. */
    void enter(CallState.Frame f) {
        stack.push(f);
    }

    /** The running frame ends (a return): its caller runs again; the ended frame is returned. */
    CallState.Frame leave() {
        return stack.pop();
    }

    /** A goto to another flow: the running frame is replaced; the old one is returned. */
    CallState.Frame replace(CallState.Frame f) {
        CallState.Frame old = stack.pop();
        stack.push(f);
        return old;
    }

    /** The running frame continues at {@code node}. */
    void moveTo(String node) {
        stack.peek().node = node;
    }

    /** Frames from the bottom (the first flow) up. */
    Iterator<CallState.Frame> bottomUp() {
        return stack.descendingIterator();
    }

    /** A node was reached: it goes into the path (prefixed with its flow inside a subflow). */
    void visit(CallState.Frame f, String nodeId) {
        path.add(stack.size() > 1 ? f.flow.name() + "/" + nodeId : nodeId);
    }

    /** The nodes run so far, in order (live: the caller copies it when it keeps it). */
    List<String> path() {
        return path;
    }

    /** One more node without caller input; returns how many in a row now. */
    int countNodeWithoutInput() {
        return ++nodesSinceInput;
    }

    /** The node takes caller input: the runaway count starts over. */
    void inputTaken() {
        nodesSinceInput = 0;
    }
}
