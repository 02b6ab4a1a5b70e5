package dev.ivr.server.crm.store;

import dev.ivr.server.crm.CrmUnavailableException;
import dev.ivr.server.crm.attributes.AttributeSchema;
import dev.ivr.server.crm.attributes.CustomerAttributes;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Changes customers' attributes in the database, in one transaction per request: values checked
 * and made canonical by the schema first, a declared number also written to the number column.
 */
public final class JdbcCustomerAttributes implements CustomerAttributes {
    private final DataSource dataSource;
    private final AttributeSchema schema;
    private final Clock clock;

    public JdbcCustomerAttributes(DataSource dataSource, AttributeSchema schema, Clock clock) {
        this.dataSource = dataSource;
        this.schema = schema;
        this.clock = clock;
    }

    @Override
    public AttributeSchema schema() {
        return schema;
    }

    @Override
    public Optional<Map<String, String>> update(String customerId, Map<String, String> changes) throws InvalidAttributes {
        Map<String, String> canonical = CustomerAttributes.canonical(schema, changes);
        try (Connection c = dataSource.getConnection()) {
            c.setAutoCommit(false);
            try {
                try (PreparedStatement ps = c.prepareStatement("update customers set updated_at = ? where id = ?")) {
                    ps.setObject(1, clock.instant().atOffset(ZoneOffset.UTC));
                    ps.setString(2, customerId);
                    if (ps.executeUpdate() == 0) {
                        c.rollback();
                        return Optional.empty();
                    }
                }
                try (PreparedStatement delete = c.prepareStatement(
                        "delete from customer_attributes where customer_id = ? and attr_name = ?");
                     PreparedStatement insert = c.prepareStatement("insert into customer_attributes"
                             + " (customer_id, attr_name, attr_value, attr_number) values (?, ?, ?, ?)")) {
                    for (Map.Entry<String, String> e : canonical.entrySet()) {
                        delete.setString(1, customerId);
                        delete.setString(2, e.getKey());
                        delete.addBatch();
                        if (e.getValue() != null) {
                            insert.setString(1, customerId);
                            insert.setString(2, e.getKey());
                            insert.setString(3, e.getValue());
                            insert.setBigDecimal(4, schema.number(e.getKey(), e.getValue()));
                            insert.addBatch();
                        }
                    }
                    delete.executeBatch();
                    insert.executeBatch();
                }
                Map<String, String> now = new TreeMap<>();
                try (PreparedStatement ps = c.prepareStatement(
                        "select attr_name, attr_value from customer_attributes where customer_id = ?")) {
                    ps.setString(1, customerId);
                    try (ResultSet rs = ps.executeQuery()) {
                        while (rs.next()) {
                            now.put(rs.getString(1), rs.getString(2));
                        }
                    }
                }
                c.commit();
                return Optional.of(now);
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new CrmUnavailableException("cannot change the attributes of a customer: " + e.getSQLState(), e);
        }
    }
}
