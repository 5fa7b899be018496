/**
 * Checks a plugin's manifest before the host relies on it.
 *
 * <p>The launcher calls {@link io.compensa.host.manifest.ManifestValidator} right after {@code
 * Describe}. A manifest the host cannot honour (no resource types, a type without Read, a {@code
 * PLUGIN} compensation policy from a plugin that does not serve {@code CompensableService}, a
 * {@code HOST_INVERSE} policy whose inverse call the type does not support) is refused with {@link
 * io.compensa.host.manifest.InvalidManifestException}, which lists every problem at once, and the
 * plugin is stopped. Catching these at launch means an apply never discovers, half-way through a
 * failure, that the action it must undo cannot be undone.
 */
package io.compensa.host.manifest;
