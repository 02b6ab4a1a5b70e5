package dev.ivr.loadgen;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a run's server logs must not contain (issue 17): an agent's answer after the call's reservation ended that the
 * server did not resolve as a late answer (routing accepts it while the call still waits, or refuses it and the
 * answer subroutine does not bridge), and a refused answer the PBX bridged anyway.
 */
final class ServerLogs {
    /** The server's words for an answer that came after the reservation ended (Answers, RoutingService). */
    static final String LATE = "after its reservation ended";
    /** A late answer accepted by routing (the call still waited). */
    static final String ACCEPTED = "after its reservation ended: accepted";
    /** A late answer refused by routing (not bridged by the sample dialplan). */
    static final String REFUSED = "and routing refused it";
    /** The refused answer was bridged all the same (no answer subroutine, or one that does not check IVR_STATUS). */
    static final String BRIDGED_ANYWAY = "although routing refused the answer";

    private ServerLogs() {
    }

    /** The offending lines of these logs (missing files are skipped), each prefixed with its file's name. */
    static List<String> lateAnswerProblems(List<Path> logs) {
        List<String> problems = new ArrayList<>();
        for (Path log : logs) {
            if (!Files.isRegularFile(log)) {
                continue;
            }
            // read as Latin-1: every byte is a character (the words looked for are ASCII; a caller-supplied value
            // that is not UTF-8 must not end the check)
            try (Stream<String> lines = Files.lines(log, StandardCharsets.ISO_8859_1)) {
                lines.filter(ServerLogs::unresolvedLateAnswer)
                        .forEach(l -> problems.add(log.getFileName() + ": " + l.strip()));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return problems;
    }

    /** A late answer the server did not resolve, or a refused one bridged anyway. */
    static boolean unresolvedLateAnswer(String line) {
        if (line.contains(BRIDGED_ANYWAY)) {
            return true;
        }
        return line.contains(LATE) && !line.contains(ACCEPTED) && !line.contains(REFUSED);
    }

    /** The server logs of a work directory whose names start with this prefix (node1.log, node1-1700000000.log ...). */
    static List<Path> logsIn(Path dir, String prefix) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(p -> p.getFileName().toString().startsWith(prefix)
                    && p.getFileName().toString().endsWith(".log")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
