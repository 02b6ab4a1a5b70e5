package dev.ivr.server.crm.store;

import dev.ivr.server.crm.Customer;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Customers read from the database: by id, by phone number (E.164), with their attributes. */
final class CustomerRows {
    static final int MAX_CUSTOMERS_PER_NUMBER = 20;
    static final String CUSTOMER_COLUMNS =
            "c.id, c.first_name, c.last_name, c.language, c.tier, a.attr_name, a.attr_value";

    private CustomerRows() {
    }

    static List<Customer> customersByPhone(Connection c, String e164) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + CUSTOMER_COLUMNS
                + " from phone_numbers p join customers c on c.id = p.customer_id"
                + " left join customer_attributes a on a.customer_id = c.id"
                + " where p.e164 = ? order by c.id, a.attr_name")) {
            ps.setString(1, e164);
            try (ResultSet rs = ps.executeQuery()) {
                List<Customer> all = readCustomers(rs);
                return all.size() > MAX_CUSTOMERS_PER_NUMBER ? all.subList(0, MAX_CUSTOMERS_PER_NUMBER) : all;
            }
        }
    }

    static Optional<Customer> customerById(Connection c, String id) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("select " + CUSTOMER_COLUMNS + " from customers c"
                + " left join customer_attributes a on a.customer_id = c.id where c.id = ? order by a.attr_name")) {
            ps.setString(1, id);
            try (ResultSet rs = ps.executeQuery()) {
                return readCustomers(rs).stream().findFirst();
            }
        }
    }

    /** Rows of CUSTOMER_COLUMNS ordered by customer id: one customer per id, attributes collected. */
    static List<Customer> readCustomers(ResultSet rs) throws SQLException {
        List<Customer> out = new ArrayList<>();
        String id = null;
        String[] fields = null;
        Map<String, String> attrs = null;
        while (rs.next()) {
            String rowId = rs.getString("id");
            if (!rowId.equals(id)) {
                if (id != null) {
                    out.add(new Customer(id, fields[0], fields[1], fields[2], fields[3], attrs));
                }
                id = rowId;
                fields = new String[]{rs.getString("first_name"), rs.getString("last_name"), rs.getString("language"),
                        rs.getString("tier")};
                attrs = new LinkedHashMap<>();
            }
            String name = rs.getString("attr_name");
            if (name != null) {
                attrs.put(name, rs.getString("attr_value"));
            }
        }
        if (id != null) {
            out.add(new Customer(id, fields[0], fields[1], fields[2], fields[3], attrs));
        }
        return out;
    }
}
