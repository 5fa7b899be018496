package io.compensa.host.store.postgres;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.journal.GroupedForce;
import io.compensa.proto.v1.JournalRecord;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The one database connection that holds a state's advisory lock, through which every write of the
 * apply holding that lock goes.
 *
 * <p>Journal records are queued and inserted by the next transaction: an intent's caller commits at
 * once (concurrent callers share one commit, {@link GroupedForce}: one commits everything queued so
 * far, and the others find their record already committed); other records ride along with the next
 * commit, which is usually a state write or an outcome, so a call's result and the state change it
 * implies commit together. When a transaction fails the session is broken for good: the lock may
 * already be gone with the connection, so nothing more may be written through it, and every later
 * use fails with the first error. Thread-safe.
 */
final class Session {
  /** Work done inside a session transaction. */
  @FunctionalInterface
  interface Work<T> {
    T run(Connection connection) throws SQLException;
  }

  private record Pending(long seq, JournalRecord record) {}

  final Connection connection;
  private final String state;
  private final String where;
  private final Object commitLock = new Object();
  private final List<Pending> pending = new ArrayList<>(); // guarded by this
  private long nextSeq = 1; // guarded by this
  private volatile long committedSeq; // written under commitLock

  /** Groups the commits intents wait for, as the file journal groups its forces. */
  private final GroupedForce<SQLException> commits =
      new GroupedForce<>(() -> transaction(connection -> null), this::lastEnqueued);

  private volatile String broken;

  /**
   * What this session last committed of the state: name → compact ProtoJSON, at {@link #revision}.
   */
  Map<String, String> written; // guarded by commitLock

  long revision = -1; // guarded by commitLock; -1 when unknown

  Session(Connection connection, String state, String where) {
    this.connection = connection;
    this.state = state;
    this.where = where;
  }

  /** Journal rows appended from now on start after {@code lastSeq}. */
  synchronized void startJournalAfter(long lastSeq) {
    pending.clear();
    nextSeq = lastSeq + 1;
  }

  /** Queues a journal record for the next commit; returns its sequence number. */
  synchronized long enqueue(JournalRecord record) {
    long seq = nextSeq++;
    pending.add(new Pending(seq, record));
    return seq;
  }

  /** Returns once the record numbered {@code seq} is committed, committing it if need be. */
  void commitThrough(long seq) throws SQLException {
    if (committedSeq < seq) {
      commits.awaitDurable(seq);
    }
  }

  private synchronized long lastEnqueued() {
    return nextSeq - 1;
  }

  /** Runs {@code work} and inserts every queued journal record, in one transaction. */
  <T> T transaction(Work<T> work) throws SQLException {
    synchronized (commitLock) {
      if (broken != null) {
        throw new SQLException(broken);
      }
      List<Pending> batch;
      synchronized (this) {
        batch = new ArrayList<>(pending);
        pending.clear();
      }
      try {
        T result = work.run(connection);
        if (!batch.isEmpty()) {
          try (PreparedStatement insert =
              connection.prepareStatement(
                  "INSERT INTO compensa_journal (state, seq, record) VALUES (?, ?, ?::jsonb)")) {
            for (Pending record : batch) {
              insert.setString(1, state);
              insert.setLong(2, record.seq());
              insert.setString(3, json(record.record()));
              insert.addBatch();
            }
            insert.executeBatch();
          }
        }
        connection.commit();
        if (!batch.isEmpty()) {
          committedSeq = Math.max(committedSeq, batch.get(batch.size() - 1).seq());
        }
        return result;
      } catch (SQLException | RuntimeException e) {
        written = null;
        revision = -1;
        broken =
            "the connection to PostgreSQL ("
                + where
                + ") failed during the apply: "
                + e.getMessage()
                + ". PostgreSQL releases this host's lock with that connection, so the apply stops here; everything"
                + " committed before stays, nothing after was written. Run `compensa recover` once the database is"
                + " reachable";
        try {
          connection.rollback();
        } catch (SQLException ignored) {
          // the connection is gone: the server rolled the transaction back
        }
        throw new SQLException(broken, e);
      }
    }
  }

  /** Whether a transaction failed; then nothing more is written through this session. */
  boolean broken() {
    return broken != null;
  }

  static String json(com.google.protobuf.MessageOrBuilder message) {
    try {
      return JsonFormat.printer().omittingInsignificantWhitespace().print(message);
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot print " + message.getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
  }
}
