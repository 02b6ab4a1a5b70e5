package dev.ivr.server.crm;

import java.time.Instant;

/**
 * An agent's wrap-up of a call: the disposition and a note, shown with the call in the contact
 * history. The note is plain text (whoever shows it escapes it), at most {@link #MAX_NOTE}
 * characters, without control characters other than line breaks and tabs.
 *
 * @param code  one of the queue's wrap-up codes, or null when the queue asks for none
 * @param note  free text, or null
 */
public record WrapUp(String callId, String agentId, String queue, String code, String note, Instant savedAt) {
    /** The longest note kept (the column's size). */
    public static final int MAX_NOTE = 2000;

    public WrapUp {
        if (callId == null || callId.isBlank() || agentId == null || agentId.isBlank()) {
            throw new IllegalArgumentException("a wrap-up needs a call id and an agent id");
        }
        note = cleanNote(note);
    }

    /**
     * The note as kept: control characters other than line breaks and tabs dropped, line breaks
     * made {@code \n}, surrounding blanks stripped, null when empty.
     *
     * @throws IllegalArgumentException when it is longer than {@link #MAX_NOTE}
     */
    public static String cleanNote(String note) {
        if (note == null) {
            return null;
        }
        String s = note.replace("\r\n", "\n").replace('\r', '\n').replaceAll("[\\p{Cntrl}&&[^\\n\\t]]", "").strip();
        if (s.length() > MAX_NOTE) {
            throw new IllegalArgumentException("the note is " + s.length() + " characters long; at most " + MAX_NOTE
                    + " are kept");
        }
        return s.isEmpty() ? null : s;
    }
}
