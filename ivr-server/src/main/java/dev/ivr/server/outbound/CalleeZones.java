package dev.ivr.server.outbound;

import com.google.i18n.phonenumbers.NumberParseException;
import com.google.i18n.phonenumbers.PhoneNumberToTimeZonesMapper;
import com.google.i18n.phonenumbers.PhoneNumberUtil;

import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * The time zones a customer may be in, for calling windows in the customer's local time: the
 * zone named by a customer attribute when there is one, else the zones of the number's region
 * (libphonenumber's time-zone data: one for most countries, several for a country such as the
 * United States or Australia when the prefix does not tell), else none.
 */
final class CalleeZones {
    private CalleeZones() {
    }

    /** The zones (empty when neither the attribute nor the number tells). */
    static List<ZoneId> of(String e164, String attributeZone) {
        if (attributeZone != null && !attributeZone.isBlank()) {
            try {
                return List.of(ZoneId.of(attributeZone.trim()));
            } catch (DateTimeException e) {
                // not a zone: the number decides
            }
        }
        if (e164 == null) {
            return List.of();
        }
        try {
            var number = PhoneNumberUtil.getInstance().parse(e164, "ZZ");
            List<ZoneId> out = new ArrayList<>();
            for (String z : PhoneNumberToTimeZonesMapper.getInstance().getTimeZonesForNumber(number)) {
                if (!PhoneNumberToTimeZonesMapper.getUnknownTimeZone().equals(z)) {
                    try {
                        out.add(ZoneId.of(z));
                    } catch (DateTimeException e) {
                        // a zone the JDK does not know: skipped
                    }
                }
            }
            return List.copyOf(out);
        } catch (NumberParseException e) {
            return List.of();
        }
    }
}
