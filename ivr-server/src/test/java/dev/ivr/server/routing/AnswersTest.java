package dev.ivr.server.routing;

import dev.ivr.routing.Reservation;
import dev.ivr.routing.RoutingService;
import dev.ivr.server.callcontext.ScreenPops;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

/** An answer routing refuses (a late one) is not left marked answered, so the answer subroutine is not told OK. */
class AnswersTest {
    private final RoutingService router = mock(RoutingService.class);
    private final Offers offers = mock(Offers.class);
    private final ScreenPops screenPops = mock(ScreenPops.class);
    private final Answers answers = new Answers(router, offers, screenPops);
    private final Reservation r = new Reservation("c1", "sales", "alice", "Alice", "PJSIP/alice", 1,
            Instant.parse("2026-12-03T10:00:00Z"), Duration.ofSeconds(20));
    private final Offers.Offer offer = Offers.Offer.of(r, Offers.Mode.EXEC, "n1");
    private final Instant at = Instant.parse("2026-12-03T10:02:30Z");

    @Test
    void aRefusedAnswerPutsTheOfferBackUnanswered() {
        when(offers.markAnswered("c1", at)).thenReturn(Optional.of(offer));
        when(router.answered(r)).thenReturn(false);

        assertThat(answers.confirm("c1", at)).isFalse();

        verify(offers).put(offer);
        verify(screenPops, never()).connected("alice", "c1");
    }

    @Test
    void anAcceptedAnswerStaysMarked() {
        when(offers.markAnswered("c1", at)).thenReturn(Optional.of(offer));
        when(router.answered(r)).thenReturn(true);

        assertThat(answers.confirm("c1", at)).isTrue();

        verify(offers, never()).put(offer);
        verify(screenPops).connected("alice", "c1");
    }
}
