package io.compensa.host.store.postgres;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Creates and migrates the store's tables on first use.
 *
 * <p>Migrations are SQL resources applied in the order of {@link #MIGRATIONS}, each in its own
 * transaction with a row in {@code compensa_schema_version}. A transaction-scoped advisory lock
 * serialises hosts that start at once. A database whose schema is newer than this host knows is
 * refused rather than written. Stateless.
 */
public final class PostgresSchema {
  /** The migrations, oldest first; version N is the Nth. Append, never edit or reorder. */
  static final List<String> MIGRATIONS =
      List.of("V1__states_journal_lock_holders.sql", "V2__finished_apply.sql", "V3__secrets.sql");

  /** The schema version this host writes. */
  public static final int CURRENT_VERSION = MIGRATIONS.size();

  /** Advisory lock key under which migrations run ("compensa schema"). */
  private static final long MIGRATION_LOCK = 0x436f6d70656e7361L;

  private PostgresSchema() {}

  /** Brings the schema to {@link #CURRENT_VERSION}; the connection must not be in a transaction. */
  static void migrate(Connection connection) throws SQLException {
    boolean autoCommit = connection.getAutoCommit();
    connection.setAutoCommit(false);
    try {
      try (Statement statement = connection.createStatement()) {
        statement.execute("SELECT pg_advisory_xact_lock(" + MIGRATION_LOCK + ")");
        statement.execute(
            "CREATE TABLE IF NOT EXISTS compensa_schema_version ("
                + " version integer PRIMARY KEY, description text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())");
      }
      int current = version(connection);
      if (current > CURRENT_VERSION) {
        connection.rollback();
        throw new SQLException(
            "the database's Compensa schema is version "
                + current
                + ", newer than this host's "
                + CURRENT_VERSION
                + ": upgrade compensa on this machine");
      }
      for (int version = current + 1; version <= CURRENT_VERSION; version++) {
        String name = MIGRATIONS.get(version - 1);
        try (Statement statement = connection.createStatement()) {
          statement.execute(sql(name));
        }
        try (PreparedStatement insert =
            connection.prepareStatement(
                "INSERT INTO compensa_schema_version (version, description) VALUES (?, ?)")) {
          insert.setInt(1, version);
          insert.setString(2, name);
          insert.executeUpdate();
        }
      }
      connection.commit();
    } catch (SQLException | RuntimeException e) {
      try {
        connection.rollback();
      } catch (SQLException ignored) {
        // the connection is gone; nothing was committed
      }
      throw e;
    } finally {
      connection.setAutoCommit(autoCommit);
    }
  }

  /** The schema version recorded in the database, 0 when none. */
  static int version(Connection connection) throws SQLException {
    try (Statement statement = connection.createStatement();
        ResultSet rows =
            statement.executeQuery(
                "SELECT coalesce(max(version), 0) FROM compensa_schema_version")) {
      rows.next();
      return rows.getInt(1);
    }
  }

  private static String sql(String name) {
    String path = "migrations/" + name;
    try (InputStream in = PostgresSchema.class.getResourceAsStream(path)) {
      if (in == null) {
        throw new IllegalStateException(
            "the migration " + path + " is missing from the host's jar");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(
          "cannot read the migration " + path + ": " + e.getMessage(), e);
    }
  }
}
