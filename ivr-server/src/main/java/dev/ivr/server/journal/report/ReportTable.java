package dev.ivr.server.journal.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A report as columns and rows, written as CSV, JSON-ready maps, or an aligned text table. */
public record ReportTable(List<String> columns, List<List<Object>> rows) {

    /** RFC 4180 CSV with a header line; numbers as they are, text quoted when it needs to be. */
    public String csv() {
        StringBuilder sb = new StringBuilder();
        line(sb, new ArrayList<>(columns));
        rows.forEach(r -> line(sb, r));
        return sb.toString();
    }

    private static void line(StringBuilder sb, List<?> values) {
        for (int i = 0; i < values.size(); i++) {
            if (i > 0) {
                sb.append(',');
            }
            sb.append(cell(values.get(i)));
        }
        sb.append("\r\n");
    }

    private static String cell(Object v) {
        if (v == null) {
            return "";
        }
        String s = v.toString();
        if (s.startsWith("=") || s.startsWith("+") || s.startsWith("-") && !(v instanceof Number) || s.startsWith("@")) {
            s = "'" + s; // never a formula in a spreadsheet
        }
        if (s.contains(",") || s.contains("\"") || s.contains("\n") || s.contains("\r")) {
            return "\"" + s.replace("\"", "\"\"") + "\"";
        }
        return s;
    }

    /** Each row as a map of column to value. */
    public List<Map<String, Object>> maps() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (List<Object> r : rows) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int i = 0; i < columns.size(); i++) {
                m.put(columns.get(i), r.get(i));
            }
            out.add(m);
        }
        return out;
    }

    /** An aligned text table for a terminal. */
    public String text() {
        int[] width = new int[columns.size()];
        for (int i = 0; i < columns.size(); i++) {
            width[i] = columns.get(i).length();
            for (List<Object> r : rows) {
                width[i] = Math.max(width[i], String.valueOf(r.get(i) == null ? "" : r.get(i)).length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < columns.size(); i++) {
            sb.append(String.format("%-" + width[i] + "s", columns.get(i))).append(i + 1 < columns.size() ? "  " : "\n");
        }
        for (List<Object> r : rows) {
            for (int i = 0; i < columns.size(); i++) {
                Object v = r.get(i);
                String s = v == null ? "" : v.toString();
                sb.append(v instanceof Number ? String.format("%" + width[i] + "s", s) : String.format("%-" + width[i] + "s", s))
                        .append(i + 1 < columns.size() ? "  " : "\n");
            }
        }
        return sb.toString();
    }
}
