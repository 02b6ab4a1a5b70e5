package dev.ivr.server.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * No message, log line or {@code toString()} built with {@link Redaction} shows a secret: each case puts the secret
 * "s3cret" where a user might and looks for it in what would be shown.
 */
class RedactionTest {
    private static final String SECRET = "s3cret";

    @Test
    void aPostgresqlUrlLosesItsPasswordParametersAndKeepsTheRest() {
        String shown = Redaction.url("jdbc:postgresql://db.example.com:5432/ivr?user=ivr&password=" + SECRET
                + "&sslmode=require&sslpassword=" + SECRET);
        assertThat(shown).doesNotContain(SECRET)
                .isEqualTo("jdbc:postgresql://db.example.com:5432/ivr?user=ivr&password=***&sslmode=require&sslpassword=***");
    }

    @Test
    void anH2UrlLosesItsPasswordSetting() {
        assertThat(Redaction.url("jdbc:h2:file:/srv/ivr;MODE=PostgreSQL;USER=sa;PASSWORD=" + SECRET + ";CIPHER=AES"))
                .isEqualTo("jdbc:h2:file:/srv/ivr;MODE=PostgreSQL;USER=sa;PASSWORD=***;CIPHER=AES");
    }

    @Test
    void userAndPasswordBeforeTheHostAreMasked() {
        assertThat(Redaction.url("jdbc:postgresql://ivr:" + SECRET + "@db:5432/ivr")).isEqualTo("jdbc:postgresql://***@db:5432/ivr");
        assertThat(Redaction.url("http://asterisk:" + SECRET + "@ivr-1:8080/prompts")).isEqualTo("http://***@ivr-1:8080/prompts");
        assertThat(Redaction.url("https://hooks.example.com/in?token=" + SECRET)).isEqualTo("https://hooks.example.com/in?token=***");
    }

    @Test
    void aUrlWithoutCredentialsIsShownAsItIs() {
        for (String url : List.of("jdbc:postgresql://db:5432/ivr?sslmode=require", "jdbc:h2:tcp://db:9092/ivr;MODE=PostgreSQL",
                "jdbc:h2:durable:/var/lib/ivr/db/ivr;WRITE_DELAY=0", "http://ivr-1:8080/prompts")) {
            assertThat(Redaction.url(url)).isEqualTo(url);
        }
        assertThat(Redaction.url(null)).isNull();
    }

    @Test
    void theSchemeAloneNamesAUrlThatIsRefused() {
        assertThat(Redaction.scheme("jdbc:mysql://root:" + SECRET + "@db/ivr?password=" + SECRET)).isEqualTo("jdbc:mysql:...");
        assertThat(Redaction.scheme("JDBC:H2:mem:x;PASSWORD=" + SECRET)).isEqualTo("JDBC:H2:...");
        assertThat(Redaction.scheme("postgres://ivr:" + SECRET + "@db/ivr")).isEqualTo("postgres://...");
        // a password typed into the URL's setting: not shown at all
        assertThat(Redaction.scheme(SECRET)).isEqualTo("a value without a URL scheme");
        assertThat(Redaction.scheme("ivr:" + SECRET + "@db")).doesNotContain(SECRET);
        assertThat(Redaction.scheme(null)).isEqualTo("nothing");
    }

    @Test
    void aSettingIsShownByItsKey() {
        assertThat(Redaction.setting("database.password", SECRET)).isEqualTo("***");
        assertThat(Redaction.setting("ami.secret", SECRET)).isEqualTo("***");
        assertThat(Redaction.setting("http.tokens[0].token", SECRET)).isEqualTo("***");
        assertThat(Redaction.setting("database.url", "jdbc:postgresql://db/ivr?password=" + SECRET))
                .isEqualTo("jdbc:postgresql://db/ivr?password=***");
        assertThat(Redaction.setting("agi.port", "abc")).isEqualTo("abc");
        assertThat(Redaction.secret(SECRET)).isEqualTo("***");
        assertThat(Redaction.secret("")).isEmpty();
        assertThat(Redaction.secret(null)).isEmpty();
    }

    @Test
    void theDatabaseSettingsShowNeitherPasswordNorTheUrlsCredentials() {
        DatabaseConfig c = new DatabaseConfig("jdbc:postgresql://db/ivr?password=" + SECRET, "ivr", SECRET, 5, 2,
                Duration.ofSeconds(1));
        assertThat(c.toString()).doesNotContain(SECRET).contains("user=ivr", "password=***", "jdbc:postgresql://db/ivr");
    }

    @Test
    void aTokensSettingsShowNeitherTheTokenNorItsHash() {
        TokenConfig t = new TokenConfig("ops", List.of("admin"), SECRET + "-long-enough", null, null);
        assertThat(t.toString()).doesNotContain(SECRET).contains("name=ops", "token=***");
        TokenConfig h = new TokenConfig("ops", List.of("admin"), null, "ab".repeat(32), null);
        assertThat(h.toString()).doesNotContain("abab").contains("sha256=***");
    }

    @Test
    void anEndpointsSettingsShowItsSecretHeadersNamesOnly() {
        EndpointConfig e = new EndpointConfig("orders", "https://orders.example.com/api", Map.of("Accept-Language", "en"),
                Map.of("Authorization", "Bearer " + SECRET), Map.of("X-Api-Key", Path.of("/run/secrets/orders-key")),
                null, null, null, null, null);
        assertThat(e.toString()).doesNotContain(SECRET).contains("Authorization=***", "Accept-Language=en",
                "/run/secrets/orders-key");
    }

    @Test
    void theAmiSettingsShowNoSecret() {
        AmiConfig a = new AmiConfig(true, "pbx", 5038, "ivr", SECRET, List.of(new PbxConfig("pbx-a", "pbx-a", null, null,
                SECRET, List.of(), List.of())));
        assertThat(a.toString()).doesNotContain(SECRET);
    }
}
