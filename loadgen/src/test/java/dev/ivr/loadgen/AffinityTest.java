package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Which CPUs each side gets, and when nothing is pinned. */
class AffinityTest {
    @Test
    void cpuListsAsTheKernelWritesThem() {
        assertThat(Affinity.parse("0-3,6\n")).containsExactly(0, 1, 2, 3, 6);
        assertThat(Affinity.parse("1")).containsExactly(1);
        assertThat(Affinity.format(List.of(1, 2, 5))).isEqualTo("1,2,5");
    }

    @Test
    void theLoadGeneratorTakesTheFirstCpuAndTheServerTheOthers() {
        Affinity.Plan p = Affinity.plan(List.of(0, 1, 2, 3), true, null, null);
        assertThat(p.pinned()).isTrue();
        assertThat(p.loadgenCpus()).isEqualTo("0");
        assertThat(p.serverCpus()).isEqualTo("1,2,3");
        assertThat(p.serverPrefix()).containsExactly("taskset", "-c", "1,2,3");
        assertThat(p.describe()).isEqualTo("load generator on CPU 0, server on CPU 1,2,3");
    }

    @Test
    void cpusAskedForWin() {
        Affinity.Plan p = Affinity.plan(List.of(0, 1), true, "1", "0");
        assertThat(p.loadgenCpus()).isEqualTo("1");
        assertThat(p.serverCpus()).isEqualTo("0");
    }

    @Test
    void withoutTasksetOrWithOneCpuNothingIsPinnedAndTheReportSaysWhy() {
        Affinity.Plan none = Affinity.plan(List.of(0, 1), false, null, null);
        assertThat(none.pinned()).isFalse();
        assertThat(none.serverPrefix()).isEmpty();
        assertThat(none.describe()).contains("not pinned").contains("taskset");
        assertThat(Affinity.plan(List.of(0), true, null, null).describe()).contains("only 1 CPU");
    }
}
