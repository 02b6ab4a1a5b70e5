package dev.ivr.server.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What the {@code ./ivr} script itself prints. */
@Tag("integration")
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

    /** Issue 18 (2): the first build was silent for minutes (Maven -q); it shows one line per module, and downloads. */
    @Test
    void theBuildShowsItsProgress(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        // a stand-in for Maven that prints what a first build prints (the script is what is tested)
        java.nio.file.Path bin = java.nio.file.Files.createDirectories(dir.resolve("bin"));
        java.nio.file.Path mvn = bin.resolve("mvn");
        java.nio.file.Files.writeString(mvn, """
                #!/bin/sh
                echo "[INFO] Scanning for projects..."
                echo "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/a/b/1/b-1.pom"
                echo "[INFO] Downloading from central: https://repo.maven.apache.org/maven2/a/c/1/c-1.pom"
                echo "[INFO] Building ivr routing 0.1.0-SNAPSHOT                                [2/5]"
                echo "[INFO] Compiling 80 source files with javac"
                echo "[INFO] Building ivr server 0.1.0-SNAPSHOT                                 [4/5]"
                echo "[INFO] BUILD SUCCESS"
                """);
        mvn.toFile().setExecutable(true);
        java.nio.file.Path jar = dir.resolve("ivr-server.jar");
        IvrScript.Result r = IvrScript.run(IvrScript.REPO, java.util.Map.of("IVR_MAVEN", mvn.toString(),
                "IVR_SERVER_JAR", jar.toString()), "", "build");
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.err()).contains("ivr: building the server", "the first build downloads its dependencies",
                "ivr:   downloading dependencies (first build only)...\n",
                "ivr:   building ivr routing 0.1.0-SNAPSHOT [2/5]\n", "ivr:   building ivr server 0.1.0-SNAPSHOT [4/5]\n",
                "ivr:   built").doesNotContain("Compiling", "repo.maven.apache.org");
        assertThat(r.err().split("downloading dependencies", -1)).hasSize(2); // said once

        // a failing build shows Maven's own words
        java.nio.file.Files.writeString(mvn, "#!/bin/sh\necho '[ERROR] COMPILATION ERROR : x.java:[1,1] oops'\nexit 1\n");
        IvrScript.Result failed = IvrScript.run(IvrScript.REPO, java.util.Map.of("IVR_MAVEN", mvn.toString(),
                "IVR_SERVER_JAR", jar.toString()), "", "build");
        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("COMPILATION ERROR", "ivr: the build failed");
    }

    /** Issue 18 (16): Maven 3.8 printed colour resets despite -Dstyle.color=never; the script's output has none. */
    @Test
    void mavenOutputReachesTheUserWithoutEscapeCodes(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path bin = java.nio.file.Files.createDirectories(dir.resolve("bin"));
        java.nio.file.Path mvn = bin.resolve("mvn");
        java.nio.file.Files.writeString(mvn, "#!/bin/sh\nprintf '\\033[0m\\033[0m[INFO] \\033[1mBUILD SUCCESS\\033[m\\n'\nexit 3\n");
        mvn.toFile().setExecutable(true);
        IvrScript.Result r = IvrScript.run(IvrScript.REPO, java.util.Map.of("IVR_MAVEN", mvn.toString()), "",
                "mvn", "-q", "validate");
        assertThat(r.exit()).as("Maven's exit status comes through").isEqualTo(3);
        assertThat(r.all()).contains("[INFO] BUILD SUCCESS").doesNotContain("\u001b");
    }
}
