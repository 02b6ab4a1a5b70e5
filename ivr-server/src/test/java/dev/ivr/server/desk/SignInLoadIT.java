package dev.ivr.server.desk;

import dev.ivr.server.IvrServer;
import dev.ivr.server.crm.Identification;
import dev.ivr.server.secrets.Argon2id;
import dev.ivr.server.testing.TestConfigs;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of anonymous sign-ins with an expensive password hash does not take the database from calls: no
 * connection is held while a password is hashed, the HTTP side has its own pool, and password checks beyond
 * the server's share are answered 503 at once instead of queueing.
 */
@Tag("integration")
class SignInLoadIT {

    @Test
    void callsAreStillIdentifiedWhileSignInsHashPasswords(@TempDir Path dir) throws Exception {
        try (IvrServer server = IvrServer.start(TestConfigs.server(dir.resolve("data"), Map.of(
                "IVR_DATABASE_POOL_SIZE", "2", "IVR_DATABASE_HTTP_POOL_SIZE", "1", "IVR_DATABASE_CONNECT_TIMEOUT", "250ms",
                "IVR_DESK_MAX_CONCURRENT_SIGN_INS", "1", "IVR_DESK_LOGIN_ATTEMPTS", "1000",
                "IVR_DESK_LOGIN_ADDRESS_ATTEMPTS", "1000", "IVR_AGI_DRAIN_TIME", "1s")))) {
            assertThat(server.database().awaitReady(Duration.ofSeconds(60))).isTrue();
            DeskClient api = new DeskClient(server.httpPort());
            String admin = Files.readString(dir.resolve("data/admin-token")).strip();
            api.createUser(admin, DeskApiIT.agent("heavy", "PJSIP/1009"));
            // a stored hash that costs about a second to check (64 MiB, 8 passes)
            String costly = Argon2id.hash("the right one", new Argon2id.Cost(65_536, 8, 1), new SecureRandom());
            try (Connection c = server.database().dataSource().getConnection();
                 PreparedStatement ps = c.prepareStatement("update users set password_hash = ? where id = 'heavy'")) {
                ps.setString(1, costly);
                assertThat(ps.executeUpdate()).isEqualTo(1);
            }

            int parallel = 16;
            ExecutorService pool = Executors.newFixedThreadPool(parallel);
            List<Future<DeskClient.Reply>> signIns = new ArrayList<>();
            for (int i = 0; i < parallel; i++) {
                signIns.add(pool.submit(() -> api.post("/api/login", null,
                        new JsonObject().put("id", "heavy").put("password", "a wrong one"))));
            }
            Map<Identification.Status, Integer> calls = new java.util.EnumMap<>(Identification.Status.class);
            int asked = 0;
            do { // callers keep being identified while the sign-ins are hashed
                calls.merge(server.crmStore().identify("+3612345678").status(), 1, Integer::sum);
                asked++;
            } while (signIns.stream().anyMatch(f -> !f.isDone()) || asked < 5);
            List<DeskClient.Reply> replies = new ArrayList<>();
            for (Future<DeskClient.Reply> f : signIns) {
                replies.add(f.get());
            }
            pool.shutdown();

            assertThat(calls).doesNotContainKey(Identification.Status.UNAVAILABLE).containsKey(Identification.Status.UNKNOWN);
            assertThat(replies).allMatch(r -> r.status() == 401 || r.status() == 503);
            assertThat(replies).anyMatch(r -> r.status() == 401);
            List<DeskClient.Reply> busy = replies.stream().filter(r -> r.status() == 503).toList();
            assertThat(busy).isNotEmpty().allMatch(r -> r.error().contains("too many sign-ins at this moment")
                    && "1".equals(r.header("Retry-After")));
            // and the user still signs in once the flood is over
            assertThat(api.post("/api/login", null, new JsonObject().put("id", "heavy").put("password", "the right one"))
                    .status()).isEqualTo(200);
        }
    }
}
