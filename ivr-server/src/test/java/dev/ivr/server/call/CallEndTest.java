package dev.ivr.server.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a call's thread defers runs after the call (its connection's close), in order, whatever fails. */
class CallEndTest {
    private final List<String> done = new ArrayList<>();

    @Test
    void deferredWorkRunsAfterTheCallInTheOrderItWasAdded() {
        CallEnd.run(() -> {
            assertThat(CallEnd.deferring()).isTrue();
            CallEnd.later(() -> done.add("the journal's force"));
            CallEnd.later(() -> done.add("call ended"));
            done.add("connection closed");
        });
        assertThat(done).containsExactly("connection closed", "the journal's force", "call ended");
        assertThat(CallEnd.deferring()).isFalse();
    }

    @Test
    void outsideACallNothingIsDeferred() {
        CallEnd.later(() -> done.add("now"));
        done.add("after");
        assertThat(done).containsExactly("now", "after");
    }

    @Test
    void aFailureStopsNeitherTheDeferredWorkNorIsLost() {
        assertThatThrownBy(() -> CallEnd.run(() -> {
            CallEnd.later(() -> {
                throw new IllegalStateException("the force's waiter");
            });
            CallEnd.later(() -> done.add("call ended"));
            throw new IllegalArgumentException("the call");
        })).isInstanceOf(IllegalArgumentException.class)
                .satisfies(e -> assertThat(e.getSuppressed()).hasSize(1)
                        .allSatisfy(s -> assertThat(s).hasMessage("the force's waiter")));
        assertThat(done).containsExactly("call ended");
        assertThat(CallEnd.deferring()).isFalse();
    }
}
