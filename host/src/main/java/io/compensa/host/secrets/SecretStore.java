package io.compensa.host.secrets;

import java.util.Optional;
import java.util.Set;

/**
 * Where the host keeps the output values a driver marks sensitive, so they never reach the state,
 * logs or printed output. The state keeps a {@link SecretReference} in their place. A store may
 * encrypt its values with the team's {@link SecretsKey}. Implementations are thread-safe.
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

  /**
   * Encrypts every stored value again with the key's primary key, all or none (values stored in the
   * clear by an older version are encrypted too), and returns how many there are. Rotation calls it
   * after adding the new primary key, while the old keys still decrypt.
   */
  int reencrypt() throws SecretStoreException;

  /**
   * The ids of the keys that encrypted what this store holds, including, for a shared database, the
   * entries of other states: a rotation keeps those keys.
   */
  Set<Integer> keyIdsInUse() throws SecretStoreException;

  /** Where the values live, for messages. */
  String location();
}
