package dev.ivr.server.routing;

import dev.ivr.routing.Agent;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.CallRequest;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.QueuePosition;
import dev.ivr.routing.QueueStatus;
import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.RoutingService;
import dev.ivr.routing.WaitResult;
import dev.ivr.routing.WaitingCall;
import dev.ivr.server.wire.OffCallThread;

import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The routing service as the calls use it: every operation that reads or writes the cluster's maps runs off the
 * call's virtual thread ({@link OffCallThread}), so that a waiting caller's thread does not keep a Hazelcast
 * serialization buffer (4 KB) for the call's length. Waiting for an agent ({@link #awaitAgent}, a wait on this node's
 * own waiter), the local watches and the questions this node's view answers ({@link #position},
 * {@link #anyAgentCouldServe}) stay on the caller's thread. Results, exceptions and order are the service's.
 */
final class OffCallThreadRouting implements RoutingService {
    private final RoutingService service;

    OffCallThreadRouting(RoutingService service) {
        this.service = service;
    }

    @Override
    public String nodeId() {
        return service.nodeId();
    }

    @Override
    public Agent login(AgentProfile profile) {
        return OffCallThread.call(() -> service.login(profile));
    }

    @Override
    public Agent ready(String agentId) {
        return OffCallThread.call(() -> service.ready(agentId));
    }

    @Override
    public Agent notReady(String agentId, String reasonCode) {
        return OffCallThread.call(() -> service.notReady(agentId, reasonCode));
    }

    @Override
    public Agent wrapUpDone(String agentId) {
        return OffCallThread.call(() -> service.wrapUpDone(agentId));
    }

    @Override
    public Agent extendWrapUp(String agentId, Duration by) {
        return OffCallThread.call(() -> service.extendWrapUp(agentId, by));
    }

    @Override
    public Agent changeSkills(String agentId, Map<String, Integer> skills) {
        return OffCallThread.call(() -> service.changeSkills(agentId, skills));
    }

    @Override
    public Agent logout(String agentId) {
        return OffCallThread.call(() -> service.logout(agentId));
    }

    @Override
    public Optional<Agent> agent(String agentId) {
        return OffCallThread.call(() -> service.agent(agentId));
    }

    @Override
    public List<Agent> agents() {
        return OffCallThread.call(service::agents);
    }

    @Override
    public void defineQueues(Collection<QueueDefinition> queues) {
        OffCallThread.run(() -> service.defineQueues(queues));
    }

    @Override
    public List<QueueStatus> queues() {
        return OffCallThread.call(service::queues);
    }

    @Override
    public List<WaitingCall> waitingCalls(String queueId) {
        return OffCallThread.call(() -> service.waitingCalls(queueId));
    }

    @Override
    public boolean anyAgentCouldServe(CallRequest call, Duration maxWait) {
        return service.anyAgentCouldServe(call, maxWait); // this node's view of the agents: no cluster operation
    }

    @Override
    public QueuePosition enqueue(CallRequest request) {
        return OffCallThread.call(() -> service.enqueue(request));
    }

    @Override
    public WaitResult awaitAgent(String callId, Duration timeout) throws InterruptedException {
        return service.awaitAgent(callId, timeout);
    }

    @Override
    public CompletableFuture<Void> whenNotWaiting(String callId) {
        return service.whenNotWaiting(callId);
    }

    @Override
    public Optional<QueuePosition> adopt(String callId) {
        return OffCallThread.call(() -> service.adopt(callId));
    }

    @Override
    public Optional<QueuePosition> position(String callId) {
        return service.position(callId); // this node's view of the queue: no cluster operation
    }

    @Override
    public boolean cancel(String callId) {
        return OffCallThread.call(() -> service.cancel(callId));
    }

    @Override
    public boolean withdraw(String callId) {
        return OffCallThread.call(() -> service.withdraw(callId));
    }

    @Override
    public boolean answered(Reservation reservation) {
        return OffCallThread.call(() -> service.answered(reservation));
    }

    @Override
    public boolean offerFailed(Reservation reservation, String reasonCode) {
        return OffCallThread.call(() -> service.offerFailed(reservation, reasonCode));
    }

    @Override
    public boolean callEnded(Reservation reservation) {
        return OffCallThread.call(() -> service.callEnded(reservation));
    }

    @Override
    public Subscription subscribe(Consumer<? super RoutingEvent> listener) {
        return service.subscribe(listener);
    }

    @Override
    public Subscription subscribeLocal(Consumer<? super RoutingEvent> listener) {
        return service.subscribeLocal(listener);
    }

    @Override
    public void close() {
        service.close();
    }
}
