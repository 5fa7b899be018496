package io.compensa.host.embed;

import io.compensa.host.secrets.SecretsKey;
import io.compensa.host.state.StateStoreException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A place to keep states other than a file, such as a database, found on the class path with {@link
 * java.util.ServiceLoader}: a module that provides one lists its implementation in {@code
 * META-INF/services/io.compensa.host.embed.StoreBackend}. The PostgreSQL store ({@code
 * compensa-store-postgres}) is one; the host library itself knows only files, so an embedder who
 * keeps states in files carries no JDBC driver.
 *
 * <p>Implementations are stateless and thread-safe, with a public no-argument constructor.
 */
public interface StoreBackend {

  /**
   * Whether {@code location} (a "state" URL, or a {@code state migrate} location) is kept by this
   * backend.
   */
  boolean accepts(String location);

  /**
   * Opens the state store, journal and secrets store at {@code location}, which {@link #accepts}
   * this backend.
   *
   * @param location the URL
   * @param passwordFile a file holding the password, when the configuration names one
   * @param secretsKey the team's key that encrypts the secrets kept there (it may be {@link
   *     SecretsKey#none()}: then storing a secret fails, saying how to give the key)
   * @throws StateStoreException when the location is malformed or its credentials cannot be read
   */
  HostStores open(String location, Optional<Path> passwordFile, SecretsKey secretsKey)
      throws StateStoreException;
}
