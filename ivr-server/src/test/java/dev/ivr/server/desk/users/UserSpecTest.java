package dev.ivr.server.desk.users;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class UserSpecTest {
    @Test
    void aValidAgentHasNoProblems() {
        UserSpec s = new UserSpec("alice", "Alice", Set.of("agent"), "PJSIP/1001", Map.of("billing", 7), Set.of("en", "pt-BR"),
                true, "long enough");
        assertThat(s.problemsForCreate()).isEmpty();
    }

    @Test
    void everyProblemIsReportedAtOnceWithItsField() {
        UserSpec s = new UserSpec("bad id!", "", Set.of("agent", "root"), "not a dial string", Map.of("Billing", 3, "sales", 0),
                Set.of("english"), true, "short");
        assertThat(s.problemsForCreate()).containsExactlyInAnyOrder(
                "id: 1-64 letters, digits, '.', '_', '@' or '-', starting with a letter or digit",
                "name: 1-200 characters",
                "password: 8-200 characters",
                "roles: unknown role 'root'; roles are admin, agent, monitor, supervisor",
                "endpoint: an Asterisk dial string such as PJSIP/1001",
                "skills: 'Billing' is not a skill name (lower-case letters, digits, '-', '_')",
                "skills.sales: level 1-10 (got 0)",
                "languages: 'english' is not a language tag such as en or pt-BR");
        assertThat(new UserSpec("bob", null, Set.of("agent"), null, null, null, null, null).problemsForCreate())
                .containsExactlyInAnyOrder("password: required",
                        "endpoint: required for the agent role (where to dial the agent, e.g. PJSIP/1001)");
    }

    @Test
    void anUpdateIsCheckedAgainstTheCurrentUser() {
        User sam = new User("sam", "Sam", Set.of("supervisor"), null, Map.of(), Set.of(), true, Instant.EPOCH, Instant.EPOCH);
        UserSpec becomeAgent = new UserSpec(null, null, Set.of("supervisor", "agent"), null, null, null, null, null);
        assertThat(becomeAgent.problemsForUpdate(sam)).containsExactly(
                "endpoint: required for the agent role (where to dial the agent, e.g. PJSIP/1001)");
        UserSpec withPhone = new UserSpec(null, null, Set.of("supervisor", "agent"), "SIP/sam", null, null, null, null);
        assertThat(withPhone.problemsForUpdate(sam)).isEmpty();
        assertThat(new UserSpec(null, null, Set.of(), null, null, null, null, null).problemsForUpdate(sam))
                .containsExactly("roles: at least one of admin, agent, monitor, supervisor");
    }
}
