package dev.ivr.fakepbx;

import org.asteriskjava.manager.ManagerConnection;
import org.asteriskjava.manager.ManagerConnectionFactory;
import org.asteriskjava.manager.ManagerConnectionState;
import org.asteriskjava.manager.ResponseEvents;
import org.asteriskjava.manager.action.OriginateAction;
import org.asteriskjava.manager.action.PJSipShowEndpointsAction;
import org.asteriskjava.manager.action.PingAction;
import org.asteriskjava.manager.event.DeviceStateChangeEvent;
import org.asteriskjava.manager.event.EndpointList;
import org.asteriskjava.manager.event.ManagerEvent;
import org.asteriskjava.manager.event.OriginateResponseEvent;
import org.asteriskjava.manager.response.ManagerResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fake AMI against Asterisk-Java's real manager client. */
@Tag("integration")
class FakeAmiIT {
    private FakeAmi ami;
    private ManagerConnection connection;
    private final List<ManagerEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        ami = new FakeAmi("ivr", "s3cret-manager");
        ami.endpoint("PJSIP/1001", "NOT_INUSE");
        ami.endpoint("PJSIP/1002", "UNAVAILABLE");
        connection = new ManagerConnectionFactory("127.0.0.1", ami.port(), "ivr", "s3cret-manager").createManagerConnection();
        connection.addEventListener(events::add);
        connection.login();
    }

    @AfterEach
    void stop() throws Exception {
        if (connection.getState() == ManagerConnectionState.CONNECTED) {
            connection.logoff();
        }
        ami.close();
    }

    @Test
    void logsInWithTheMd5ChallengeAndAnswersPing() throws Exception {
        assertThat(connection.getState()).isEqualTo(ManagerConnectionState.CONNECTED);
        assertThat(connection.getVersion().toString()).contains("20");
        ManagerResponse pong = connection.sendAction(new PingAction());
        assertThat(pong.getResponse()).isEqualTo("Success");
        assertThat(ami.actions("Login")).singleElement().satisfies(a -> assertThat(a).containsEntry("AuthType", "MD5")
                .doesNotContainValue("s3cret-manager"));
    }

    @Test
    void wrongSecretIsRefused() throws Exception {
        ManagerConnection bad = new ManagerConnectionFactory("127.0.0.1", ami.port(), "ivr", "wrong").createManagerConnection();
        assertThatThrownBy(bad::login).hasMessageContaining("Authentication failed");
    }

    @Test
    void originateIsQueuedThenReported() throws Exception {
        OriginateAction o = new OriginateAction();
        o.setChannel("PJSIP/1001");
        o.setContext("ivr-callback");
        o.setExten("+3612345678");
        o.setPriority(1);
        o.setAsync(true);
        o.setVariable("IVR_CALL_ID", "1763843012.5");
        ResponseEvents r = connection.sendEventGeneratingAction(o, 5000);
        assertThat(r.getResponse().getResponse()).isEqualTo("Success");
        assertThat(r.getEvents()).filteredOn(e -> e instanceof OriginateResponseEvent).singleElement()
                .satisfies(e -> {
                    OriginateResponseEvent ev = (OriginateResponseEvent) e;
                    assertThat(ev.getResponse()).isEqualTo("Success");
                    assertThat(ev.getReason()).isEqualTo(4);
                });
        assertThat(ami.actions("Originate")).singleElement()
                .satisfies(a -> assertThat(a).containsEntry("Channel", "PJSIP/1001").containsEntry("Exten", "+3612345678")
                        .containsEntry("Variable", "IVR_CALL_ID=1763843012.5"));
    }

    @Test
    void pushesDeviceStatesAndListsEndpoints() throws Exception {
        ami.deviceState("PJSIP/1001", "INUSE");
        org.awaitility.Awaitility.await().atMost(5, TimeUnit.SECONDS).until(() ->
                events.stream().anyMatch(e -> e instanceof DeviceStateChangeEvent d && d.getDevice().equals("PJSIP/1001")
                        && d.getState().equals("INUSE")));
        ResponseEvents r = connection.sendEventGeneratingAction(new PJSipShowEndpointsAction(), 5000);
        assertThat(r.getEvents()).filteredOn(e -> e instanceof EndpointList).hasSize(2)
                .anySatisfy(e -> assertThat(((EndpointList) e).getDevicestate()).isEqualTo("In use"))
                .anySatisfy(e -> assertThat(((EndpointList) e).getDevicestate()).isEqualTo("Unavailable"));
    }
}
