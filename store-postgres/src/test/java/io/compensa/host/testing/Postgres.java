package io.compensa.host.testing;

import static org.junit.jupiter.api.Assertions.fail;

import io.compensa.host.state.StateStoreException;
import io.compensa.host.store.postgres.PostgresSettings;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Assumptions;

/**
 * The real PostgreSQL server that {@code .ci/postgres.sh} starts, from COMPENSA_TEST_PG_URL,
 * COMPENSA_TEST_PG_USER and COMPENSA_TEST_PG_PASSWORD. Tests that need it call {@link #require()}:
 * skipped with a message when it is absent on a developer's machine, failed when CI=true.
 */
public final class Postgres {
  private Postgres() {}

  private static final String URL = System.getenv("COMPENSA_TEST_PG_URL");
  private static final String USER =
      Optional.ofNullable(System.getenv("COMPENSA_TEST_PG_USER")).orElse("compensa");
  private static final String PASSWORD =
      Optional.ofNullable(System.getenv("COMPENSA_TEST_PG_PASSWORD")).orElse("");

  /** Skips (or, under CI=true, fails) the calling test when the server is not reachable. */
  public static void require() {
    String problem = null;
    if (URL == null || URL.isBlank()) {
      problem = "COMPENSA_TEST_PG_URL is not set";
    } else {
      try (Connection ignored = admin()) {
        return;
      } catch (SQLException e) {
        problem = "cannot connect to " + URL + ": " + e.getMessage();
      }
    }
    String message =
        "PostgreSQL tests need a server: "
            + problem
            + ". Start one with `eval \"$(.ci/postgres.sh)\"` (it exports"
            + " COMPENSA_TEST_PG_URL/USER/PASSWORD), then run the tests from that shell";
    if ("true".equals(System.getenv("CI"))) {
      fail(message + " (CI=true: PostgreSQL tests never skip in CI)");
    }
    Assumptions.abort(message);
  }

  /** A URL naming {@code state} in the test database. */
  public static String url(String state) {
    return URL + (URL.contains("?") ? "&" : "?") + "state=" + state;
  }

  /**
   * A URL naming {@code state} with the test user in it, for a config whose password is in a file.
   */
  public static String urlWithUser(String state) {
    return url(state).replaceFirst("^(postgres(ql)?://)", "$1" + USER + "@");
  }

  /** The test user's password, for a password file. */
  public static String password() {
    return PASSWORD;
  }

  /** The environment a host (this JVM's stores, or a child's) logs in with. */
  public static Map<String, String> env() {
    Map<String, String> env = new HashMap<>();
    env.put("PGUSER", USER);
    env.put("COMPENSA_PG_PASSWORD", PASSWORD);
    return env;
  }

  /** Settings for {@code state}, credentials from the test environment. */
  public static PostgresSettings settings(String state) {
    try {
      return PostgresSettings.of(url(state), Optional.empty(), env());
    } catch (StateStoreException e) {
      throw new IllegalStateException(e);
    }
  }

  /** A plain connection to the test database (autocommit on). */
  public static Connection admin() throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", USER);
    properties.setProperty("password", PASSWORD);
    properties.setProperty("connectTimeout", "5");
    return DriverManager.getConnection(
        URL.replaceFirst("^postgres(ql)?://", "jdbc:postgresql://"), properties);
  }

  /** Runs one statement with parameters; returns the update count. */
  public static int execute(String sql, Object... parameters) throws SQLException {
    try (Connection connection = admin();
        PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        statement.setObject(i + 1, parameters[i]);
      }
      return statement.execute() ? 0 : statement.getUpdateCount();
    }
  }

  /**
   * Terminates the database session holding {@code state}'s lock; returns how many were terminated.
   */
  public static int terminateLockHolder(String state) throws SQLException {
    try (Connection connection = admin();
        PreparedStatement statement =
            connection.prepareStatement(
                "SELECT count(*) FILTER (WHERE pg_terminate_backend(backend_pid)) FROM compensa_lock_holders WHERE state = ?")) {
      statement.setString(1, state);
      try (var row = statement.executeQuery()) {
        row.next();
        return row.getInt(1);
      }
    }
  }

  /** How many journal rows {@code state} has. */
  public static long journalRows(String state) throws SQLException {
    try (Connection connection = admin();
        PreparedStatement statement =
            connection.prepareStatement("SELECT count(*) FROM compensa_journal WHERE state = ?")) {
      statement.setString(1, state);
      try (var row = statement.executeQuery()) {
        row.next();
        return row.getLong(1);
      }
    } catch (SQLException e) {
      return 0; // the schema may not exist yet
    }
  }
}
