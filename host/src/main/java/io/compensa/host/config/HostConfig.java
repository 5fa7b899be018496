package io.compensa.host.config;

import java.nio.file.Path;
import java.util.Map;

/**
 * The host's configuration: which plugins to run and where the state and secrets live.
 *
 * @param source the file it was read from
 * @param stateFile the state file
 * @param secretsFile the secrets file (readable only by its owner)
 * @param plugins the plugins by name, in file order
 */
public record HostConfig(Path source, Path stateFile, Path secretsFile, Map<String, PluginEntry> plugins) {}
