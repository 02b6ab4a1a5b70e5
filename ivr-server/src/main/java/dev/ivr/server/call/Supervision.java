package dev.ivr.server.call;

/**
 * Supervisors listening in: the PBX rings the supervisor's phone and, once answered, spies on the
 * agent's channel ({@code ChanSpy}). Implemented over the PBX's manager interface.
 */
public interface Supervision {
    /** Without a manager interface nobody can listen in. */
    Supervision NONE = (supervisorPhone, agentEndpoint, mode) -> {
        throw new IllegalStateException("listening in needs the PBX's manager interface (ami.enabled)");
    };

    /** How the supervisor joins, as ChanSpy options (q: no beep; E: leave when the agent's call ends). */
    enum Mode {
        /** hears both, says nothing */
        LISTEN("qE"),
        /** hears both, speaks to the agent only (coaching) */
        WHISPER("qwE"),
        /** hears both and speaks to both */
        BARGE("qBE");

        private final String options;

        Mode(String options) {
            this.options = options;
        }

        public String chanSpyOptions() {
            return options;
        }
    }

    /**
     * Rings the supervisor's phone; when they answer, it spies on the agent's endpoint's channel.
     * Returns once the PBX accepted the request (the phone rings); the rest is the PBX's.
     *
     * @throws IllegalStateException when the PBX cannot be asked or refuses
     */
    void spy(String supervisorPhone, String agentEndpoint, Mode mode);
}
