package io.compensa.host.store.postgres;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.state.StateLock;
import io.compensa.host.state.StateLockedException;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.proto.v1.FinishedApply;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A state kept in PostgreSQL, shared by hosts on several machines; its journal is {@link
 * #journal()}.
 *
 * <p>The lock is a session advisory lock on a key derived from the state's name, taken on a
 * connection of its own that then carries every read and write of the holder (see {@link Session}):
 * when the holder's process or machine dies, PostgreSQL ends the session and the lock goes with it.
 * Who holds it, and since when, is written in {@code compensa_lock_holders} by the same session. A
 * snapshot is stored as one row per state plus one row per resource; a write is one transaction
 * that changes only the resources that differ from what this session last wrote, so a write costs
 * what changed, not the size of the state. Reads outside the lock use a short connection of their
 * own. The schema is created or migrated on the first connection. Thread-safe.
 */
public final class PostgresStore implements StateStore {
  private final PostgresSettings settings;
  private final long lockKey;
  private final PostgresJournal journal;
  private volatile boolean migrated;
  private volatile Session session;

  /** A store over the state {@code settings} name; nothing is connected until first use. */
  public PostgresStore(PostgresSettings settings) {
    requireDriver();
    this.settings = settings;
    this.lockKey = lockKey(settings.state());
    this.journal = new PostgresJournal(this);
  }

  /**
   * Fails at once, saying what to add, when pgjdbc is missing: the host library declares it
   * optional, so an embedder that keeps its state in PostgreSQL adds it (the CLI includes it).
   */
  private static void requireDriver() {
    try {
      Class.forName("org.postgresql.Driver", false, PostgresStore.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException(
          "a PostgreSQL state needs the PostgreSQL JDBC driver, which is not on the"
              + " class path: add org.postgresql:postgresql (42.7.x) to the program's dependencies (the compensa"
              + " CLI includes it)",
          e);
    }
  }

  /** The state's journal, in the same database and written through the same session. */
  public PostgresJournal journal() {
    return journal;
  }

  /**
   * The state's secrets, in the same database, encrypted with {@code key} (and written through the
   * same session while this process holds the lock).
   */
  public PostgresSecretStore secrets(io.compensa.host.secrets.SecretsKey key) {
    return new PostgresSecretStore(this, key);
  }

  /** Where the state lives. */
  public PostgresSettings settings() {
    return settings;
  }

  String state() {
    return settings.state();
  }

  /** The session holding this state's lock in this process, if any. */
  Optional<Session> session() {
    return Optional.ofNullable(session);
  }

  Connection connect() throws SQLException {
    Connection connection =
        new org.postgresql.Driver().connect(settings.jdbcUrl(), settings.connectionProperties());
    if (connection == null) {
      throw new SQLException("pgjdbc does not accept the URL " + settings.displayUrl());
    }
    try {
      if (!migrated) {
        PostgresSchema.migrate(connection);
        migrated = true;
      }
      connection.setAutoCommit(false);
      return connection;
    } catch (SQLException | RuntimeException e) {
      connection.close();
      throw e;
    }
  }

  StateStoreException failure(String what, SQLException e) {
    return new StateStoreException("cannot " + what + " " + settings + ": " + e.getMessage(), e);
  }

  @Override
  public StateLock lock(String purpose) throws StateStoreException {
    return lock(purpose, Duration.ZERO);
  }

  @Override
  public StateLock lock(String purpose, Duration timeout) throws StateStoreException {
    Connection connection;
    try {
      connection = connect();
    } catch (SQLException e) {
      throw failure("connect to lock", e);
    }
    try {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!tryLock(connection)) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          String holder = holder(connection);
          connection.close();
          throw new StateLockedException(
              settings
                  + " is locked by "
                  + holder
                  + (timeout.isZero()
                      ? ""
                      : " (gave up after waiting " + timeout.toSeconds() + " s)")
                  + ": wait for that apply to finish or pass --lock-timeout; the lock goes when that host's database"
                  + " connection ends, also when it crashes");
        }
        Thread.sleep(Math.min(Duration.ofNanos(left).toMillis() + 1, 250));
      }
      try (PreparedStatement holder =
          connection.prepareStatement(
              "INSERT INTO compensa_lock_holders"
                  + " (state, host_pid, host_name, purpose, since, backend_pid) VALUES (?, ?, ?, ?, now(), pg_backend_pid())"
                  + " ON CONFLICT (state) DO UPDATE SET host_pid = excluded.host_pid, host_name = excluded.host_name,"
                  + " purpose = excluded.purpose, since = excluded.since, backend_pid = excluded.backend_pid")) {
        holder.setString(1, state());
        holder.setLong(2, ProcessHandle.current().pid());
        holder.setString(3, hostName());
        holder.setString(4, purpose);
        holder.executeUpdate();
      }
      connection.commit();
    } catch (SQLException e) {
      closeQuietly(connection);
      throw failure("lock", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closeQuietly(connection);
      throw new StateStoreException("interrupted while waiting for the lock of " + settings, e);
    }
    Session held = new Session(connection, state(), settings.toString());
    session = held;
    return new StateLock() {
      private boolean closed;

      @Override
      public synchronized void close() throws StateStoreException {
        if (closed) {
          return;
        }
        closed = true;
        if (session == held) {
          session = null;
        }
        try {
          if (!held.broken()) {
            try (PreparedStatement release =
                connection.prepareStatement(
                    "DELETE FROM compensa_lock_holders WHERE state = ? AND backend_pid = pg_backend_pid()")) {
              release.setString(1, state());
              release.executeUpdate();
            }
            connection.commit();
          }
        } catch (SQLException e) {
          // the session is gone, and the lock with it
        } finally {
          closeQuietly(connection);
        }
      }
    };
  }

  private boolean tryLock(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
      lock.setLong(1, lockKey);
      try (ResultSet row = lock.executeQuery()) {
        row.next();
        boolean got = row.getBoolean(1);
        connection.commit();
        return got;
      }
    }
  }

  private String holder(Connection connection) throws SQLException {
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT host_pid, host_name, purpose, since, backend_pid"
                + " FROM compensa_lock_holders WHERE state = ?")) {
      query.setString(1, state());
      try (ResultSet row = query.executeQuery()) {
        if (!row.next()) {
          return "another host (which has not recorded its name yet)";
        }
        Timestamp since = row.getTimestamp(4);
        return "pid "
            + row.getLong(1)
            + " on "
            + row.getString(2)
            + " ("
            + row.getString(3)
            + ") since "
            + since.toInstant()
            + " (database session "
            + row.getInt(5)
            + ")";
      }
    }
  }

  @Override
  public StateSnapshot read() throws StateStoreException {
    Session held = session;
    try {
      if (held != null) {
        return held.transaction(connection -> readSnapshot(connection, held));
      }
      try (Connection connection = connect()) {
        StateSnapshot snapshot = readSnapshot(connection, null);
        connection.rollback();
        return snapshot;
      }
    } catch (SQLException e) {
      throw failure("read", e);
    } catch (StateSnapshotDamage e) {
      throw new StateStoreException(
          settings
              + " holds a damaged record: "
              + e.getMessage()
              + "; it was left as it is: fix or delete that row (see docs/postgresql.md)",
          e);
    }
  }

  /** A stored record that does not parse. */
  private static final class StateSnapshotDamage extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StateSnapshotDamage(String message, Throwable cause) {
      super(message, cause);
    }
  }

  private StateSnapshot readSnapshot(Connection connection, Session cache) throws SQLException {
    StateSnapshot.Builder snapshot = StateSnapshot.newBuilder();
    long revision = -1;
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT serial, lineage, last_plan_id, revision, finished_apply::text FROM compensa_states WHERE state = ?")) {
      query.setString(1, state());
      try (ResultSet row = query.executeQuery()) {
        if (row.next()) {
          snapshot
              .setSerial(row.getLong(1))
              .setLineage(row.getString(2))
              .setLastPlanId(row.getString(3));
          revision = row.getLong(4);
          String finished = row.getString(5);
          if (finished != null) {
            FinishedApply.Builder apply = FinishedApply.newBuilder();
            try {
              JsonFormat.parser().merge(finished, apply);
            } catch (InvalidProtocolBufferException | RuntimeException e) {
              throw new StateSnapshotDamage(
                  "the state's finished_apply is not a valid record (" + e.getMessage() + ")", e);
            }
            snapshot.setFinishedApply(apply);
          }
        }
      }
    }
    Map<String, String> written = new HashMap<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT name, resource::text FROM compensa_resources WHERE state = ? ORDER BY name COLLATE \"C\"")) {
      query.setString(1, state());
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          ResourceState.Builder resource = ResourceState.newBuilder();
          try {
            JsonFormat.parser().merge(row.getString(2), resource);
          } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new StateSnapshotDamage(
                "resource row \""
                    + row.getString(1)
                    + "\" is not a valid resource record ("
                    + e.getMessage()
                    + ")",
                e);
          }
          snapshot.addResources(resource);
          written.put(resource.getName(), Session.json(resource));
        }
      }
    }
    if (cache != null) {
      cache.written = revision < 0 ? new HashMap<>() : written;
      cache.revision = revision;
    }
    return snapshot.build();
  }

  @Override
  public void write(StateSnapshot snapshot) throws StateStoreException {
    Session held = session;
    try {
      if (held != null) {
        held.transaction(
            connection -> {
              writeSnapshot(connection, held, snapshot);
              return null;
            });
        return;
      }
      try (Connection connection = connect()) {
        try {
          writeSnapshot(connection, null, snapshot);
          connection.commit();
        } catch (SQLException | RuntimeException e) {
          connection.rollback();
          throw e;
        }
      }
    } catch (SQLException e) {
      throw failure("write", e);
    }
  }

  /** The snapshot's finished_apply as ProtoJSON, or null when it has none. */
  private static String finishedApply(StateSnapshot snapshot) {
    return snapshot.hasFinishedApply() ? Session.json(snapshot.getFinishedApply()) : null;
  }

  private void writeSnapshot(Connection connection, Session cache, StateSnapshot snapshot)
      throws SQLException {
    Map<String, String> next = new LinkedHashMap<>();
    for (ResourceState resource : snapshot.getResourcesList()) {
      if (next.put(resource.getName(), Session.json(resource)) != null) {
        throw new SQLException(
            "the snapshot records resource \"" + resource.getName() + "\" twice");
      }
    }
    Map<String, String> before = null;
    long revision = -1;
    if (cache != null && cache.written != null && cache.revision >= 0) {
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE compensa_states SET serial = ?, lineage = ?,"
                  + " last_plan_id = ?, finished_apply = ?::jsonb, revision = revision + 1, updated_at = now() WHERE state = ? AND revision = ?"
                  + " RETURNING revision")) {
        update.setLong(1, snapshot.getSerial());
        update.setString(2, snapshot.getLineage());
        update.setString(3, snapshot.getLastPlanId());
        update.setString(4, finishedApply(snapshot));
        update.setString(5, state());
        update.setLong(6, cache.revision);
        try (ResultSet row = update.executeQuery()) {
          if (row.next()) {
            revision = row.getLong(1);
            before = cache.written;
          }
        }
      }
    }
    if (before == null) {
      try (PreparedStatement upsert =
          connection.prepareStatement(
              "INSERT INTO compensa_states"
                  + " (state, serial, lineage, last_plan_id, finished_apply, revision) VALUES (?, ?, ?, ?, ?::jsonb, 1) ON CONFLICT (state) DO UPDATE SET"
                  + " serial = excluded.serial, lineage = excluded.lineage, last_plan_id = excluded.last_plan_id,"
                  + " finished_apply = excluded.finished_apply,"
                  + " revision = compensa_states.revision + 1, updated_at = now() RETURNING revision")) {
        upsert.setString(1, state());
        upsert.setLong(2, snapshot.getSerial());
        upsert.setString(3, snapshot.getLineage());
        upsert.setString(4, snapshot.getLastPlanId());
        upsert.setString(5, finishedApply(snapshot));
        try (ResultSet row = upsert.executeQuery()) {
          row.next();
          revision = row.getLong(1);
        }
      }
      try (PreparedStatement clear =
          connection.prepareStatement("DELETE FROM compensa_resources WHERE state = ?")) {
        clear.setString(1, state());
        clear.executeUpdate();
      }
      before = Map.of();
    }
    try (PreparedStatement delete =
            connection.prepareStatement(
                "DELETE FROM compensa_resources WHERE state = ? AND name = ?");
        PreparedStatement upsert =
            connection.prepareStatement(
                "INSERT INTO compensa_resources (state, name, resource)"
                    + " VALUES (?, ?, ?::jsonb) ON CONFLICT (state, name) DO UPDATE SET resource = excluded.resource")) {
      for (String gone : before.keySet()) {
        if (!next.containsKey(gone)) {
          delete.setString(1, state());
          delete.setString(2, gone);
          delete.addBatch();
        }
      }
      for (Map.Entry<String, String> entry : next.entrySet()) {
        if (!Objects.equals(before.get(entry.getKey()), entry.getValue())) {
          upsert.setString(1, state());
          upsert.setString(2, entry.getKey());
          upsert.setString(3, entry.getValue());
          upsert.addBatch();
        }
      }
      delete.executeBatch();
      upsert.executeBatch();
    }
    if (cache != null) {
      cache.written = new HashMap<>(next);
      cache.revision = revision;
    }
  }

  /**
   * Inside a session transaction: makes the state record {@code record} for {@code name} (removes
   * it when empty), unless it already does; the snapshot's serial is left to the next whole write.
   */
  void writeRecord(
      Connection connection, Session cache, String name, Optional<ResourceState> record)
      throws SQLException {
    String json = record.map(Session::json).orElse(null);
    if (cache.written != null
        && cache.revision >= 0
        && Objects.equals(cache.written.get(name), json)) {
      return; // the state already holds it (the usual case: the post-driver write put it there)
    }
    try (PreparedStatement ensure =
        connection.prepareStatement(
            "INSERT INTO compensa_states (state, serial, lineage,"
                + " last_plan_id, revision) VALUES (?, 0, '', '', 0) ON CONFLICT (state) DO NOTHING")) {
      ensure.setString(1, state());
      ensure.executeUpdate();
    }
    long revision;
    try (PreparedStatement bump =
        connection.prepareStatement(
            "UPDATE compensa_states SET revision = revision + 1,"
                + " updated_at = now() WHERE state = ? RETURNING revision - 1")) {
      bump.setString(1, state());
      try (ResultSet row = bump.executeQuery()) {
        row.next();
        revision = row.getLong(1);
      }
    }
    if (json == null) {
      try (PreparedStatement delete =
          connection.prepareStatement(
              "DELETE FROM compensa_resources WHERE state = ? AND name = ?")) {
        delete.setString(1, state());
        delete.setString(2, name);
        delete.executeUpdate();
      }
    } else {
      try (PreparedStatement upsert =
          connection.prepareStatement(
              "INSERT INTO compensa_resources (state, name, resource)"
                  + " VALUES (?, ?, ?::jsonb) ON CONFLICT (state, name) DO UPDATE SET resource = excluded.resource")) {
        upsert.setString(1, state());
        upsert.setString(2, name);
        upsert.setString(3, json);
        upsert.executeUpdate();
      }
    }
    if (cache.written != null && cache.revision == revision) {
      if (json == null) {
        cache.written.remove(name);
      } else {
        cache.written.put(name, json);
      }
      cache.revision = revision + 1;
    } else {
      cache.written = null;
      cache.revision = -1;
    }
  }

  private static long lockKey(String state) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("compensa state " + state).getBytes(StandardCharsets.UTF_8));
      long key = 0;
      for (int i = 0; i < 8; i++) {
        key = (key << 8) | (digest[i] & 0xff);
      }
      return key;
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (Exception e) {
      return Optional.ofNullable(System.getenv("HOSTNAME")).orElse("an unknown host");
    }
  }

  private static void closeQuietly(Connection connection) {
    try {
      connection.close();
    } catch (SQLException ignored) {
      // closing a broken connection
    }
  }
}
