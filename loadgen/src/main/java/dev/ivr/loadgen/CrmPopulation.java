package dev.ivr.loadgen;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The customers of the call-setup benchmark, written as a CSV for the server's own
 * {@code import-customers}: the same population as the CRM store benchmark
 * ({@code CrmBenchmark}: customer {@code C0000042}, phone {@code +36200000042}, account
 * {@code 10000042}, a {@code segment} attribute, tiers in turn), called from the same three
 * number formats. One difference: first names come from a list of common names rather than
 * {@code First42}, because the flow greets a known caller by name and every distinct greeting
 * is a speech synthesis the first time; real populations share first names.
 */
final class CrmPopulation {
    static final String[] FIRST_NAMES = {"Anna", "Peter", "Maria", "John", "Laszlo", "Eva", "David", "Sarah", "Gabor",
            "Kate", "Michael", "Emma", "Istvan", "Julia", "Robert", "Linda", "Zoltan", "Nora", "Thomas", "Lucy",
            "Andras", "Eszter", "James", "Olivia", "Ferenc", "Zsofia", "William", "Grace", "Tamas", "Rita"};
    private static final String[] TIERS = {"standard", "silver", "gold", "platinum"};

    private CrmPopulation() {
    }

    static String customerId(int i) {
        return String.format("C%07d", i);
    }

    /** The number stored for customer {@code i} (E.164). */
    static String phone(int i) {
        return "+3620" + String.format("%07d", i);
    }

    /** Customer {@code i}'s number as a PBX sends it: +3620..., 3620... or 06 20 ... in turn. */
    static String dialled(int i) {
        String national = String.format("20%07d", i);
        return switch (i % 3) {
            case 0 -> "+36" + national;
            case 1 -> "36" + national;
            default -> "06 " + national.substring(0, 2) + " " + national.substring(2, 5) + " " + national.substring(5);
        };
    }

    static String firstName(int i) {
        return FIRST_NAMES[i % FIRST_NAMES.length];
    }

    /** Writes {@code n} customers in import-customers' CSV format. */
    static void writeCsv(Path file, int n) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            w.write("id,first_name,last_name,language,tier,phones,accounts,attr.segment\n");
            StringBuilder line = new StringBuilder(128);
            for (int i = 0; i < n; i++) {
                line.setLength(0);
                line.append(customerId(i)).append(',').append(firstName(i)).append(",Last").append(i).append(",en,")
                        .append(TIERS[i % 4]).append(',').append(phone(i)).append(',').append(10_000_000L + i).append(',')
                        .append(i % 5 == 0 ? "business" : "retail").append('\n');
                w.append(line);
            }
        }
    }
}
