package io.compensa.host.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One plugin as the host configuration declares it.
 *
 * @param name the plugin's name in the configuration
 * @param command the executable and its arguments; a relative executable path is resolved against
 *     the configuration file's directory
 * @param sha256 the expected SHA-256 of the executable, when pinned
 * @param configJson the plugin's own configuration, as JSON text handed to it at launch
 * @param envAllow when present, only these host environment variables reach the plugin
 * @param envDeny host environment variables withheld from the plugin
 * @param workingDirectory where the plugin runs: the configuration file's directory
 * @param startTimeout how long the plugin may take to answer the handshake
 * @param callTimeout the deadline of each call to the plugin
 * @param reattach the handshake line of an already running plugin (started in debug mode) that the
 *     host attaches to instead of launching {@code command}, when given
 */
public record PluginEntry(
    String name,
    List<String> command,
    Optional<String> sha256,
    String configJson,
    Optional<Set<String>> envAllow,
    Set<String> envDeny,
    Path workingDirectory,
    Duration startTimeout,
    Duration callTimeout,
    Optional<String> reattach) {

  /** An entry that launches its command (no reattach line). */
  public PluginEntry(
      String name,
      List<String> command,
      Optional<String> sha256,
      String configJson,
      Optional<Set<String>> envAllow,
      Set<String> envDeny,
      Path workingDirectory,
      Duration startTimeout,
      Duration callTimeout) {
    this(
        name,
        command,
        sha256,
        configJson,
        envAllow,
        envDeny,
        workingDirectory,
        startTimeout,
        callTimeout,
        Optional.empty());
  }

  /** This entry, attaching to the plugin whose handshake line is {@code line}. */
  public PluginEntry withReattach(String line) {
    return new PluginEntry(
        name,
        command,
        sha256,
        configJson,
        envAllow,
        envDeny,
        workingDirectory,
        startTimeout,
        callTimeout,
        Optional.of(line));
  }
}
