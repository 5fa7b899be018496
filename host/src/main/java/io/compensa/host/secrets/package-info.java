/**
 * Sensitive output values, kept apart from the state.
 *
 * <p>When a driver marks output keys sensitive, the apply engine moves their values into a {@link
 * io.compensa.host.secrets.SecretStore} and records a {@link
 * io.compensa.host.secrets.SecretReference} in the state instead, before the state is written or
 * anything is logged or printed.
 */
package io.compensa.host.secrets;
