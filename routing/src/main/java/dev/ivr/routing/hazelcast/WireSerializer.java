package dev.ivr.routing.hazelcast;

import com.hazelcast.nio.ObjectDataInput;
import com.hazelcast.nio.ObjectDataOutput;
import com.hazelcast.nio.serialization.HazelcastSerializationException;
import com.hazelcast.nio.serialization.StreamSerializer;
import dev.ivr.routing.AgentProfile;
import dev.ivr.routing.AgentState;
import dev.ivr.routing.QueueDefinition;
import dev.ivr.routing.RelaxationStep;
import dev.ivr.routing.RoutingEvent;
import dev.ivr.routing.ServiceLevelTarget;
import dev.ivr.routing.ValueSeal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes every {@link Wire} object as a one-byte tag followed by its fields, in a fixed order. Compact and
 * allocation-light (no class descriptors, unlike Java serialization); see docs/benchmarks.md for the figures.
 * Adding a field means a new tag or a cluster-wide upgrade: members of different versions do not mix.
 *
 * <p>With a {@link ValueSeal} the encoded bytes are sealed before Hazelcast sees them, and anything that does
 * not open under the seal is refused before a field is read: a process without the key reads only ciphertext
 * and cannot forge a record, a command or an event.
 */
public final class WireSerializer implements StreamSerializer<Wire> {
    /** Hazelcast type id of this serializer ("IVR" + 1); must not clash with other custom serializers. */
    public static final int TYPE_ID = 0x49565201;

    private static final byte AGENT_RECORD = 1;
    private static final byte CALL_RECORD = 2;
    private static final byte AGENT_COMMAND = 3;
    private static final byte AGENT_RESULT = 4;
    private static final byte CALL_COMMAND = 5;
    private static final byte CALL_RESULT = 6;
    private static final byte STATS_RECORD = 7;
    private static final byte STATS_COMMAND = 8;
    private static final byte QUEUE_ENTRY = 9;
    private static final byte EVENT = 10;

    private static final AgentState[] STATES = AgentState.values();
    private static final AgentCommand.Op[] AGENT_OPS = AgentCommand.Op.values();
    private static final CallCommand.Op[] CALL_OPS = CallCommand.Op.values();

    private final ValueSeal seal;

    /** Plain bytes: what the library registers by itself (see {@link WireSerializerHook}). */
    public WireSerializer() {
        this(null);
    }

    /** Every value sealed by {@code seal}; null for plain bytes. */
    public WireSerializer(ValueSeal seal) {
        this.seal = seal;
    }

    @Override
    public int getTypeId() {
        return TYPE_ID;
    }

    @Override
    public void write(ObjectDataOutput out, Wire object) throws IOException {
        Out buffer = new Out();
        encode(buffer, object);
        byte[] bytes = buffer.toByteArray();
        out.writeByteArray(seal == null ? bytes : seal.seal(bytes));
    }

    @Override
    public Wire read(ObjectDataInput in) throws IOException {
        byte[] bytes = in.readByteArray();
        if (bytes == null) {
            throw new HazelcastSerializationException("routing value without content");
        }
        if (seal != null) {
            try {
                bytes = seal.open(bytes);
            } catch (SecurityException e) {
                throw new HazelcastSerializationException("routing value refused: " + e.getMessage());
            }
        }
        In input = new In(bytes);
        Wire value = decode(input);
        if (input.available() != 0) {
            throw new HazelcastSerializationException("routing value with " + input.available() + " unread byte(s)");
        }
        return value;
    }

    private static void encode(Out out, Wire object) throws IOException {
        switch (object) {
            case AgentRecord a -> {
                out.writeByte(AGENT_RECORD);
                writeAgent(out, a);
            }
            case CallRecord c -> {
                out.writeByte(CALL_RECORD);
                writeCall(out, c);
            }
            case AgentCommand c -> {
                out.writeByte(AGENT_COMMAND);
                out.writeByte(c.op().ordinal());
                out.writeLong(c.now());
                out.writeString(c.callId());
                out.writeString(c.queueId());
                out.writeString(c.owner());
                out.writeLong(c.session());
                out.writeLong(c.millis());
                out.writeString(c.reason());
                AgentProfile p = c.profile();
                out.writeBoolean(p != null);
                if (p != null) {
                    out.writeString(p.id());
                    out.writeString(p.name());
                    out.writeString(p.endpoint());
                    writeLevels(out, p.skills());
                    writeStrings(out, p.languages());
                }
                out.writeString(c.decider());
                out.writeLong(c.token());
            }
            case AgentResult r -> {
                out.writeByte(AGENT_RESULT);
                out.writeBoolean(r.applied());
                writeState(out, r.from());
                out.writeLong(r.fromSince());
                out.writeBoolean(r.record() != null);
                if (r.record() != null) {
                    writeAgent(out, r.record());
                }
            }
            case CallCommand c -> {
                out.writeByte(CALL_COMMAND);
                out.writeByte(c.op().ordinal());
                out.writeLong(c.now());
                out.writeString(c.agentId());
                out.writeString(c.agentName());
                out.writeString(c.endpoint());
                out.writeLong(c.token());
            }
            case CallResult r -> {
                out.writeByte(CALL_RESULT);
                writeNullableCall(out, r.before());
                if (r.after() != null && r.after() == r.before()) {
                    out.writeByte(2); // unchanged: same as before
                } else {
                    writeNullableCall(out, r.after());
                }
                out.writeBoolean(r.applied());
            }
            case QueueStatsRecord s -> {
                out.writeByte(STATS_RECORD);
                out.writeLong(s.bucketMillis());
                out.writeLongArray(s.starts());
                for (long[] row : s.counters()) {
                    out.writeLongArray(row);
                }
            }
            case StatsCommand c -> {
                out.writeByte(STATS_COMMAND);
                out.writeLong(c.now());
                out.writeLong(c.windowMillis());
                out.writeIntArray(c.counterIds());
                out.writeLongArray(c.deltas());
            }
            case QueueEntry q -> {
                out.writeByte(QUEUE_ENTRY);
                writeQueue(out, q.definition());
            }
            case EventEnvelope e -> {
                out.writeByte(EVENT);
                writeEvent(out, e.event());
            }
            default -> throw new HazelcastSerializationException("not a routing wire type: " + object.getClass());
        }
    }

    private static Wire decode(In in) throws IOException {
        byte tag = in.readByte();
        return switch (tag) {
            case AGENT_RECORD -> readAgent(in);
            case CALL_RECORD -> readCall(in);
            case AGENT_COMMAND -> {
                AgentCommand.Op op = AGENT_OPS[in.readByte()];
                long now = in.readLong();
                String callId = in.readString();
                String queueId = in.readString();
                String owner = in.readString();
                long session = in.readLong();
                long millis = in.readLong();
                String reason = in.readString();
                AgentProfile profile = null;
                if (in.readBoolean()) {
                    profile = new AgentProfile(in.readString(), in.readString(), in.readString(), readLevels(in),
                            readStrings(in));
                }
                yield new AgentCommand(op, now, callId, queueId, owner, session, millis, reason, profile,
                        in.readString(), in.readLong());
            }
            case AGENT_RESULT -> {
                boolean applied = in.readBoolean();
                AgentState from = readState(in);
                long fromSince = in.readLong();
                AgentRecord record = in.readBoolean() ? readAgent(in) : null;
                yield new AgentResult(applied, from, fromSince, record);
            }
            case CALL_COMMAND -> new CallCommand(CALL_OPS[in.readByte()], in.readLong(), in.readString(),
                    in.readString(), in.readString(), in.readLong());
            case CALL_RESULT -> {
                CallRecord before = readNullableCall(in);
                byte afterTag = in.readByte();
                CallRecord after = afterTag == 2 ? before : afterTag == 1 ? readCall(in) : null;
                yield new CallResult(in.readBoolean(), before, after);
            }
            case STATS_RECORD -> {
                long bucket = in.readLong();
                long[] starts = in.readLongArray();
                long[][] counters = new long[starts.length][];
                for (int i = 0; i < counters.length; i++) {
                    counters[i] = in.readLongArray();
                }
                yield new QueueStatsRecord(bucket, starts, counters);
            }
            case STATS_COMMAND -> new StatsCommand(in.readLong(), in.readLong(), in.readIntArray(),
                    in.readLongArray());
            case QUEUE_ENTRY -> new QueueEntry(readQueue(in));
            case EVENT -> new EventEnvelope(readEvent(in));
            default -> throw new HazelcastSerializationException("unknown routing wire tag " + tag);
        };
    }

    // ------------------------------------------------------------------ records

    private static void writeAgent(Out out, AgentRecord a) throws IOException {
        out.writeString(a.id());
        out.writeString(a.name());
        out.writeString(a.endpoint());
        writeLevels(out, a.skills());
        writeStrings(out, a.languages());
        out.writeLong(a.session());
        writeState(out, a.state());
        out.writeLong(a.stateSince());
        out.writeString(a.reasonCode());
        out.writeString(a.callId());
        out.writeString(a.queueId());
        out.writeString(a.callOwner());
        out.writeLong(a.reservedUntil());
        out.writeLong(a.restoreSince());
        out.writeLong(a.wrapUpUntil());
        out.writeString(a.pendingReason());
        out.writeLong(a.version());
        writeState(out, a.prevState());
        out.writeLong(a.prevSince());
        out.writeLong(a.token());
        out.writeString(a.reservedBy());
    }

    private static AgentRecord readAgent(In in) throws IOException {
        return new AgentRecord(in.readString(), in.readString(), in.readString(), readLevels(in), readStrings(in),
                in.readLong(), readState(in), in.readLong(), in.readString(), in.readString(), in.readString(),
                in.readString(), in.readLong(), in.readLong(), in.readLong(), in.readString(), in.readLong(),
                readState(in), in.readLong(), in.readLong(), in.readString());
    }

    private static void writeCall(Out out, CallRecord c) throws IOException {
        out.writeString(c.callId());
        out.writeString(c.queueId());
        writeLevels(out, c.skills());
        out.writeString(c.language());
        out.writeInt(c.priority());
        out.writeString(c.preferredAgent());
        out.writeString(c.owner());
        out.writeLong(c.enqueuedAt());
        out.writeLong(c.incarnation());
        out.writeBoolean(c.head());
        out.writeString(c.agentId());
        out.writeString(c.agentName());
        out.writeString(c.endpoint());
        out.writeLong(c.offeredAt());
        out.writeInt(c.offers());
        out.writeLong(c.version());
        out.writeLong(c.token());
        out.writeString(c.pbx());
    }

    private static CallRecord readCall(In in) throws IOException {
        return new CallRecord(in.readString(), in.readString(), readLevels(in), in.readString(), in.readInt(),
                in.readString(), in.readString(), in.readLong(), in.readLong(), in.readBoolean(), in.readString(),
                in.readString(), in.readString(), in.readLong(), in.readInt(), in.readLong(), in.readLong(),
                in.readString());
    }

    private static void writeNullableCall(Out out, CallRecord c) throws IOException {
        if (c == null) {
            out.writeByte(0);
        } else {
            out.writeByte(1);
            writeCall(out, c);
        }
    }

    private static CallRecord readNullableCall(In in) throws IOException {
        return in.readByte() == 1 ? readCall(in) : null;
    }

    private static void writeQueue(Out out, QueueDefinition q) throws IOException {
        out.writeString(q.id());
        out.writeString(q.name());
        writeLevels(out, q.requiredSkills());
        out.writeInt(q.priority());
        writeDuration(out, q.priorityAgingStep());
        out.writeDouble(q.serviceLevel().fraction());
        writeDuration(out, q.serviceLevel().threshold());
        writeDuration(out, q.serviceLevel().window());
        out.writeInt(q.relaxation().size());
        for (RelaxationStep step : q.relaxation()) {
            writeDuration(out, step.after());
            writeLevels(out, step.skillLevels());
            writeStrings(out, step.addQueues());
        }
        writeDuration(out, q.maxWait());
        out.writeString(q.maxWaitTarget());
        writeDuration(out, q.ringTime());
        writeDuration(out, q.wrapUp());
        writeDuration(out, q.preferredAgentWait());
        writeDuration(out, q.defaultHandleTime());
    }

    private static QueueDefinition readQueue(In in) throws IOException {
        String id = in.readString();
        String name = in.readString();
        Map<String, Integer> skills = readLevels(in);
        int priority = in.readInt();
        Duration aging = readDuration(in);
        ServiceLevelTarget sl = new ServiceLevelTarget(in.readDouble(), readDuration(in), readDuration(in));
        int steps = in.readInt();
        List<RelaxationStep> relaxation = new ArrayList<>(steps);
        for (int i = 0; i < steps; i++) {
            relaxation.add(new RelaxationStep(readDuration(in), readLevels(in), readStrings(in)));
        }
        return new QueueDefinition(id, name, skills, priority, aging, sl, relaxation, readDuration(in),
                in.readString(), readDuration(in), readDuration(in), readDuration(in), readDuration(in));
    }

    // ------------------------------------------------------------------ events

    private static final byte AGENT_STATE_CHANGED = 1;
    private static final byte CALL_QUEUED = 2;
    private static final byte CALL_OFFERED = 3;
    private static final byte CALL_REQUEUED = 4;
    private static final byte CALL_ANSWERED = 5;
    private static final byte CALL_ABANDONED = 6;
    private static final byte MAX_WAIT_REACHED = 7;

    private static void writeEvent(Out out, RoutingEvent event) throws IOException {
        switch (event) {
            case RoutingEvent.AgentStateChanged e -> {
                out.writeByte(AGENT_STATE_CHANGED);
                out.writeString(e.agentId());
                writeState(out, e.from());
                writeState(out, e.to());
                out.writeString(e.reasonCode());
                out.writeString(e.callId());
            }
            case RoutingEvent.CallQueued e -> {
                out.writeByte(CALL_QUEUED);
                out.writeString(e.callId());
                out.writeString(e.queueId());
                out.writeInt(e.priority());
                out.writeString(e.ownerNode());
            }
            case RoutingEvent.CallOffered e -> {
                out.writeByte(CALL_OFFERED);
                out.writeString(e.callId());
                out.writeString(e.queueId());
                out.writeString(e.agentId());
                out.writeInt(e.offer());
            }
            case RoutingEvent.CallRequeued e -> {
                out.writeByte(CALL_REQUEUED);
                out.writeString(e.callId());
                out.writeString(e.queueId());
                out.writeString(e.agentId());
                out.writeString(e.reason());
            }
            case RoutingEvent.CallAnswered e -> {
                out.writeByte(CALL_ANSWERED);
                out.writeString(e.callId());
                out.writeString(e.queueId());
                out.writeString(e.agentId());
                writeDuration(out, e.waited());
            }
            case RoutingEvent.CallAbandoned e -> {
                out.writeByte(CALL_ABANDONED);
                out.writeString(e.callId());
                out.writeString(e.queueId());
                writeDuration(out, e.waited());
                out.writeString(e.reason());
            }
            case RoutingEvent.MaxWaitReached e -> {
                out.writeByte(MAX_WAIT_REACHED);
                out.writeString(e.callId());
                out.writeString(e.queueId());
                out.writeString(e.target());
                writeDuration(out, e.waited());
            }
        }
        out.writeLong(event.at().getEpochSecond());
        @SuppressWarnings("JavaInstantGetSecondsGetNano") // the seconds are written just above
        int nanos = event.at().getNano();
        out.writeInt(nanos);
    }

    private static RoutingEvent readEvent(In in) throws IOException {
        byte kind = in.readByte();
        return switch (kind) {
            case AGENT_STATE_CHANGED -> new RoutingEvent.AgentStateChanged(in.readString(), readState(in),
                    readState(in), in.readString(), in.readString(), readInstant(in));
            case CALL_QUEUED -> new RoutingEvent.CallQueued(in.readString(), in.readString(), in.readInt(),
                    in.readString(), readInstant(in));
            case CALL_OFFERED -> new RoutingEvent.CallOffered(in.readString(), in.readString(), in.readString(),
                    in.readInt(), readInstant(in));
            case CALL_REQUEUED -> new RoutingEvent.CallRequeued(in.readString(), in.readString(), in.readString(),
                    in.readString(), readInstant(in));
            case CALL_ANSWERED -> new RoutingEvent.CallAnswered(in.readString(), in.readString(), in.readString(),
                    readDuration(in), readInstant(in));
            case CALL_ABANDONED -> new RoutingEvent.CallAbandoned(in.readString(), in.readString(),
                    readDuration(in), in.readString(), readInstant(in));
            case MAX_WAIT_REACHED -> new RoutingEvent.MaxWaitReached(in.readString(), in.readString(),
                    in.readString(), readDuration(in), readInstant(in));
            default -> throw new HazelcastSerializationException("unknown routing event kind " + kind);
        };
    }

    // ------------------------------------------------------------------ small types

    private static void writeLevels(Out out, Map<String, Integer> levels) throws IOException {
        out.writeInt(levels.size());
        for (Map.Entry<String, Integer> e : levels.entrySet()) {
            out.writeString(e.getKey());
            out.writeByte(e.getValue());
        }
    }

    private static Map<String, Integer> readLevels(In in) throws IOException {
        int size = in.length(in.readInt(), Integer.BYTES);
        if (size == 0) {
            return Map.of();
        }
        Map<String, Integer> levels = HashMap.newHashMap(size);
        for (int i = 0; i < size; i++) {
            levels.put(in.readString(), (int) in.readByte());
        }
        return levels;
    }

    private static void writeStrings(Out out, Set<String> strings) throws IOException {
        out.writeInt(strings.size());
        for (String s : strings) {
            out.writeString(s);
        }
    }

    private static Set<String> readStrings(In in) throws IOException {
        int size = in.length(in.readInt(), Integer.BYTES);
        if (size == 0) {
            return Set.of();
        }
        Set<String> strings = HashSet.newHashSet(size);
        for (int i = 0; i < size; i++) {
            strings.add(in.readString());
        }
        return strings;
    }

    private static void writeState(Out out, AgentState state) throws IOException {
        out.writeByte(state == null ? -1 : state.ordinal());
    }

    private static AgentState readState(In in) throws IOException {
        byte b = in.readByte();
        return b < 0 ? null : STATES[b];
    }

    private static void writeDuration(Out out, Duration d) throws IOException {
        out.writeLong(d == null ? Long.MIN_VALUE : d.toMillis());
    }

    private static Duration readDuration(In in) throws IOException {
        long millis = in.readLong();
        return millis == Long.MIN_VALUE ? null : Duration.ofMillis(millis);
    }

    private static Instant readInstant(In in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    // ------------------------------------------------------------------ byte streams

    /** The encoding's output: Java's data output plus nullable strings and arrays. */
    private static final class Out extends DataOutputStream {
        Out() {
            super(new ByteArrayOutputStream(256));
        }

        void writeString(String s) throws IOException {
            if (s == null) {
                writeInt(-1);
                return;
            }
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            writeInt(b.length);
            write(b);
        }

        void writeLongArray(long[] a) throws IOException {
            writeInt(a.length);
            for (long v : a) {
                writeLong(v);
            }
        }

        void writeIntArray(int[] a) throws IOException {
            writeInt(a.length);
            for (int v : a) {
                writeInt(v);
            }
        }

        byte[] toByteArray() throws IOException {
            flush();
            return ((ByteArrayOutputStream) out).toByteArray();
        }
    }

    /** Reads what {@link Out} wrote; a length beyond the bytes left is refused before anything is allocated. */
    private static final class In extends DataInputStream {
        In(byte[] bytes) {
            super(new ByteArrayInputStream(bytes));
        }

        String readString() throws IOException {
            int n = readInt();
            if (n == -1) {
                return null;
            }
            byte[] b = new byte[length(n, 1)];
            readFully(b);
            return new String(b, StandardCharsets.UTF_8);
        }

        long[] readLongArray() throws IOException {
            long[] a = new long[length(readInt(), Long.BYTES)];
            for (int i = 0; i < a.length; i++) {
                a[i] = readLong();
            }
            return a;
        }

        int[] readIntArray() throws IOException {
            int[] a = new int[length(readInt(), Integer.BYTES)];
            for (int i = 0; i < a.length; i++) {
                a[i] = readInt();
            }
            return a;
        }

        int length(int n, int bytesEach) throws IOException {
            if (n < 0 || (long) n * bytesEach > available()) {
                throw new EOFException("length " + n + " beyond the value's end");
            }
            return n;
        }
    }
}
