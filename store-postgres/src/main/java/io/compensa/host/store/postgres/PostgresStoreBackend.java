package io.compensa.host.store.postgres;

import io.compensa.host.embed.HostStores;
import io.compensa.host.embed.StoreBackend;
import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.state.StateStoreException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Keeps states whose location is a {@code postgresql://} (or {@code postgres://}) URL in that
 * database: the {@link StoreBackend} this module registers, so that a configuration naming such a
 * URL opens a {@link PostgresStore}, its journal and its secrets wherever this jar is on the class
 * path.
 */
public final class PostgresStoreBackend implements StoreBackend {

  @Override
  public boolean accepts(String location) {
    return PostgresSettings.isPostgresUrl(location);
  }

  @Override
  public HostStores open(String location, Optional<Path> passwordFile, SecretsKey secretsKey)
      throws StateStoreException {
    PostgresStore store = new PostgresStore(PostgresSettings.of(location, passwordFile));
    return new HostStores(
        store, store.journal(), store.secrets(secretsKey), store.settings().toString());
  }
}
