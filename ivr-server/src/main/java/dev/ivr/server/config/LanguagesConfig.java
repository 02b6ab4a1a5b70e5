package dev.ivr.server.config;

import java.util.Map;

public record LanguagesConfig(
        @Doc("The caller's language by the number they dialled (DNIS), e.g. {\"3612345678\": hu, \"1000\": en, \"49*\": de}: a call to that number starts in that language (prompts, voice, speech, CHANNEL(language)), over the channel's own language; the customer record and the language menu still change it later. Write numbers as Asterisk sends them (agi_dnid, else agi_extension), in quotes; spaces, dashes and a leading + are ignored; a trailing * matches every number that starts so (the longest match wins), \"*\" alone every number. A language the flow does not offer is left alone.")
        Map<String, String> byDnis) implements Validated {

    /** A dialled number, or a prefix of one ending in *. */
    public static final String NUMBER_PATTERN = "[0-9]{0,20}\\*|[0-9]{1,20}";

    public LanguagesConfig {
        byDnis = byDnis == null ? Map.of() : Map.copyOf(byDnis);
    }

    @Override
    public void validate(Problems p) {
        byDnis.forEach((number, lang) -> {
            if (!normalise(number).matches(NUMBER_PATTERN)) {
                p.add("by-dnis." + number, "is not a dialled number (digits, optionally ending in * for every number"
                        + " that starts so)");
            }
            if (lang == null || !lang.matches("[a-z]{2,3}(-[A-Za-z0-9]{2,8})?")) {
                p.add("by-dnis." + number, "must be a language code such as hu or pt-BR (got '" + lang + "')");
            }
        });
    }

    /** A number as compared: spaces, dashes, dots, brackets and a leading + taken out. */
    public static String normalise(String number) {
        return number == null ? "" : number.replaceAll("[\\s\\-.()]", "").replaceFirst("^\\+", "");
    }
}
