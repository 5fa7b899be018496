package io.compensa.sdk;

import io.compensa.protocol.HandshakeLine;
import io.compensa.protocol.LaunchEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A plugin started by its author rather than by a host, to debug it under the real CLI
 * (docs/protocol.md, "Debug mode"): with {@value #ENVIRONMENT}{@code =1} in its environment it
 * serves without the magic cookie, on a Unix socket in a private directory of its own, with no
 * AutoMTLS and no orphan guard, keeps running across host runs, stops on Ctrl-C, and prints one
 * line to paste into the shell that runs {@code compensa}: {@code export
 * COMPENSA_REATTACH_PLUGINS='{"NAME":"HANDSHAKE LINE"}'}. Its configuration comes from its own
 * {@code COMPENSA_PLUGIN_CONFIG}. Stateless.
 */
final class DebugMode {
  /** The environment variable that starts a plugin in debug mode. */
  static final String ENVIRONMENT = "COMPENSA_PLUGIN_DEBUG";

  /** The host's environment variable that the printed line sets. */
  static final String REATTACH = "COMPENSA_REATTACH_PLUGINS";

  private DebugMode() {}

  /** Whether {@code env} asks for debug mode ({@value #ENVIRONMENT} is 1 or true). */
  static boolean requested(Map<String, String> env) {
    String value = env.get(ENVIRONMENT);
    return value != null && (value.equals("1") || value.equalsIgnoreCase("true"));
  }

  /**
   * What a host would pass, for a plugin nobody launched: the cookie, protocol version 1, a fresh
   * private socket directory unless one is given; no host pid, no host certificate.
   */
  static Map<String, String> environment(
      String cookieKey, String cookieValue, Map<String, String> env) {
    Map<String, String> debug = new LinkedHashMap<>(env);
    debug.put(cookieKey, cookieValue);
    debug.putIfAbsent(LaunchEnvironment.PROTOCOL_VERSIONS, "1");
    debug.remove(LaunchEnvironment.HOST_PID);
    debug.remove(LaunchEnvironment.CLIENT_CERT);
    if (!debug.containsKey(LaunchEnvironment.UNIX_SOCKET_DIR)) {
      try {
        debug.put(
            LaunchEnvironment.UNIX_SOCKET_DIR,
            Files.createTempDirectory(
                    "compensa-debug",
                    PosixFilePermissions.asFileAttribute(
                        PosixFilePermissions.fromString("rwx------")))
                .toString());
      } catch (IOException e) {
        throw new UncheckedIOException("cannot make a socket directory for debug mode", e);
      }
    }
    return debug;
  }

  /** The line to paste: sets the host's reattach variable to this plugin's handshake line. */
  static String pasteLine(String name, HandshakeLine handshake) {
    String json =
        "{\""
            + name.replace("\\", "\\\\").replace("\"", "\\\"")
            + "\":\""
            + handshake.format()
            + "\"}";
    return "export " + REATTACH + "='" + json + "'";
  }
}
