/**
 * Sensitive output values, kept apart from the state.
 *
 * <p>When a driver marks output keys sensitive, the apply engine moves their values into a {@link
 * io.compensa.host.secrets.SecretStore} and records a {@link
 * io.compensa.host.secrets.SecretReference} in the state instead, before the state is written or
 * anything is logged or printed.
 *
 * <p>The team's {@link io.compensa.host.secrets.SecretsKey} (a Google Tink keyset, {@link
 * io.compensa.host.secrets.TeamKeyset}, from the environment or the configuration) encrypts the
 * values, each bound to its reference: always in a PostgreSQL state's store (in the
 * compensa-store-postgres module), and in the {@link io.compensa.host.secrets.FileSecretStore} when
 * a key is configured. A rotation adds a new primary key, re-encrypts every value ({@link
 * io.compensa.host.secrets.SecretStore#reencrypt()}), and drops the keys no value uses any more.
 */
package io.compensa.host.secrets;
