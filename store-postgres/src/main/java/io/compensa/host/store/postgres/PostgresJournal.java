package io.compensa.host.store.postgres;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.journal.ApplyJournal;
import io.compensa.host.journal.Journal;
import io.compensa.host.journal.JournalException;
import io.compensa.host.journal.JournalLog;
import io.compensa.host.journal.JournalRecords;
import io.compensa.host.journal.JournalWriter;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.JournalBegin;
import io.compensa.proto.v1.JournalRecord;
import io.compensa.proto.v1.ResourceState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The apply journal of a {@link PostgresStore}'s state: rows of {@code compensa_journal}, written
 * through the session that holds the state's lock.
 *
 * <p>An intent is committed before {@link ApplyJournal#intent} returns, so before its call is made.
 * Results, failed steps and FinalizeApply are queued and committed with the next transaction, which
 * is the next state write, outcome or intent: a call's result and the state write that follows it
 * commit together. An outcome commits together with its resource's record in the state (which the
 * engine's earlier write usually already holds), so the journal never names an outcome whose record
 * the state lacks. A transaction either commits or not: there is no torn record to detect; a host
 * that dies mid-commit leaves the journal as of its last commit. Sensitive values never reach the
 * journal. Unlocked reads (for {@code ensureFinished} and {@code unfinished}) use a short
 * connection. Thread-safe.
 */
public final class PostgresJournal implements Journal {
  private static final Logger log = LoggerFactory.getLogger(PostgresJournal.class);

  private final PostgresStore store;

  PostgresJournal(PostgresStore store) {
    this.store = store;
  }

  @Override
  public String location() {
    return store.settings().toString();
  }

  @Override
  public String recoverFrom() {
    return " (from any machine)";
  }

  @Override
  public ApplyJournal begin(JournalBegin begin) throws JournalException {
    ensureFinished();
    Session session = locked("start the journal");
    try {
      session.transaction(
          connection -> {
            try (PreparedStatement clear =
                connection.prepareStatement("DELETE FROM compensa_journal WHERE state = ?")) {
              clear.setString(1, store.state());
              clear.executeUpdate();
            }
            return null;
          });
      session.startJournalAfter(0);
      long seq = session.enqueue(JournalRecords.begin(begin));
      session.commitThrough(seq);
    } catch (SQLException e) {
      throw new JournalException(
          "cannot start the journal of " + store.settings() + ": " + e.getMessage(), e);
    }
    return new Writer(session);
  }

  @Override
  public Optional<JournalLog> unfinished() throws JournalException {
    List<JournalRecord> records;
    try {
      Optional<Session> session = store.session();
      if (session.isPresent()) {
        records = session.get().transaction(this::records);
      } else {
        try (Connection connection = store.connect()) {
          records = records(connection);
          connection.rollback();
        }
      }
    } catch (SQLException e) {
      throw new JournalException(
          "cannot read the journal of " + store.settings() + ": " + e.getMessage(), e);
    }
    if (records.isEmpty()) {
      return Optional.empty();
    }
    JournalLog journal = JournalLog.of(records, false);
    return journal.complete() ? Optional.empty() : Optional.of(journal);
  }

  @Override
  public ApplyJournal resume() throws JournalException {
    Session session = locked("resume the journal");
    try {
      long last =
          session.transaction(
              connection -> {
                try (PreparedStatement query =
                    connection.prepareStatement(
                        "SELECT coalesce(max(seq), 0) FROM compensa_journal WHERE state = ?")) {
                  query.setString(1, store.state());
                  try (ResultSet row = query.executeQuery()) {
                    row.next();
                    return row.getLong(1);
                  }
                }
              });
      session.startJournalAfter(last);
    } catch (SQLException e) {
      throw new JournalException(
          "cannot reopen the journal of " + store.settings() + ": " + e.getMessage(), e);
    }
    return new Writer(session);
  }

  private Session locked(String what) throws JournalException {
    return store
        .session()
        .orElseThrow(
            () ->
                new JournalException(
                    "cannot "
                        + what
                        + " of "
                        + store.settings()
                        + " without holding the state's lock (a host bug: please report it)"));
  }

  private List<JournalRecord> records(Connection connection) throws SQLException {
    List<JournalRecord> records = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement(
            "SELECT seq, record::text FROM compensa_journal WHERE state = ? ORDER BY seq")) {
      query.setString(1, store.state());
      try (ResultSet row = query.executeQuery()) {
        while (row.next()) {
          JournalRecord.Builder record = JournalRecord.newBuilder();
          try {
            JsonFormat.parser().merge(row.getString(2), record);
          } catch (InvalidProtocolBufferException | RuntimeException e) {
            throw new SQLException(
                "journal row "
                    + row.getLong(1)
                    + " is damaged ("
                    + e.getMessage()
                    + "): it cannot be recovered automatically; keep it for an operator",
                e);
          }
          if (record.getRecordCase() == JournalRecord.RecordCase.RECORD_NOT_SET) {
            throw new SQLException(
                "journal row "
                    + row.getLong(1)
                    + " is an empty record: it cannot be recovered"
                    + " automatically; keep it for an operator");
          }
          records.add(record.build());
        }
      }
    }
    return records;
  }

  /** Stores one apply's records through the lock's session. */
  private final class Writer extends JournalWriter {
    private final Session session;

    Writer(Session session) {
      this.session = session;
    }

    @Override
    protected String location() {
      return "the journal of " + store.settings();
    }

    @Override
    protected void append(JournalRecord record) {
      session.enqueue(record);
    }

    @Override
    protected void appendDurably(JournalRecord record) throws SQLException {
      session.commitThrough(session.enqueue(record));
    }

    /** Journals the outcome, then writes the state record it leaves in the same database. */
    @Override
    public void outcome(ActionOutcome outcome, Optional<ResourceState> record) {
      super.outcome(outcome, record);
      try {
        session.transaction(
            connection -> {
              store.writeRecord(connection, session, outcome.getResourceName(), record);
              return null;
            });
      } catch (SQLException e) {
        log.error(
            "cannot record the outcome of action {}: {}", outcome.getActionId(), e.getMessage());
      }
    }
  }
}
