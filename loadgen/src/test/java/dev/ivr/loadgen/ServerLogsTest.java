package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ServerLogsTest {
    // the lines as the server writes them (Answers, RoutingService, QueueCallRouter), and the old server's line
    static final String OLD = "12:00:01.000 ERROR [call-7] d.i.s.r.Answers call=c9 - agent a03 answered call c7 after its "
            + "reservation ended (longer than routing.reservation-ttl?)";
    static final String ACCEPTED = "12:00:02.000 WARN  [call-8] d.i.r.RoutingService call=c10 - agent a04 answered call c8 "
            + "after its reservation ended: accepted, the call was still queued";
    static final String REFUSED = "12:00:03.000 ERROR [call-9] d.i.s.r.Answers call=c11 - agent a05 answered call c9 after "
            + "its reservation ended (longer than routing.reservation-ttl?), and routing refused it: the call was "
            + "answered by another agent, is gone, or the agent is busy";
    static final String BRIDGED = "12:00:04.000 ERROR [call-9] d.i.s.r.QueueCallRouter call=c9 - agent a05 was connected "
            + "to call c9 although routing refused the answer: the call is withdrawn from its queue, not counted as answered";

    @Test
    void anUnresolvedLateAnswerOrARefusedOneBridgedAnywayIsAProblemAResolvedOneIsNot(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("node1.log");
        Files.write(log, List.of("12:00:00.000 INFO  [main] d.i.s.IvrServer call=- - started", OLD, ACCEPTED, REFUSED,
                BRIDGED));
        Files.write(dir.resolve("node1-1700000000.log"), List.of(OLD));
        Files.write(dir.resolve("setup.txt"), List.of(OLD));

        List<Path> logs = ServerLogs.logsIn(dir, "node");
        assertThat(logs).extracting(p -> p.getFileName().toString())
                .containsExactly("node1-1700000000.log", "node1.log");
        assertThat(ServerLogs.lateAnswerProblems(logs)).containsExactly("node1-1700000000.log: " + OLD,
                "node1.log: " + OLD, "node1.log: " + BRIDGED);
        assertThat(ServerLogs.lateAnswerProblems(List.of(dir.resolve("missing.log")))).isEmpty();
    }
}
