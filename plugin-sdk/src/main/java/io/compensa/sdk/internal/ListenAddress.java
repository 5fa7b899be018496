package io.compensa.sdk.internal;

import io.compensa.protocol.LaunchEnvironment;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where the plugin listens, as its host asks through the environment: a Unix socket in {@code
 * PLUGIN_UNIX_SOCKET_DIR} when that is set, otherwise a TCP port of 127.0.0.1 between {@code
 * PLUGIN_MIN_PORT} and {@code PLUGIN_MAX_PORT} (10000 and 25000 by default, as go-plugin).
 *
 * <p>Immutable and thread-safe.
 */
public sealed interface ListenAddress {

  /** Linux's limit for a socket path, without the terminating NUL byte. */
  int MAX_SOCKET_PATH_BYTES = 107;

  /**
   * A Unix domain socket.
   *
   * @param socket the socket file's absolute path
   */
  record Unix(Path socket) implements ListenAddress {}

  /**
   * A TCP port of 127.0.0.1 in a range.
   *
   * @param minPort the lowest port to try
   * @param maxPort the highest port to try
   */
  record Tcp(int minPort, int maxPort) implements ListenAddress {}

  /**
   * Returns the address the environment asks for.
   *
   * @param env the process environment
   * @return the address
   * @throws StartupException when the socket directory or the port range is unusable
   */
  static ListenAddress fromEnvironment(Map<String, String> env) throws StartupException {
    String dir = env.get(LaunchEnvironment.UNIX_SOCKET_DIR);
    if (dir != null && !dir.isBlank()) {
      return unix(Path.of(dir));
    }
    int min = port(env, LaunchEnvironment.MIN_PORT, 10000);
    int max = port(env, LaunchEnvironment.MAX_PORT, 25000);
    if (min > max) {
      throw new StartupException(
          LaunchEnvironment.MIN_PORT
              + " ("
              + min
              + ") is above "
              + LaunchEnvironment.MAX_PORT
              + " ("
              + max
              + "): give the host a port range whose minimum is not above its maximum");
    }
    return new Tcp(min, max);
  }

  private static Unix unix(Path dir) throws StartupException {
    Path absolute = dir.toAbsolutePath();
    if (!Files.isDirectory(absolute)) {
      throw new StartupException(
          LaunchEnvironment.UNIX_SOCKET_DIR
              + " is "
              + absolute
              + ", which is not a directory: the host must"
              + " create it before launching the plugin");
    }
    Path socket = absolute.resolve("compensa-" + ProcessHandle.current().pid() + ".sock");
    int bytes = socket.toString().getBytes(StandardCharsets.UTF_8).length;
    if (bytes > MAX_SOCKET_PATH_BYTES) {
      throw new StartupException(
          "the socket path "
              + socket
              + " is "
              + bytes
              + " bytes, longer than the "
              + MAX_SOCKET_PATH_BYTES
              + " Linux allows: set "
              + LaunchEnvironment.UNIX_SOCKET_DIR
              + " (or the host's temporary directory) to a shorter path such as /tmp");
    }
    return new Unix(socket);
  }

  private static int port(Map<String, String> env, String variable, int fallback)
      throws StartupException {
    String value = env.get(variable);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    try {
      int port = Integer.parseInt(value.trim());
      if (port >= 1 && port <= 65535) {
        return port;
      }
    } catch (NumberFormatException notANumber) {
      // reported below with the variable's name
    }
    throw new StartupException(
        variable + " is \"" + value + "\", not a port number: set it between 1 and 65535");
  }
}
