package dev.ivr.server.cli;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code ./ivr test-flows} output (issue 18, defect 8). */
@Tag("integration")
class FlowTestsCommandIT {
    static IvrScript.Result testFlows(Path flows) throws Exception {
        return IvrScript.run(IvrScript.REPO, Map.of(), "", "test-flows", "--flows", flows.toString(), "--prompts",
                IvrScript.REPO.resolve("prompts").toString(), "--calendars", IvrScript.REPO.resolve("config/calendars.yaml").toString());
    }

    @Test
    void anInvalidFlowShowsItsProblemsAndItsCasesFail(@TempDir Path dir) throws Exception {
        try (var files = Files.list(IvrScript.REPO.resolve("flows"))) {
            for (Path f : files.toList()) {
                Files.copy(f, dir.resolve(f.getFileName()));
            }
        }
        Path ah = dir.resolve("after-hours.yaml");
        Files.writeString(ah, Files.readString(ah).replace("type: hangup", "type: hangupp"));
        IvrScript.Result r = testFlows(dir);
        assertThat(r.exit()).isEqualTo(1);
        assertThat(r.out()).contains("FAIL  after-hours.test.yaml: flow 'after-hours' is not valid: 1 error(s)",
                "after-hours.yaml:", "unknown node type 'hangupp'; did you mean 'hangup'?",
                "FAIL  after-hours.test.yaml: silence says goodbye (not run: flow 'after-hours' is not valid")
                .doesNotContain("run validate");
        long cases = Files.readString(IvrScript.REPO.resolve("flows/after-hours.test.yaml")).lines()
                .filter(l -> l.startsWith("  - name:")).count();
        assertThat(r.out()).containsPattern("flow tests: \\d+ passed, (\\d+) failed");
        var m = java.util.regex.Pattern.compile("flow tests: (\\d+) passed, (\\d+) failed").matcher(r.out());
        assertThat(m.find()).isTrue();
        assertThat(Long.parseLong(m.group(2))).isGreaterThanOrEqualTo(cases);
    }

    @Test
    void coverageListsTheBranchesNotTaken() throws Exception {
        IvrScript.Result r = testFlows(IvrScript.REPO.resolve("flows"));
        assertThat(r.exit()).as(r.all()).isZero();
        assertThat(r.out()).containsPattern("customer-service: nodes \\d+/\\d+ \\(\\d+%\\), branches \\d+/\\d+ \\(\\d+%\\)\\n"
                + "    branches not taken:\\n      \\S+ --[^\\n]+--> \\S+");
        assertThat(r.out()).contains("verify --locked--> account-locked");
    }
}
