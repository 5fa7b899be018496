package io.compensa.host.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.journal.Journal;
import io.compensa.host.state.StateLock;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreContract;
import io.compensa.host.state.StateStoreException;
import io.compensa.host.testing.Postgres;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.StateSnapshot;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The store contract on a real PostgreSQL server, plus what only the database store promises. */
class PostgresStoreContractTest extends StateStoreContract {
  private String state;

  @BeforeEach
  void server() {
    Postgres.require();
  }

  @Override
  protected void location() {
    state = "contract-" + System.nanoTime();
  }

  @Override
  protected StateStore store() {
    return new PostgresStore(Postgres.settings(state));
  }

  @Override
  protected Journal journal(StateStore store) {
    return ((PostgresStore) store).journal();
  }

  @Override
  protected void damageState() throws Exception {
    Postgres.execute(
        "UPDATE compensa_resources SET resource = '{\"bogus\": 1}'::jsonb WHERE state = ?", state);
  }

  @Override
  protected void interruptWrite(StateStore locked, StateSnapshot next) throws Exception {
    // the database session that holds the lock is cut (a network failure or an operator's kill)
    assertThat(Postgres.terminateLockHolder(state)).isEqualTo(1);
    assertThatThrownBy(() -> locked.write(next))
        .isInstanceOf(StateStoreException.class)
        .hasMessageContaining("compensa recover");
  }

  @Override
  protected void tearJournal() throws Exception {
    // a host that dies mid-commit: its transaction never commits
    try (Connection connection = Postgres.admin()) {
      connection.setAutoCommit(false);
      try (PreparedStatement insert =
          connection.prepareStatement(
              "INSERT INTO compensa_journal (state, seq, record) VALUES (?, 999999, '{\"complete\": {}}'::jsonb)")) {
        insert.setString(1, state);
        insert.executeUpdate();
      }
    } // closed without commit: rolled back
  }

  @Test
  void anOutcomeCommitsWithItsResourceRecordSoStateAndJournalAgree() throws Exception {
    location();
    PostgresStore store = (PostgresStore) store();
    ResourceState r1 = resource("r1", "x");
    try (StateLock lock = store.lock("apply")) {
      var apply = store.journal().begin(Plan.newBuilder().setId("p").build(), "stop", "test");
      apply.intent("a1", "Create", 1);
      // the engine's own state write failed (say); the outcome still brings the record with it
      apply.outcome(
          ActionOutcome.newBuilder()
              .setActionId("a1")
              .setResourceName("r1")
              .setStatus(ActionStatus.ACTION_STATUS_SUCCESS)
              .build(),
          Optional.of(r1));
      assertThat(store().read().getResourcesList()).containsExactly(r1);
      assertThat(store.journal().unfinished().orElseThrow().outcome("a1")).isPresent();
    }
  }

  @Test
  void theLockGoesWithTheHoldersConnection() throws Exception {
    location();
    StateLock held = store().lock("a host that will vanish");
    assertThat(Postgres.terminateLockHolder(state)).isEqualTo(1);
    try (StateLock mine = store().lock("next host", java.time.Duration.ofSeconds(5))) {
      assertThat(mine).isNotNull();
    }
    held.close();
  }

  @Test
  void severalStatesShareOneDatabaseAndTheSchemaIsVersioned() throws Exception {
    location();
    String first = state;
    StateStore a = store();
    try (StateLock lock = a.lock("a")) {
      a.write(snapshot(1, resource("only-in-a", "1")));
      location();
      StateStore b = store();
      try (StateLock other = b.lock("b at the same time")) {
        b.write(snapshot(7, resource("only-in-b", "1")));
      }
      assertThat(store().read().getResourcesList())
          .extracting(ResourceState::getName)
          .containsExactly("only-in-b");
    }
    assertThat(new PostgresStore(Postgres.settings(first)).read().getSerial()).isEqualTo(1);
    try (Connection connection = Postgres.admin()) {
      assertThat(PostgresSchema.version(connection)).isEqualTo(PostgresSchema.CURRENT_VERSION);
    }
  }

  @Test
  void credentialsComeFromTheEnvironmentOrAnOwnerOnlyFileAndNeverShow(@TempDir Path dir)
      throws Exception {
    PostgresSettings fromUrl =
        PostgresSettings.of(
            "postgresql://alice:hunter2@db.example:5433/team?state=prod&sslmode=require",
            Optional.empty(),
            Map.of());
    assertThat(fromUrl.toString())
        .doesNotContain("hunter2")
        .contains("alice:***@")
        .contains("state \"prod\"");
    assertThat(fromUrl.jdbcUrl())
        .isEqualTo("jdbc:postgresql://db.example:5433/team?sslmode=require");
    assertThat(fromUrl.connectionProperties().getProperty("password")).isEqualTo("hunter2");
    PostgresSettings fromEnv =
        PostgresSettings.of(
            "postgresql://db.example/team",
            Optional.empty(),
            Map.of("PGUSER", "bob", "PGPASSWORD", "pg", "COMPENSA_PG_PASSWORD", "compensa"));
    assertThat(fromEnv.user()).isEqualTo("bob");
    assertThat(fromEnv.state()).isEqualTo("default");
    assertThat(fromEnv.connectionProperties().getProperty("password")).isEqualTo("compensa");
    Path file = dir.resolve("pg-password");
    Files.writeString(file, "from-file\n");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(
            () -> PostgresSettings.of("postgresql://db.example/team", Optional.of(file), Map.of()))
        .hasMessageContaining("chmod 600")
        .hasMessageNotContaining("from-file");
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    assertThat(
            PostgresSettings.of("postgresql://db.example/team", Optional.of(file), Map.of())
                .connectionProperties()
                .getProperty("password"))
        .isEqualTo("from-file");
    assertThatThrownBy(
            () ->
                PostgresSettings.of(
                    "postgresql://db.example/team?password=x", Optional.empty(), Map.of()))
        .hasMessageNotContaining("=x")
        .hasMessageContaining("COMPENSA_PG_PASSWORD");
  }
}
