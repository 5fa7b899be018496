package io.compensa.host.secrets;

import java.util.Optional;

/**
 * Where the host keeps the output values a driver marks sensitive, so they never reach the state,
 * logs or printed output. The state keeps a {@link SecretReference} in their place. Implementations
 * are thread-safe.
 */
public interface SecretStore {
  /** Stores {@code value} under the reference, replacing any earlier value. */
  void put(SecretReference reference, String value) throws SecretStoreException;

  /** The value stored under the reference, if any. */
  Optional<String> get(SecretReference reference) throws SecretStoreException;

  /** Removes the value stored under the reference, if any. */
  void remove(SecretReference reference) throws SecretStoreException;

  /**
   * Removes every value of {@code resourceName}, including those of its objects a
   * create-before-delete replace stored under {@code resourceName/actionId}.
   */
  void removeAll(String resourceName) throws SecretStoreException;
}
