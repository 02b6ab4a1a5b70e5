import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The AGI environment's line check: the regular expression AgiSocket used before setup17 against its hand-written
 * check, thread CPU time per call (the fake PBX's 25 environment lines), after warm-up.
 * Run: java -cp ivr-server/target/ivr-server.jar docs/benchmarks/r13s-probes/EnvLineProbe.java
 */
public class EnvLineProbe {
    static final Pattern ENV_LINE = Pattern.compile("(agi|ogi)_[A-Za-z0-9_]+:( .*)?");

    public static void main(String[] args) throws Exception {
        Method check = Class.forName("dev.ivr.server.agi.AgiSocket").getDeclaredMethod("isEnvironmentLine", String.class);
        check.setAccessible(true);
        var bean = ManagementFactory.getThreadMXBean();
        int calls = 200_000;
        List<String> env = new ArrayList<>();
        for (int round = 0; round < 4; round++) {
            for (String which : List.of("regex", "hand")) {
                long t0 = bean.getCurrentThreadCpuTime();
                int ok = 0;
                for (int c = 0; c < calls; c++) {
                    env.clear();
                    environment(env, c);
                    for (String l : env) {
                        boolean m = which.equals("regex") ? ENV_LINE.matcher(l).matches() : (boolean) check.invoke(null, l);
                        if (m) {
                            ok++;
                        }
                    }
                }
                long ns = bean.getCurrentThreadCpuTime() - t0;
                System.out.printf("round %d %-5s %.2f µs CPU per call (%d lines each, %d matched)%n", round, which,
                        ns / 1000.0 / calls, env.size(), ok);
            }
        }
    }

    static void environment(List<String> env, int c) {
        env.add("agi_network: yes");
        env.add("agi_network_script: customer-service");
        env.add("agi_request: agi://127.0.0.1:4573/customer-service");
        env.add("agi_channel: PJSIP/trunk-0000" + c);
        env.add("agi_language: en");
        env.add("agi_type: PJSIP");
        env.add("agi_uniqueid: 1700000000." + c);
        env.add("agi_version: 20.20.1");
        env.add("agi_callerid: +4420794" + (c % 100000));
        env.add("agi_calleridname: Caller " + c);
        env.add("agi_callingpres: 0");
        env.add("agi_callingani2: 0");
        env.add("agi_callington: 0");
        env.add("agi_callingtns: 0");
        env.add("agi_dnid: 5000");
        env.add("agi_rdnis: unknown");
        env.add("agi_context: from-trunk");
        env.add("agi_extension: 5000");
        env.add("agi_priority: 1");
        env.add("agi_enhanced: 0.0");
        env.add("agi_accountcode: ");
        env.add("agi_threadid: 1401" + c);
        env.add("agi_arg_1: x");
        env.add("agi_arg_2: y");
        env.add("agi_arg_3: z");
    }
}
