package dev.ivr.server.journal.store;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/** The queue summary's rows as text, for comparing what the writer kept with what the back-fill sums. */
final class SummaryRows {
    private SummaryRows() {
    }

    /** Every row with something counted, "quarter|queue|sums...", in key order. */
    static List<String> of(DataSource ds) throws SQLException {
        List<String> out = new ArrayList<>();
        try (Connection c = ds.getConnection(); Statement st = c.createStatement();
             ResultSet rs = st.executeQuery("select * from " + JournalSummary.TABLE + " order by quarter, queue")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder b = new StringBuilder();
                boolean counted = false;
                for (int i = 1; i <= n - 3; i++) { // the rules the counts were made with left out
                    String v = rs.getString(i);
                    b.append(i > 1 ? "|" : "").append(v);
                    counted |= i > 2 && !"0".equals(v);
                }
                if (counted) {
                    out.add(b.toString());
                }
            }
        }
        return out;
    }

    /** The summary summed again from every event by the migration's back-fill (and recounted with the rules). */
    static List<String> rebuilt(DataSource ds, JournalSummary summary) throws SQLException {
        try (Connection c = ds.getConnection()) {
            c.setAutoCommit(false);
            summary.rebuild(c);
            c.commit();
        }
        return of(ds);
    }
}
