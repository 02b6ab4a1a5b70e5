package dev.ivr.server.cli;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the {@code ./ivr} script itself prints. */
class IvrScriptIT {
    /** Issue 18 (3): help listed only the server's commands. */
    @Test
    void helpListsTheScriptsCommandsAndTheServers() throws Exception {
        IvrScript.Result r = IvrScript.run("help");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).contains("Commands of this script:", "Commands of the server")
                .containsPattern("(?m)^  run ").containsPattern("(?m)^  test ").containsPattern("(?m)^  build ")
                .containsPattern("(?m)^  cluster ").containsPattern("(?m)^  dist ").containsPattern("(?m)^  mvn ")
                .containsPattern("(?m)^  java-home ")
                .containsPattern("(?m)^  validate ").containsPattern("(?m)^  simulate ").containsPattern("(?m)^  users ");
        assertThat(IvrScript.run("--help").out()).isEqualTo(r.out());
        IvrScript.Result one = IvrScript.run("help", "validate");
        assertThat(one.out()).contains("Usage: ivr-server validate");
    }
}
