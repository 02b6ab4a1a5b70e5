package dev.ivr.fakepbx;

import java.time.Duration;
import java.util.Map;

/**
 * One {@code EXEC Dial} as the PBX carried it out: the channel it rang, and what that channel
 * started with.
 *
 * @param target    the first Dial argument, e.g. {@code PJSIP/1001}
 * @param timeout   the ring time argument, or null when none was given
 * @param options   the options argument, e.g. {@code b(ivr-agent-leg^s^1)U(ivr-agent-answered^s^1)}
 * @param inherited variables the dialled channel inherited, by the name {@code ${NAME}} reads
 *                  them with: {@code __NAME} (kept for every further channel) and {@code _NAME}
 *                  (one level), as Asterisk's variable inheritance does; others are not inherited
 * @param status    the DIALSTATUS it ended with
 * @param talk      how long the answered call lasted (zero when not answered)
 * @param answerGosub the FastAGI call the dialled channel made from its {@code U()} answer
 *                  subroutine (see {@link FakePbx#answerGosub}), or null
 */
public record DialedLeg(String target, Integer timeout, String options, Map<String, String> inherited, String status,
                        Duration talk, CallResult answerGosub) {
    public DialedLeg {
        inherited = Map.copyOf(inherited);
    }
}
