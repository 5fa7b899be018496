package io.compensa.host.store.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretStoreException;
import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.secrets.TeamKeyset;
import io.compensa.host.state.StateLock;
import io.compensa.host.testing.Postgres;
import io.compensa.proto.v1.Plan;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A PostgreSQL state's secrets on a real server: stored encrypted (never in the clear, not even
 * without a key), readable by another store instance that has the key (another machine), refused
 * with the exact missing piece without it, bound to their reference, committed with the journal
 * records queued before them, and re-encrypted in one transaction by a rotation.
 */
class PostgresSecretStoreTest {
  private static final SecretReference KEY = new SecretReference("deploy-key", "secret");
  private static final SecretReference NEW_OBJECT =
      new SecretReference("deploy-key/replace-1", "secret");
  private static final SecretReference OTHER = new SecretReference("ci-key", "secret");

  @TempDir Path dir;
  private String state;
  private Path keyFile;

  @BeforeEach
  void setUp() throws Exception {
    Postgres.require();
    state = "secrets-" + System.nanoTime();
    keyFile = dir.resolve("team.key");
    TeamKeyset.generate().writeTo(keyFile, false);
  }

  private PostgresStore store() {
    return new PostgresStore(Postgres.settings(state));
  }

  private PostgresSecretStore secrets(SecretsKey key) {
    return store().secrets(key);
  }

  private byte[] storedBytes(SecretReference reference) throws Exception {
    try (Connection connection = Postgres.admin();
        PreparedStatement query =
            connection.prepareStatement(
                "SELECT ciphertext FROM compensa_secrets WHERE state = ? AND reference = ?")) {
      query.setString(1, state);
      query.setString(2, reference.text());
      try (ResultSet row = query.executeQuery()) {
        return row.next() ? row.getBytes(1) : null;
      }
    }
  }

  @Test
  void aValueIsStoredEncryptedAndAnotherHostWithTheKeyReadsIt() throws Exception {
    secrets(SecretsKey.ofFile(keyFile)).put(KEY, "s3cr3t-value");

    assertThat(new String(storedBytes(KEY), StandardCharsets.ISO_8859_1))
        .doesNotContain("s3cr3t-value");
    // a second store over the same database, as on another machine
    assertThat(secrets(SecretsKey.ofFile(keyFile)).get(KEY)).contains("s3cr3t-value");
    assertThat(secrets(SecretsKey.ofFile(keyFile)).get(OTHER)).isEmpty();
  }

  @Test
  void withoutAKeyNothingIsStoredAndAStoredValueCannotBeRead() throws Exception {
    PostgresSecretStore keyless = secrets(SecretsKey.none());
    assertThatThrownBy(() -> keyless.put(KEY, "v"))
        .isInstanceOf(SecretStoreException.class)
        .hasMessage(
            "cannot store secret:deploy-key/secret in the secrets of "
                + Postgres.settings(state)
                + ": a PostgreSQL state keeps secrets only encrypted, and no secrets key is"
                + " configured: "
                + SecretsKey.howToConfigure());
    assertThat(storedBytes(KEY)).isNull();

    secrets(SecretsKey.ofFile(keyFile)).put(KEY, "v");
    assertThatThrownBy(() -> keyless.get(KEY))
        .isInstanceOf(SecretStoreException.class)
        .hasMessage(
            "secret:deploy-key/secret is stored encrypted in the secrets of "
                + Postgres.settings(state)
                + " and no secrets key is configured: "
                + SecretsKey.howToConfigure());
    // removing needs no key: a resource that is deleted takes its values along
    keyless.removeAll("deploy-key");
    assertThat(storedBytes(KEY)).isNull();
  }

  @Test
  void aWrongKeyOrARowMovedOrAlteredIsRefusedNamingTheEntry() throws Exception {
    PostgresSecretStore store = secrets(SecretsKey.ofFile(keyFile));
    store.put(KEY, "deploy-value");
    store.put(OTHER, "ci-value");

    Path theirs = dir.resolve("theirs.key");
    TeamKeyset.generate().writeTo(theirs, false);
    assertThatThrownBy(() -> secrets(SecretsKey.ofFile(theirs)).get(KEY))
        .hasMessageStartingWith(
            "secret:deploy-key/secret in the secrets of "
                + Postgres.settings(state)
                + " was encrypted with key id ")
        .hasMessageContaining("which the key file " + theirs + " does not hold");

    Postgres.execute(
        "UPDATE compensa_secrets SET ciphertext = (SELECT ciphertext FROM compensa_secrets"
            + " WHERE state = ? AND reference = ?) WHERE state = ? AND reference = ?",
        state,
        KEY.text(),
        state,
        OTHER.text());
    assertThatThrownBy(() -> store.get(OTHER))
        .hasMessageStartingWith(
            "secret:ci-key/secret in the secrets of "
                + Postgres.settings(state)
                + " does not decrypt with the key file "
                + keyFile)
        .hasMessageContaining("copied from another entry");

    Postgres.execute(
        "UPDATE compensa_secrets SET ciphertext = overlay(ciphertext placing '\\x00'::bytea from"
            + " 10 for 1) WHERE state = ? AND reference = ?",
        state,
        KEY.text());
    assertThatThrownBy(() -> store.get(KEY)).hasMessageContaining("the stored value was altered");
  }

  @Test
  void removeAllTakesAResourcesObjectsAlongAndLeavesOthers() throws Exception {
    PostgresSecretStore store = secrets(SecretsKey.ofFile(keyFile));
    store.put(KEY, "a");
    store.put(NEW_OBJECT, "b");
    store.put(OTHER, "c");
    store.put(new SecretReference("deploy-key-2", "secret"), "d");

    store.removeAll("deploy-key");

    assertThat(store.get(KEY)).isEmpty();
    assertThat(store.get(NEW_OBJECT)).isEmpty();
    assertThat(store.get(OTHER)).contains("c");
    assertThat(store.get(new SecretReference("deploy-key-2", "secret"))).contains("d");
    store.remove(OTHER);
    assertThat(store.get(OTHER)).isEmpty();
  }

  @Test
  void underTheLockAValueCommitsWithTheJournalRecordsQueuedBeforeIt() throws Exception {
    PostgresStore store = store();
    PostgresSecretStore secrets = store.secrets(SecretsKey.ofFile(keyFile));
    try (StateLock lock = store.lock("apply")) {
      var apply = store.journal().begin(Plan.newBuilder().setId("p").build(), "stop", "test");
      apply.intent("a1", "Create", 1);
      long before = Postgres.journalRows(state);
      apply.succeeded("a1", "Create", 1, io.compensa.proto.v1.CreateResponse.getDefaultInstance());
      assertThat(Postgres.journalRows(state)).as("a result is queued").isEqualTo(before);
      secrets.put(KEY, "v");
      assertThat(Postgres.journalRows(state))
          .as("the value's transaction committed the queued result")
          .isEqualTo(before + 1);
    }
  }

  @Test
  void rotationReencryptsEveryValueOfTheStateInOneGoAndReportsTheKeysStillInUse() throws Exception {
    TeamKeyset first = TeamKeyset.parse(java.nio.file.Files.readString(keyFile));
    secrets(SecretsKey.ofFile(keyFile)).put(KEY, "value-1");
    secrets(SecretsKey.ofFile(keyFile)).put(OTHER, "value-2");
    // another state in the same database, under the same key, not rotated here
    String otherState = state + "-other";
    new PostgresStore(Postgres.settings(otherState))
        .secrets(SecretsKey.ofFile(keyFile))
        .put(KEY, "elsewhere");

    TeamKeyset rotated = first.withNewPrimary();
    rotated.writeTo(keyFile, true);
    PostgresSecretStore during = secrets(SecretsKey.ofFile(keyFile));
    assertThat(during.get(KEY)).as("old ciphertexts still decrypt").contains("value-1");

    assertThat(during.reencrypt()).isEqualTo(2);

    assertThat(TeamKeyset.keyIdOf(storedBytes(KEY))).contains(rotated.primaryKeyId());
    assertThat(TeamKeyset.keyIdOf(storedBytes(OTHER))).contains(rotated.primaryKeyId());
    assertThat(during.keyIdsInUse()).contains(rotated.primaryKeyId(), first.primaryKeyId());
    assertThat(rotated.keepingOnly(during.keyIdsInUse()).keyIds())
        .as("the other state still needs the old key")
        .contains(first.primaryKeyId());
    assertThat(secrets(SecretsKey.ofFile(keyFile)).get(OTHER)).contains("value-2");
    Postgres.execute("DELETE FROM compensa_secrets WHERE state = ?", otherState);
  }

  @Test
  void rotationRefusesWhileAnotherHostHoldsTheStateAndChangesNothing() throws Exception {
    secrets(SecretsKey.ofFile(keyFile)).put(KEY, "value-1");
    byte[] before = storedBytes(KEY);
    TeamKeyset.parse(java.nio.file.Files.readString(keyFile))
        .withNewPrimary()
        .writeTo(keyFile, true);
    try (StateLock applying = store().lock("apply plan.json")) {
      assertThatThrownBy(() -> secrets(SecretsKey.ofFile(keyFile)).reencrypt())
          .isInstanceOf(SecretStoreException.class)
          .hasMessageStartingWith("cannot re-encrypt the secrets of " + Postgres.settings(state))
          .hasMessageContaining("is locked by pid " + ProcessHandle.current().pid());
    }
    assertThat(storedBytes(KEY)).isEqualTo(before);
  }
}
