package io.compensa.host.config;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * The host's configuration: which plugins to run and where the state and secrets live.
 *
 * @param source the file it was read from
 * @param stateFile the state file (unused when {@code stateDatabase} is present)
 * @param secretsFile the secrets file (readable only by its owner)
 * @param plugins the plugins by name, in file order
 * @param stateDatabase the PostgreSQL URL when "state" names a database rather than a file
 * @param statePasswordFile the file holding the database password ("state_password_file"), if set
 * @param secretsKeyFile the file holding the team's secrets key ("secrets_key_file"), if set; the
 *     environment may give the key instead (see {@link io.compensa.host.secrets.SecretsKey})
 */
public record HostConfig(
    Path source,
    Path stateFile,
    Path secretsFile,
    Map<String, PluginEntry> plugins,
    Optional<String> stateDatabase,
    Optional<Path> statePasswordFile,
    Optional<Path> secretsKeyFile) {
  /** A configuration whose state is a file. */
  public HostConfig(
      Path source, Path stateFile, Path secretsFile, Map<String, PluginEntry> plugins) {
    this(
        source,
        stateFile,
        secretsFile,
        plugins,
        Optional.empty(),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * Where the state lives, for messages: the file, or the database URL with any password masked.
   */
  public String stateLocation() {
    return stateDatabase
        .map(url -> url.replaceAll("(://[^:/@?#]*):[^@/?#]*@", "$1:***@"))
        .orElse(stateFile.toString());
  }
}
