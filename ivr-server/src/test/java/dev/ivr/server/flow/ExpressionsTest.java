package dev.ivr.server.flow;

import dev.ivr.server.flow.expr.EvalException;
import dev.ivr.server.flow.expr.ExprEnv;
import dev.ivr.server.flow.expr.ExprException;
import dev.ivr.server.flow.expr.Values;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The expression language: what flows can do, what they cannot reach, and its bounds. */
class ExpressionsTest {
    final ExprEnv env = new ExprEnv(Set.of("attempts", "big", "s"));

    Map<String, Object> vars() {
        Map<String, Object> v = new HashMap<>();
        v.put("call", Map.of("ani", "3612345678", "language", "en"));
        v.put("customer", Map.of("first_name", "Anna", "tier", "gold"));
        v.put("auth", Map.of("ok", true));
        v.put("inputs", Map.of());
        v.put("attempts", 2L);
        v.put("big", List.of());
        v.put("s", "");
        return v;
    }

    @Test
    void conditionsAndTemplatesWork() throws Exception {
        assertThat(env.compile("customer.tier == \"gold\" && attempts < 3", true).test(vars())).isTrue();
        assertThat(env.template("Hello ${customer.first_name}, you called from ${call.ani}.").render(vars()))
                .isEqualTo("Hello Anna, you called from 3612345678.");
        assertThat(env.compile("attempts + 1", false).eval(vars())).isEqualTo(3L);
        assertThat(env.template("costs $$5").render(vars())).isEqualTo("costs $5");
    }

    @Test
    void aTemplateWithoutExpressionsRendersTheSameWithoutVariables() throws Exception {
        // what the flow engine relies on to skip building the variables for a fixed text
        assertThat(env.template("costs $$5, press 1.").isDynamic()).isFalse();
        assertThat(env.template("costs $$5, press 1.").render(Map.of())).isEqualTo("costs $5, press 1.");
        assertThat(env.template("Hello ${customer.first_name}").isDynamic()).isTrue();
        // still held to the length limit
        assertThatThrownBy(() -> env.template("x".repeat(Values.MAX_TEXT + 1)).render(Map.of()))
                .isInstanceOf(EvalException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "''.getClass()",
            "java.lang.Runtime.getRuntime()",
            "Runtime.exec('ls')",
            "new('java.io.File')",
            "Class.forName('java.lang.System')",
            "call.getClass().getClassLoader()",
            "readFile('/etc/passwd')",
            "http.get('http://example.com')",
            "socket('127.0.0.1', 22)",
            "System.getenv('HOME')",
            "T(java.lang.Runtime)"
    })
    void nothingReachesJavaFilesOrTheNetwork(String expression) {
        assertThatThrownBy(() -> env.compile(expression, false)).isInstanceOf(ExprException.class);
    }

    @Test
    void typeErrorsAndUnknownVariablesAreFoundBeforeAnyCall() {
        assertThatThrownBy(() -> env.compile("\"gold\"", true)).hasMessageContaining("condition");
        assertThatThrownBy(() -> env.compile("atempts < 3", true)).hasMessageContaining("undeclared reference to 'atempts'");
        assertThatThrownBy(() -> env.compile("x".repeat(1001), false)).hasMessageContaining("longer than 1000");
    }

    @Test
    void evaluationIsBounded() throws Exception {
        Map<String, Object> v = vars();
        List<Object> many = new ArrayList<>();
        for (long i = 0; i < 5000; i++) {
            many.add(i);
        }
        v.put("big", many);
        // comprehensions stop at 1000 iterations
        assertThatThrownBy(() -> env.compile("big.exists(x, x < 0)", true).test(v)).isInstanceOf(EvalException.class);
        // no value over 8192 characters: a chain of set nodes cannot double a text for ever
        v.put("s", "x".repeat(5000));
        assertThatThrownBy(() -> env.compile("s + s", false).eval(v)).isInstanceOf(EvalException.class)
                .hasMessageContaining("too large");
        assertThatThrownBy(() -> env.template("${s}${s}").render(v)).isInstanceOf(EvalException.class);
        // regular expressions are RE2: linear time, no catastrophic backtracking
        v.put("s", "a".repeat(5000) + "!");
        assertThat(env.compile("s.matches('^(a+)+$')", true).test(v)).isFalse();
    }
}
