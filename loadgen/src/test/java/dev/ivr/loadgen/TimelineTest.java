package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Replies are counted per wall-clock second of their arrival, with the slow ones, and a window is written once. */
class TimelineTest {
    @Test
    void countsRepliesPerSecondWithTheSlowOnesAndForgetsWhatWasWritten(@TempDir Path dir) throws Exception {
        Timeline t = new Timeline();
        long s0 = 1_796_000_000_000L; // a whole second, epoch millis
        t.record(s0 + 10, 200_000);
        t.record(s0 + 900, 6_000_000);
        t.record(s0 + 1_000, 120_000_000);
        t.record(s0 + 1_500, 1_000_000);
        t.record(s0 + 5_000, 1_000_000); // after the window
        Path file = dir.resolve("t.csv");
        t.writeWindow(s0, s0 + 1_999, file);
        assertThat(Files.readAllLines(file)).containsExactly(Timeline.CSV_HEADER,
                "00:53:20,2,1,0,6.00",
                "00:53:21,2,1,1,120.00");
        t.writeWindow(s0, s0 + 5_999, file);
        assertThat(Files.readAllLines(file)).as("the seconds written before are gone").containsExactly(Timeline.CSV_HEADER,
                "00:53:25,1,0,0,1.00");
    }

    @Test
    void keepsEachReplyOverFiveMillisecondsOfTheWindowWithItsCommandToTheMicrosecond(@TempDir Path dir) throws Exception {
        Timeline t = new Timeline();
        long s0 = 1_796_000_000_000L;
        long us0 = s0 * 1000;
        t.record(us0 + 100_000, 4_000_000, "ANSWER");
        t.record(us0 + 900_250, 6_000_500, "STREAM FILE");
        t.record(us0 + 1_500_000, 120_000_000, "WAIT FOR DIGIT");
        t.record(us0 + 5_000_000, 30_000_000, "HANGUP"); // after the window
        t.writeWindow(s0, s0 + 1_999, dir.resolve("ivr-simple-10-timeline.csv"));
        assertThat(Files.readAllLines(dir.resolve("ivr-simple-10-slow.csv"))).containsExactly(Timeline.SLOW_CSV_HEADER,
                (s0 + 900) + ".250," + (s0 + 894) + ".250,6.00,STREAM FILE",
                (s0 + 1_500) + ".000," + (s0 + 1_380) + ".000,120.00,WAIT FOR DIGIT");
        assertThat(Files.readAllLines(dir.resolve("ivr-simple-10-timeline.csv"))).as("counted in the second they arrived in")
                .containsExactly(Timeline.CSV_HEADER, "00:53:20,2,1,0,6.00", "00:53:21,1,1,1,120.00");
        t.writeWindow(s0, s0 + 5_999, dir.resolve("ivr-simple-10-timeline.csv"));
        assertThat(Files.readAllLines(dir.resolve("ivr-simple-10-slow.csv"))).as("the replies written before are gone")
                .containsExactly(Timeline.SLOW_CSV_HEADER, (s0 + 5_000) + ".000," + (s0 + 4_970) + ".000,30.00,HANGUP");
    }

    @Test
    void keepsTheRepliesOverAThresholdOfItsOwn(@TempDir Path dir) throws Exception {
        Timeline t = new Timeline();
        t.slowOver(1_000_000);
        long s0 = 1_796_000_000_000L;
        t.record(s0 * 1000 + 10_000, 999_000, "ANSWER");
        t.record(s0 * 1000 + 20_000, 1_500_000, "HANGUP");
        t.writeWindow(s0, s0 + 999, dir.resolve("ivr-simple-10-timeline.csv"));
        assertThat(Files.readAllLines(dir.resolve("ivr-simple-10-slow.csv"))).containsExactly(Timeline.SLOW_CSV_HEADER,
                (s0 + 20) + ".000," + (s0 + 18) + ".500,1.50,HANGUP");
    }
}
