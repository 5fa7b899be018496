package io.compensa.host.store.postgres;

import io.compensa.host.secrets.SecretReference;
import io.compensa.host.secrets.SecretStore;
import io.compensa.host.secrets.SecretStoreException;
import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.secrets.TeamKeyset;
import io.compensa.host.state.StateLock;
import io.compensa.host.state.StateStoreException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The sensitive output values of a {@link PostgresStore}'s state: rows of {@code compensa_secrets},
 * encrypted with the team's {@link SecretsKey} (each bound to its reference), so any machine that
 * has the key can read them and no one without it can. There is no clear-text mode: without a key,
 * storing a value fails, saying how to give one.
 *
 * <p>While this process holds the state's lock, every write goes through the lock's session, so a
 * stored value commits together with the journal records queued before it (a Create's result among
 * them): a recovery that finds the result also finds the value. Without the lock (a command that
 * only reads, or the rotation, which takes it), a short connection is used. Thread-safe.
 */
public final class PostgresSecretStore implements SecretStore {
  private final PostgresStore store;
  private final SecretsKey key;

  PostgresSecretStore(PostgresStore store, SecretsKey key) {
    this.store = store;
    this.key = key;
  }

  @Override
  public String location() {
    return "the secrets of " + store.settings();
  }

  @Override
  public void put(SecretReference reference, String value) throws SecretStoreException {
    if (!key.isConfigured()) {
      throw new SecretStoreException(
          "cannot store "
              + reference.text()
              + " in "
              + location()
              + ": a PostgreSQL state keeps secrets only encrypted, and no secrets key is"
              + " configured: "
              + SecretsKey.howToConfigure());
    }
    byte[] ciphertext = key.encrypt(reference, value);
    run(
        "store " + reference.text() + " in",
        connection -> {
          upsert(connection, reference, ciphertext);
          return null;
        });
  }

  @Override
  public Optional<String> get(SecretReference reference) throws SecretStoreException {
    Optional<byte[]> ciphertext =
        run(
            "read " + reference.text() + " from",
            connection -> {
              try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT ciphertext FROM compensa_secrets WHERE state = ? AND reference = ?")) {
                query.setString(1, store.state());
                query.setString(2, reference.text());
                try (ResultSet row = query.executeQuery()) {
                  return row.next() ? Optional.of(row.getBytes(1)) : Optional.<byte[]>empty();
                }
              }
            });
    if (ciphertext.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(key.decrypt(reference, ciphertext.get(), location()));
  }

  @Override
  public void remove(SecretReference reference) throws SecretStoreException {
    run(
        "remove " + reference.text() + " from",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM compensa_secrets WHERE state = ? AND reference = ?")) {
            delete.setString(1, store.state());
            delete.setString(2, reference.text());
            delete.executeUpdate();
          }
          return null;
        });
  }

  @Override
  public void removeAll(String resourceName) throws SecretStoreException {
    String prefix = new SecretReference(resourceName, "").text();
    run(
        "remove the secrets of \"" + resourceName + "\" from",
        connection -> {
          try (PreparedStatement delete =
              connection.prepareStatement(
                  "DELETE FROM compensa_secrets WHERE state = ? AND starts_with(reference, ?)")) {
            delete.setString(1, store.state());
            delete.setString(2, prefix);
            delete.executeUpdate();
          }
          return null;
        });
  }

  /**
   * Re-encrypts every value of this state under the key's primary key, holding the state's lock (no
   * apply writes secrets meanwhile): the values are read and decrypted first, then written in one
   * transaction, so either every value or none changes.
   */
  @Override
  public int reencrypt() throws SecretStoreException {
    key.keyset(); // says what is missing before the lock is taken
    if (store.session().isPresent()) {
      return reencryptHeld();
    }
    try (StateLock lock = store.lock("compensa secrets rotate")) {
      return reencryptHeld();
    } catch (StateStoreException e) {
      throw new SecretStoreException("cannot re-encrypt " + location() + ": " + e.getMessage(), e);
    }
  }

  private int reencryptHeld() throws SecretStoreException {
    Map<SecretReference, byte[]> stored =
        run(
            "read",
            connection -> {
              Map<SecretReference, byte[]> all = new LinkedHashMap<>();
              try (PreparedStatement query =
                  connection.prepareStatement(
                      "SELECT reference, ciphertext FROM compensa_secrets WHERE state = ?"
                          + " ORDER BY reference")) {
                query.setString(1, store.state());
                try (ResultSet row = query.executeQuery()) {
                  while (row.next()) {
                    String text = row.getString(1);
                    Optional<SecretReference> reference = SecretReference.parse(text);
                    if (reference.isEmpty()) {
                      throw new SQLException("its row \"" + text + "\" is no secret reference");
                    }
                    all.put(reference.get(), row.getBytes(2));
                  }
                }
              }
              return all;
            });
    Map<SecretReference, byte[]> sealed = new LinkedHashMap<>();
    for (Map.Entry<SecretReference, byte[]> entry : stored.entrySet()) {
      String value = key.decrypt(entry.getKey(), entry.getValue(), location());
      sealed.put(entry.getKey(), key.encrypt(entry.getKey(), value));
    }
    run(
        "write the re-encrypted values to",
        connection -> {
          for (Map.Entry<SecretReference, byte[]> entry : sealed.entrySet()) {
            upsert(connection, entry.getKey(), entry.getValue());
          }
          return null;
        });
    return sealed.size();
  }

  /** The keys in use by any state's secrets in this database. */
  @Override
  public Set<Integer> keyIdsInUse() throws SecretStoreException {
    return run(
        "list the keys of",
        connection -> {
          Set<Integer> ids = new TreeSet<>();
          try (PreparedStatement query =
                  connection.prepareStatement("SELECT DISTINCT key_id FROM compensa_secrets");
              ResultSet row = query.executeQuery()) {
            while (row.next()) {
              ids.add((int) row.getLong(1));
            }
          }
          return ids;
        });
  }

  private void upsert(Connection connection, SecretReference reference, byte[] ciphertext)
      throws SQLException {
    try (PreparedStatement upsert =
        connection.prepareStatement(
            "INSERT INTO compensa_secrets (state, reference, ciphertext, key_id)"
                + " VALUES (?, ?, ?, ?) ON CONFLICT (state, reference) DO UPDATE SET"
                + " ciphertext = excluded.ciphertext, key_id = excluded.key_id,"
                + " updated_at = now()")) {
      upsert.setString(1, store.state());
      upsert.setString(2, reference.text());
      upsert.setBytes(3, ciphertext);
      upsert.setLong(4, TeamKeyset.keyIdOf(ciphertext).orElse(0));
      upsert.executeUpdate();
    }
  }

  /** Runs {@code work} in a transaction of the lock's session, or of a connection of its own. */
  private <T> T run(String what, Session.Work<T> work) throws SecretStoreException {
    try {
      Optional<Session> session = store.session();
      if (session.isPresent()) {
        return session.get().transaction(work);
      }
      try (Connection connection = store.connect()) {
        T result = work.run(connection);
        connection.commit();
        return result;
      }
    } catch (SQLException e) {
      throw new SecretStoreException(
          "cannot " + what + " " + location() + ": " + e.getMessage(), e);
    }
  }
}
