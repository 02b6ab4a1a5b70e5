package dev.ivr.routing;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Skills-based routing over a Hazelcast cluster. One instance per process, built on the process's
 * Hazelcast member with {@code dev.ivr.routing.hazelcast.HazelcastRouting.start}. Every method is thread-safe and may block (network round trips);
 * call it from virtual threads or worker threads, never from an event loop.
 *
 * <p>Agents, waiting calls, queue definitions and queue statistics live in Hazelcast maps with the
 * configured backups (Hazelcast's default is one), so losing a member loses no agent state and no call
 * owned by a surviving member. A call is owned by the node that enqueued it ({@link #nodeId()}); when a
 * member leaves the cluster its waiting calls are removed and reported as {@link RoutingEvent.CallAbandoned}
 * with reason {@link RoutingEvent#OWNER_LEFT}, and agents that held its calls are freed.
 *
 * <p>A reservation pairs one agent with one call atomically: no agent is ever offered two calls and no
 * call is offered to two agents at once, whatever the number of nodes deciding at the same time.
 */
public interface RoutingService extends AutoCloseable {

    /** This node's id (its Hazelcast member UUID): the owner of the calls it enqueues. */
    String nodeId();

    // ---------------------------------------------------------------- agents

    /** Logs an agent in (or back in, with a new profile); the agent starts NOT_READY with reason "login". */
    Agent login(AgentProfile profile);

    /** NOT_READY or WRAP_UP to READY; the agent is immediately matched with the best waiting call it can serve. */
    Agent ready(String agentId);

    /**
     * To NOT_READY with a reason code. During an offer or a call the request is remembered and applied when
     * the call's wrap-up ends (the agent does not become ready in between).
     */
    Agent notReady(String agentId, String reasonCode);

    /** Ends wrap-up early: READY (or NOT_READY if the agent asked for it during the call). */
    Agent wrapUpDone(String agentId);

    /**
     * Makes the agent's current wrap-up longer by {@code by} (from the later of now and its current end).
     *
     * @throws RoutingException ILLEGAL_STATE unless the agent is in WRAP_UP
     */
    Agent extendWrapUp(String agentId, Duration by);

    /**
     * Replaces a logged-in agent's skills and levels at run time (a supervisor's change). Every member sees the
     * change through the agents map: the next offer, decided anywhere in the cluster, uses it. A ready agent is
     * matched at once with a waiting call the new skills can serve.
     *
     * @throws RoutingException UNKNOWN_AGENT, or ILLEGAL_STATE for a logged-out agent
     */
    Agent changeSkills(String agentId, java.util.Map<String, Integer> skills);

    /** READY, NOT_READY or WRAP_UP to LOGGED_OUT. */
    Agent logout(String agentId);

    /** The current state of an agent, read from the cluster. */
    Optional<Agent> agent(String agentId);

    /** All known agents (including logged-out ones), from this node's replica: may lag by milliseconds. */
    List<Agent> agents();

    // ---------------------------------------------------------------- queues

    /** Publishes new or changed queue definitions (for a configuration reload). */
    void defineQueues(Collection<QueueDefinition> queues);

    /** Every queue with its figures, for supervisors. */
    List<QueueStatus> queues();

    /** The calls waiting in a queue, in the order they will be served. */
    List<WaitingCall> waitingCalls(String queueId);

    // ---------------------------------------------------------------- calls

    /**
     * Whether any logged-in agent could ever take this call, as the matcher would: at some relaxation stage the
     * call reaches before it leaves ({@code maxWait}, or the queue's own maximum wait if shorter; null: no limit),
     * with the call's language. Answered from this node's view of the agents; a caller nobody could serve need
     * not be kept waiting. Throws {@link RoutingException} with {@code UNKNOWN_QUEUE} like {@link #enqueue}.
     */
    boolean anyAgentCouldServe(CallRequest call, Duration maxWait);

    /**
     * Puts a call in its queue, owned by this node, and offers it at once to the best ready agent if there is
     * one. Then wait with {@link #awaitAgent}.
     *
     * @return the call's position right after it was queued
     * @throws RoutingException UNKNOWN_QUEUE, DUPLICATE_CALL
     */
    QueuePosition enqueue(CallRequest request);

    /**
     * Blocks until an agent is reserved for the call, the timeout passes, or the queue's maximum wait is reached.
     * Only the node that enqueued the call can wait for it.
     *
     * @throws RoutingException NOT_OWNER
     */
    WaitResult awaitAgent(String callId, Duration timeout) throws InterruptedException;

    /**
     * Completes when {@link #awaitAgent} would return at once with something else than {@link WaitResult.Waiting}:
     * an agent reserved for the call, the call no longer queued, or its queue's maximum wait reached. No thread waits
     * meanwhile: the future is completed by the thread that saw the change (a cluster event's, or a call's that
     * reserved an agent), so dependent actions must not block (hand them to an executor). Ask {@link #awaitAgent}
     * what happened. Cancel it when no longer interested. Only the node that enqueued the call can watch it; for a
     * call it does not wait for, the future is complete at once.
     */
    CompletableFuture<Void> whenNotWaiting(String callId);

    /**
     * As {@link #whenNotWaiting}, without a future: {@code then} runs once at that change, on the thread that saw it
     * (it must not block: hand the work to an executor), unless the watch is closed first; for a call it does not
     * wait for here, at once on this thread. Closing the watch forgets its listener and its timer and makes no
     * exception, where cancelling {@link #whenNotWaiting}'s future makes one for the future and one for each stage
     * depending on it, each with the stack trace of the cancelling thread: a waiting caller stops watching once or
     * twice in every turn of its wait.
     */
    Watch watchWaiting(String callId, Runnable then);

    /** A watch of {@link #watchWaiting}. */
    interface Watch extends AutoCloseable {
        /** Whether its action ran (or is running): the call stopped waiting. */
        boolean fired();

        /** Stops watching: the action will not run if it has not begun. */
        @Override
        void close();
    }

    /**
     * Takes over a waiting call whose node left the cluster (kept for {@link RoutingOptions#ownerLeftGrace()}), or
     * a call of this node nobody here waits for: the call keeps its place, its enqueue time and its head-of-line
     * mark, this node becomes its owner, and waits for it with {@link #awaitAgent}. A caller resumed on another
     * node and a callback claimed by another node are taken over this way.
     *
     * @return the call's position, empty when the call is not waiting here to be taken (gone, offered to an agent,
     * owned by a member still in the cluster, or already waited for on this node)
     */
    Optional<QueuePosition> adopt(String callId);

    /** Position and estimated wait of a waiting call; empty if it is not waiting. */
    Optional<QueuePosition> position(String callId);

    /**
     * The caller hung up while waiting or while an agent was being offered the call: the call leaves the queue
     * at once (an offered agent becomes ready again) and a {@link RoutingEvent.CallAbandoned} is published.
     *
     * @return false if the call was not in a queue
     */
    boolean cancel(String callId);

    /**
     * The server that queued the call takes it back (a campaign preview its agent skipped): the call leaves the queue
     * at once without counting as abandoned, and an agent it was offered to becomes ready again.
     *
     * @return false if the call was not in a queue (an agent it had been offered to is still freed)
     */
    default boolean withdraw(String callId) {
        return cancel(callId);
    }

    /**
     * The agent answered: agent to ON_CALL, the call leaves the queue. A late answer (the reservation expired and
     * the call went back to its queue, perhaps offered to another agent since) is accepted while the call still
     * waits and the agent is READY (or reserved for it again): an agent it was offered to meanwhile is released. So
     * is an answer whose reservation runs out while it is being recorded; if the call left meanwhile, the agent is
     * not left on it.
     *
     * @return false if the answer is refused (the call was answered by another agent or is gone, or the agent is
     * busy); do not connect
     */
    boolean answered(Reservation reservation);

    /**
     * The offer failed (no answer within the ring time, busy, channel failure): the agent goes NOT_READY with
     * {@code reasonCode} and the call goes back to the head of its queue, offered again to the next agent.
     *
     * @return false if the reservation no longer holds
     */
    boolean offerFailed(Reservation reservation, String reasonCode);

    /**
     * The connected call ended: the agent goes to WRAP_UP for the queue's wrap-up time, then READY (or
     * NOT_READY if asked for during the call).
     *
     * @return false if the agent was not on this call
     */
    boolean callEnded(Reservation reservation);

    // ---------------------------------------------------------------- events

    /**
     * Subscribes to the cluster-wide event stream (a Hazelcast topic): events published by every node, in order
     * per publishing thread, best effort (no replay of events published before the subscription or lost with a
     * member). The listener runs on a Hazelcast event thread: keep it short and non-blocking (hand events over
     * to an event loop or a queue).
     */
    Subscription subscribe(Consumer<? super RoutingEvent> listener);

    /**
     * Subscribes to the events this node publishes, called on the publishing thread before the event goes out to
     * the cluster: each event reaches exactly one node's local subscribers (the one that made it), which is what
     * a durable journal needs. Keep the listener short; it must not call back into routing.
     */
    Subscription subscribeLocal(Consumer<? super RoutingEvent> listener);

    /** A subscription; close it to stop receiving events. */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Stops this node's routing tasks and listeners (the Hazelcast instance stays up). */
    @Override
    void close();
}
