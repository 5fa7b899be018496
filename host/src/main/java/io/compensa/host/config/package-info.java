/**
 * The host's configuration file, {@code compensa.json}: where the state and the secrets live, and
 * which plugins to launch.
 *
 * <p>{@link io.compensa.host.config.HostConfigReader} reads it into a {@link
 * io.compensa.host.config.HostConfig}: the state location (a file, or a {@code postgresql://} URL),
 * the secrets file, and a {@link io.compensa.host.config.PluginEntry} per plugin (its command, an
 * optional SHA-256 pin, its configuration and its environment policy). Relative paths are resolved
 * against the file's directory, and plugins run there. A file that cannot be used is refused with
 * an {@link io.compensa.host.config.InvalidConfigException} naming the file, the key and what to
 * write instead.
 */
package io.compensa.host.config;
