package dev.ivr.server.flow.route;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class CallRouterTest {

    @Test
    void noneIsNotConfiguredAndFailsEveryRoute() {
        assertThat(CallRouter.NONE.configured()).isFalse();
        assertThat(CallRouter.NONE.route(null, null)).isInstanceOf(RouteResult.Failed.class);
    }

    @Test
    void anyOtherRouterIsConfigured() {
        CallRouter router = (request, channel) -> new RouteResult.Failed("test");
        assertThat(router.configured()).isTrue();
    }
}
