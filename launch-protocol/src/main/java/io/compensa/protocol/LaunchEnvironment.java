package io.compensa.protocol;

/**
 * The environment variables of the launch protocol: what a host sets when it starts a plugin, and
 * what a plugin reads. The {@code PLUGIN_*} names are go-plugin's; the {@code COMPENSA_*} ones are
 * Compensa's own additions, which a go-plugin plugin ignores. docs/protocol.md describes each.
 */
public final class LaunchEnvironment {
  /** The magic cookie's key a Compensa host sets unless a plugin's configuration names another. */
  public static final String DEFAULT_COOKIE_KEY = "COMPENSA_PLUGIN_MAGIC_COOKIE";

  /** The magic cookie's value a Compensa host sets under {@link #DEFAULT_COOKIE_KEY}. */
  public static final String DEFAULT_COOKIE_VALUE = "d3c1f0a7e5b94c2e8a6b1f0e9d7c3a52";

  /** The app protocol versions the host accepts, comma separated. */
  public static final String PROTOCOL_VERSIONS = "PLUGIN_PROTOCOL_VERSIONS";

  /** The lowest TCP port a plugin may listen on. */
  public static final String MIN_PORT = "PLUGIN_MIN_PORT";

  /** The highest TCP port a plugin may listen on. */
  public static final String MAX_PORT = "PLUGIN_MAX_PORT";

  /** A directory only the host's user can enter, for the plugin's Unix socket. */
  public static final String UNIX_SOCKET_DIR = "PLUGIN_UNIX_SOCKET_DIR";

  /** The host's AutoMTLS certificate, PEM; present only when the host asks for AutoMTLS. */
  public static final String CLIENT_CERT = "PLUGIN_CLIENT_CERT";

  /**
   * go-plugin's multiplexing switch, which a Compensa host never sets and withholds from plugins.
   */
  public static final String MULTIPLEX_GRPC = "PLUGIN_MULTIPLEX_GRPC";

  /** The host's process id, which the plugin watches so that it exits when its host is gone. */
  public static final String HOST_PID = "COMPENSA_HOST_PID";

  /** The plugin's configuration from the host's configuration file, as JSON. */
  public static final String PLUGIN_CONFIG = "COMPENSA_PLUGIN_CONFIG";

  private LaunchEnvironment() {}
}
