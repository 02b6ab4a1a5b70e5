package dev.ivr.server.prompt;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PromptCatalogTest {
    @TempDir
    Path dir;

    @Test
    void loadsTextsRecordingsAndSounds() throws IOException {
        Files.createDirectories(dir.resolve("en/audio"));
        Files.write(dir.resolve("en/audio/hold.wav"), new byte[44]);
        Files.writeString(dir.resolve("en/main.yaml"), """
                welcome: Welcome to Example Corp.
                greet: Hello ${customer.first_name}.
                hold:
                  audio: audio/hold.wav
                  text: Please hold.
                bye:
                  sound: vm-goodbye
                """);
        PromptCatalog c = PromptCatalog.load(dir);
        assertThat(c.languages()).containsExactly("en");
        assertThat(c.find("welcome", "en")).hasValueSatisfying(p -> {
            assertThat(p.text()).isEqualTo("Welcome to Example Corp.");
            assertThat(p.hasRecording()).isFalse();
            assertThat(p.line()).isEqualTo(1);
        });
        assertThat(c.find("hold", "en").orElseThrow().audio()).isEqualTo("audio/hold.wav");
        assertThat(c.find("bye", "en").orElseThrow().sound()).isEqualTo("vm-goodbye");
        assertThat(c.find("welcome", "hu")).isEmpty();
    }

    @Test
    void reportsEveryProblemWithItsPlace() throws IOException {
        Files.createDirectories(dir.resolve("en"));
        Path f = dir.resolve("en/main.yaml");
        Files.writeString(f, """
                a: Hello
                b:
                  txt: typo
                c:
                  audio: ../../etc/passwd
                d:
                  audio: missing.wav
                a: again
                """);
        assertThatThrownBy(() -> PromptCatalog.load(dir))
                .isInstanceOfSatisfying(PromptCatalogException.class, e -> assertThat(e.problems()).containsExactly(
                        f + ":3:3: unknown key 'txt'; did you mean 'text'? (use text, audio, sound or fallback)",
                        f + ":2:1: prompt 'b' is empty",
                        f + ":4:1: audio of 'c' must stay inside " + dir.resolve("en"),
                        f + ":6:1: audio file of 'd' not found: " + dir.resolve("en/missing.wav"),
                        f + ":8:1: prompt 'a' is already defined at " + f + ":1:1"));
    }
}
