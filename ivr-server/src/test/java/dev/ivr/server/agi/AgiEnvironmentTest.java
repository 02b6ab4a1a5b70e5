package dev.ivr.server.agi;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Two calls' environments share their names and repeated values, and keep every variable as it was. */
class AgiEnvironmentTest {
    /** What Asterisk-Java's request keeps: a HashMap whose names and values are each a new string. */
    private static Map<String, String> environment(String uniqueId, String callerId) {
        Map<String, String> env = new HashMap<>();
        String[][] vars = {{"network", "yes"}, {"request", "agi://10.0.0.1:4573/customer-service"},
                {"channel", "PJSIP/1001-0000002a"}, {"language", "en"}, {"type", "PJSIP"}, {"uniqueid", uniqueId},
                {"version", "20.20.1"}, {"callerid", callerId}, {"calleridname", "unknown"}, {"callingpres", "0"},
                {"dnid", "8000"}, {"rdnis", "unknown"}, {"context", "from-pstn"}, {"extension", "8000"},
                {"priority", "3"}, {"enhanced", "0.0"}, {"accountcode", ""}, {"arg_1", "x"}};
        for (String[] v : vars) {
            env.put(new String(v[0]), new String(v[1]));
        }
        return env;
    }

    @Test
    void namesAndRepeatedValuesAreSharedAndNothingElseChanges() {
        Map<String, String> first = environment("1700000000.1", "+3612345678");
        Map<String, String> second = environment("1700000000.2", "+3698765432");
        Map<String, String> before = Map.copyOf(second);

        AgiEnvironment.share(first);
        AgiEnvironment.share(second);

        assertThat(second).isEqualTo(before);
        Map<String, String> firstNames = new HashMap<>();
        first.keySet().forEach(k -> firstNames.put(k, k));
        for (Map.Entry<String, String> e : second.entrySet()) {
            assertThat(e.getKey()).isSameAs(firstNames.get(e.getKey()));
        }
        for (String name : new String[]{"network", "request", "language", "type", "version", "context", "extension",
                "priority", "enhanced", "rdnis", "dnid"}) {
            assertThat(second.get(name)).as(name).isSameAs(first.get(name));
        }
        // the caller's number, the channel and the call's ids are the call's own
        assertThat(second.get("callerid")).isNotSameAs(first.get("callerid"));
        assertThat(second.get("channel")).isNotSameAs(first.get("channel"));
        assertThat(second.get("arg_1")).isNotSameAs(first.get("arg_1"));
    }

    @Test
    void everNewValuesDoNotMakeItKeepMore() {
        for (int i = 0; i < AgiEnvironment.MAX_KEPT * 3; i++) {
            Map<String, String> env = environment("1." + i, "1");
            env.put("request", "agi://10.0.0.1/flow?call=" + i);
            Map<String, String> before = Map.copyOf(env);
            AgiEnvironment.share(env);
            assertThat(env).isEqualTo(before);
        }
        assertThat(AgiEnvironment.kept()).isLessThanOrEqualTo(2 * AgiEnvironment.MAX_KEPT);
        // the common values are shared again right after
        Map<String, String> a = environment("2.1", "1");
        Map<String, String> b = environment("2.2", "1");
        AgiEnvironment.share(a);
        AgiEnvironment.share(b);
        assertThat(b.get("context")).isSameAs(a.get("context"));
    }

    @Test
    void noEnvironmentIsNothingToDo() {
        AgiEnvironment.share(null);
        Map<String, String> empty = new HashMap<>();
        AgiEnvironment.share(empty);
        assertThat(empty).isEmpty();
    }
}
