package dev.ivr.server.journal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verifyNoMoreInteractions;

import java.sql.PreparedStatement;
import java.util.List;
import org.junit.jupiter.api.Test;

class PaddedInTest {

    @Test
    void aListHasOneOfEightLengths() {
        assertThat(PaddedIn.size(1)).isEqualTo(8);
        assertThat(PaddedIn.size(8)).isEqualTo(8);
        assertThat(PaddedIn.size(9)).isEqualTo(16);
        assertThat(PaddedIn.size(31)).isEqualTo(32);
        assertThat(PaddedIn.size(33)).isEqualTo(64);
        assertThat(PaddedIn.size(256)).isEqualTo(256);
        assertThat(PaddedIn.size(257)).isEqualTo(PaddedIn.MAX);
        assertThat(PaddedIn.size(PaddedIn.MAX)).isEqualTo(PaddedIn.MAX);
        assertThatThrownBy(() -> PaddedIn.size(0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PaddedIn.size(PaddedIn.MAX + 1)).isInstanceOf(IllegalArgumentException.class);
        assertThat(PaddedIn.marks(3)).isEqualTo("?, ?, ?");
    }

    @Test
    void theValuesThenTheLastAgainFillTheList() throws Exception {
        PreparedStatement ps = mock(PreparedStatement.class);
        PaddedIn.bind(ps, 9, new PaddedIn.Part(List.of("a", "b", "c"), 5));
        var order = inOrder(ps);
        order.verify(ps).setString(9, "a");
        order.verify(ps).setString(10, "b");
        order.verify(ps).setString(11, "c");
        order.verify(ps).setString(12, "c");
        order.verify(ps).setString(13, "c");
        verifyNoMoreInteractions(ps);
    }

    @Test
    void valuesArePartedAtTheLongestListEachWithItsLength() {
        List<String> values = java.util.stream.IntStream.range(0, PaddedIn.MAX + 9).mapToObj(i -> "c" + i).toList();
        List<PaddedIn.Part> parts = PaddedIn.parts(values);
        assertThat(parts).hasSize(2);
        assertThat(parts.get(0).values()).isEqualTo(values.subList(0, PaddedIn.MAX));
        assertThat(parts.get(0).size()).isEqualTo(PaddedIn.MAX);
        assertThat(parts.get(1).values()).isEqualTo(values.subList(PaddedIn.MAX, PaddedIn.MAX + 9));
        assertThat(parts.get(1).size()).isEqualTo(16);
        assertThat(parts.get(1).padded()).hasSize(16).startsWith(values.subList(PaddedIn.MAX, PaddedIn.MAX + 9)
                .toArray(String[]::new)).endsWith("c" + (PaddedIn.MAX + 8));
        assertThat(parts.get(1).marks()).isEqualTo(PaddedIn.marks(16));
        assertThat(PaddedIn.parts(List.of())).isEmpty();
    }
}
