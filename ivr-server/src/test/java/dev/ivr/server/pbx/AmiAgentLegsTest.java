package dev.ivr.server.pbx;

import org.junit.jupiter.api.Test;

import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmiAgentLegsTest {
    @Test
    void anEndpointsChannelsAreNamedByAnAnchoredExpression() {
        String regex = AmiAgentLegs.channelsOf("PJSIP/1001");
        assertThat(regex).isEqualTo("/^PJSIP\\/1001-[0-9a-f]+$/");
        Pattern p = Pattern.compile(regex.substring(1, regex.length() - 1));
        assertThat(p.matcher("PJSIP/1001-0000002a").find()).isTrue();
        assertThat(p.matcher("PJSIP/10012-0000002a").find()).as("another endpoint").isFalse();
        assertThat(p.matcher("PJSIP/1001-0000002a;2").find()).isFalse();
        assertThat(AmiAgentLegs.channelsOf("PJSIP/agent.7")).isEqualTo("/^PJSIP\\/agent\\.7-[0-9a-f]+$/");
    }

    @Test
    void whatIsNotAnEndpointIsRefused() {
        assertThatThrownBy(() -> AmiAgentLegs.channelsOf("PJSIP/1001&PJSIP/1002")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmiAgentLegs.channelsOf(".*")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmiAgentLegs.channelsOf(null)).isInstanceOf(IllegalArgumentException.class);
    }
}
