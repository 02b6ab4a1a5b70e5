package dev.ivr.server.config;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DeskConfigTest {
    @Test
    void defaultsAreValid() {
        DeskConfig d = ConfigLoader.load(Map.of()).desk();
        assertThat(d.sessionIdleTimeout()).isEqualTo(Duration.ofMinutes(30));
        assertThat(d.loginAttempts()).isEqualTo(5);
        assertThat(d.notReadyReasons()).startsWith("break", "lunch");
    }

    @Test
    void badValuesAreReportedPerKey() {
        assertThatThrownBy(() -> ConfigLoader.load(Map.of(
                "IVR_DESK_SESSION_IDLE_TIMEOUT", "2h", "IVR_DESK_SESSION_MAX_AGE", "1h",
                "IVR_DESK_LOGIN_ATTEMPTS", "0", "IVR_DESK_DASHBOARD_INTERVAL", "10ms",
                "IVR_DESK_NOT_READY_REASONS", "break,Lunch Time,break")))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.problems()).anySatisfy(p ->
                        assertThat(p).contains("desk.session-max-age: must not be shorter than session-idle-timeout"))
                        .anySatisfy(p -> assertThat(p).contains("desk.login-attempts: must be at least 1"))
                        .anySatisfy(p -> assertThat(p).contains("desk.dashboard-interval: must be at least 100ms"))
                        .anySatisfy(p -> assertThat(p).contains("desk.not-ready-reasons[1]: must be a short code"))
                        .anySatisfy(p -> assertThat(p).contains("desk.not-ready-reasons[2]: 'break' is listed twice")));
    }
}
