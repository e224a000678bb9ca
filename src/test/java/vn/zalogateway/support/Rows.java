package vn.zalogateway.support;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

/** Reads and clears the real tables over JDBC, so tests check what PostgreSQL holds, not what the app says. */
public final class Rows {

    private final DataSource dataSource;

    public Rows(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    /**
     * Empties the tables. The application's background jobs (dispatcher, receipt sweeper) read them
     * meanwhile, so a deadlock with TRUNCATE is possible: PostgreSQL aborts one side, and we try again.
     */
    public void clear(String... tables) {
        for (int attempt = 1;; attempt++) {
            try {
                execute("truncate " + String.join(", ", tables) + " cascade");
                return;
            } catch (IllegalStateException failure) {
                boolean deadlock = failure.getCause() instanceof SQLException sql && "40P01".equals(sql.getSQLState());
                if (!deadlock || attempt == 5) {
                    throw failure;
                }
            }
        }
    }

    public void execute(String sql) {
        try (Connection connection = dataSource.getConnection()) {
            connection.createStatement().execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public int update(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            return statement.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public List<Map<String, Object>> query(String sql, Object... parameters) {
        try (Connection connection = dataSource.getConnection();
                PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            try (ResultSet result = statement.executeQuery()) {
                ResultSetMetaData columns = result.getMetaData();
                List<Map<String, Object>> rows = new ArrayList<>();
                while (result.next()) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    for (int c = 1; c <= columns.getColumnCount(); c++) {
                        row.put(columns.getColumnName(c), result.getObject(c));
                    }
                    rows.add(row);
                }
                return rows;
            }
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    public Map<String, Object> one(String sql, Object... parameters) {
        List<Map<String, Object>> rows = query(sql, parameters);
        if (rows.size() != 1) {
            throw new AssertionError("expected one row, found " + rows.size() + " for " + sql);
        }
        return rows.get(0);
    }

    /** A message eSMS took (SUBMITTED, with its SMSID), as the dispatcher leaves it. */
    public void submittedMessage(String id, String smsId) {
        update("insert into messages (consumer_id, id, oa_id, user_id, template_type, language, zalo_payload, status, zalo_status, "
                + "provider_message_id, created_at, updated_at, submitted_at, next_look_at) values ('00000000-0000-7000-8000-000000000001', "
                + "?::uuid, 3041812345605770721, "
                + "'5830123456789', 'transaction_order', 'VI', '{}', 'SUBMITTED', 'SUBMITTED', ?, now(), now(), now(), "
                + "now() + interval '10 minutes')", id, smsId);
    }

    public long count(String table) {
        return ((Number) one("select count(*) as n from " + table).get("n")).longValue();
    }
}
