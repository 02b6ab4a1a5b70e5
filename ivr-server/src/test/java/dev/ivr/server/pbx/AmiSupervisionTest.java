package dev.ivr.server.pbx;

import dev.ivr.server.call.Supervision;
import org.asteriskjava.manager.action.OriginateAction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AmiSupervisionTest {
    @Test
    void theSupervisorsPhoneIsOriginatedIntoChanSpyWithTheModesOptions() {
        OriginateAction a = AmiSupervision.action("PJSIP/1900", "PJSIP/1001", Supervision.Mode.WHISPER);
        assertThat(a.getChannel()).isEqualTo("PJSIP/1900");
        assertThat(a.getApplication()).isEqualTo("ChanSpy");
        assertThat(a.getData()).isEqualTo("PJSIP/1001-,qwE");
        assertThat(a.getAsync()).isTrue();
        assertThat(AmiSupervision.action("PJSIP/1900", "PJSIP/1001", Supervision.Mode.LISTEN).getData()).endsWith(",qE");
        assertThat(AmiSupervision.action("PJSIP/1900", "PJSIP/1001", Supervision.Mode.BARGE).getData()).endsWith(",qBE");
    }

    @Test
    void nothingButEndpointsGetsIntoTheDialStringOrChanSpysData() {
        assertThatThrownBy(() -> AmiSupervision.action("PJSIP/1900&PJSIP/666", "PJSIP/1001", Supervision.Mode.LISTEN))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AmiSupervision.action("PJSIP/1900", "PJSIP/1001,b", Supervision.Mode.LISTEN))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
