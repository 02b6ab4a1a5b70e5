package dev.ivr.loadgen;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The heap figure is read from jcmd's GC.heap_info as each collector prints it. */
class ProcessProbeTest {
    @Test
    void readsTheHeapInUseOfG1() throws Exception {
        String g1 = """
                12345:
                 garbage-first heap   total 393216K, used 204800K [0x0000000080000000, 0x0000000100000000)
                  region size 1024K, 20 young (20480K), 3 survivors (3072K)
                 Metaspace       used 61234K, committed 62080K, reserved 1114112K
                """;
        assertThat(ProcessProbe.heapUsed(g1)).isEqualTo(204800L * 1024);
    }

    @Test
    void readsTheHeapInUseOfZgc() throws Exception {
        String zgc = """
                24546:
                 ZHeap           used 120M, capacity 1880M, max capacity 2048M
                  Cache           1760M (19)
                 Metaspace       used 60000K, committed 61000K, reserved 1114112K
                """;
        assertThat(ProcessProbe.heapUsed(zgc)).isEqualTo(120L << 20);
    }

    @Test
    void readsTheHeapInUseOfShenandoah() throws Exception {
        // JDK 25's jcmd GC.heap_info, the same in the satb and the generational mode; "committed" must not be read
        String shenandoah = """
                12100:
                Shenandoah Heap
                 2048M max, 2048M soft max, 2048M committed, 13045K used
                 8192 x 256 K regions
                Status: not cancelled
                 Metaspace       used 61234K, committed 62080K, reserved 1114112K
                """;
        assertThat(ProcessProbe.heapUsed(shenandoah)).isEqualTo(13045L * 1024);
    }

    @Test
    void anUnknownFormatIsAnErrorNotAZero() {
        assertThatThrownBy(() -> ProcessProbe.heapUsed("12345:\n Metaspace used 1K\n")).isInstanceOf(IOException.class);
    }

    @Test
    void cpuTimeIsUserPlusSystemCountedAfterTheCommandName() throws Exception {
        // a command name with a space and a parenthesis must not shift the fields
        String stat = "4242 (java (x) y) S 1 4242 4242 0 -1 4194560 123 0 0 0 1500 250 3 4 20 0 57 0 1234 5678 910 "
                + "18446744073709551615 1 1 0 0 0 0 0 0 0 0 0 0 17 1 0 0 0 0 0\n";
        assertThat(ProcessProbe.cpuTicks(stat)).isEqualTo(1750);
        assertThatThrownBy(() -> ProcessProbe.cpuTicks("garbage")).isInstanceOf(IOException.class);
    }

    @Test
    void thisProcessHasUsedSomeCpu() throws Exception {
        assertThat(new ProcessProbe(ProcessHandle.current().pid()).cpuNanos()).isPositive();
    }

    @Test
    void theMachinesBusyTimeLeavesOutIdleAndIowait() throws Exception {
        // cpu user nice system idle iowait irq softirq steal guest guest_nice
        assertThat(ProcessProbe.busyTicks("cpu  100 5 50 9000 300 7 8 2 40 0")).isEqualTo(100 + 5 + 50 + 7 + 8 + 2);
        assertThatThrownBy(() -> ProcessProbe.busyTicks("cpu0 1 2 3 4 5 6 7 8")).isInstanceOf(IOException.class);
    }

    @Test
    void otherProcessesCpuIsTheMachinesBusyTimeLessTheServersAndTheGenerators() {
        // 10 s window: the machine was busy 12 CPU-seconds, the server 5, the load generator 3: others 4 s = 40% of one CPU
        assertThat(Measurement.otherCpuPercent(0, 12_000_000_000L, 1_000_000_000L, 6_000_000_000L, 3_000_000_000L, 10.0))
                .isCloseTo(40.0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(Measurement.otherCpuPercent(0, 1_000_000_000L, 0, 2_000_000_000L, 0, 10.0)).isZero();
        assertThat(Measurement.otherCpuPercent(-1, 1, 0, 1, 0, 10.0)).isEqualTo(-1);
        assertThat(Measurement.otherCpuPercent(0, 1, -1, -1, 0, 10.0)).isEqualTo(-1);
    }

    @Test
    void theJitCompilersAreTheThreadsHotSpotNamesC1AndC2CompilerThread() {
        assertThat(ProcessProbe.isJitThread("4250 (C2 CompilerThre) S 1 4242 4242 0 -1 0 0 0 0 0 900 20 0 0")).isTrue();
        assertThat(ProcessProbe.isJitThread("4251 (C1 CompilerThre) S 1 4242 4242 0 -1 0 0 0 0 0 90 2 0 0")).isTrue();
        assertThat(ProcessProbe.isJitThread("4252 (GC Thread#0) S 1 4242 4242 0 -1 0 0 0 0 0 90 2 0 0")).isFalse();
        assertThat(ProcessProbe.isJitThread("4253 (journal-outbox) S 1 4242 4242 0 -1 0 0 0 0 0 90 2 0 0")).isFalse();
    }

    @Test
    void theJitsTimeOverAWindowIsEachCompilerThreadsOwnIncrease() {
        long tick = 1_000_000_000L / ProcessProbe.CLOCK_TICKS;
        // thread 2 started within the window: all of its time; thread 3 stopped meanwhile: its time is not counted
        assertThat(ProcessProbe.jitNanosBetween(Map.of(1L, 100L, 3L, 40L), Map.of(1L, 130L, 2L, 5L))).isEqualTo(35 * tick);
        assertThat(ProcessProbe.jitNanosBetween(Map.of(), Map.of())).isEqualTo(-1);
    }

    @Test
    void thisJvmHasJitCompilerThreads() {
        assertThat(new ProcessProbe(ProcessHandle.current().pid()).jitTicks()).isNotEmpty();
    }
}
