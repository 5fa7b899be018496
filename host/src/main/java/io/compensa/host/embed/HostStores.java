package io.compensa.host.embed;

import io.compensa.host.config.HostConfig;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.journal.Journal;
import io.compensa.host.state.FileStateStore;
import io.compensa.host.state.StateStore;
import io.compensa.host.state.StateStoreException;
import io.compensa.host.store.postgres.PostgresSettings;
import io.compensa.host.store.postgres.PostgresStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The state store and journal a command works with, chosen by the configured "state": a file
 * ({@link FileStateStore} and {@link FileJournal} beside it) or a PostgreSQL URL
 * ({@link PostgresStore} and its journal, in the database). Immutable; the stores are thread-safe.
 *
 * @param state the state store
 * @param journal the journal of that state
 * @param location where the state lives, for messages (passwords masked)
 */
public record HostStores(StateStore state, Journal journal, String location) {

  /** The stores {@code host} configures. */
  public static HostStores of(HostConfig host) throws StateStoreException {
    if (host.stateDatabase().isPresent()) {
      PostgresStore store = new PostgresStore(PostgresSettings.of(host.stateDatabase().get(), host.statePasswordFile()));
      return new HostStores(store, store.journal(), store.settings().toString());
    }
    return new HostStores(new FileStateStore(host.stateFile()), new FileJournal(host.stateFile()),
        host.stateFile().toString());
  }

  /**
   * The stores at {@code location}: {@code file:PATH} (or a bare path) or a PostgreSQL URL, as the
   * {@code state migrate} options name them.
   */
  public static HostStores at(String location, Optional<Path> passwordFile) throws StateStoreException {
    if (PostgresSettings.isPostgresUrl(location)) {
      PostgresStore store = new PostgresStore(PostgresSettings.of(location, passwordFile));
      return new HostStores(store, store.journal(), store.settings().toString());
    }
    Path file = Path.of(location.startsWith("file:") ? location.substring("file:".length()) : location);
    return new HostStores(new FileStateStore(file), new FileJournal(file), file.toAbsolutePath().toString());
  }

  /** The same stores, with a state lock that waits up to {@code timeout}. */
  public HostStores waitingForLock(Duration timeout) {
    return new HostStores(StateStore.waitingForLock(state, timeout), journal, location);
  }
}
