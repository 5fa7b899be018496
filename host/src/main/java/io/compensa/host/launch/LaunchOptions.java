package io.compensa.host.launch;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Struct;
import com.google.protobuf.util.JsonFormat;
import io.compensa.host.client.CallDeadlines;
import io.compensa.protocol.LaunchEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything the launcher needs to start one plugin: the command, and how to talk to it.
 *
 * <p>Defaults follow go-plugin where Compensa has no reason to differ: a 60 s start timeout, ports
 * 10000–25000, a 2 s grace period on shutdown, a Unix socket, AutoMTLS whenever the plugin listens
 * on TCP ({@link AutoMtls#TCP_ONLY}). The magic cookie is Compensa's own ({@value
 * #DEFAULT_COOKIE_KEY}); set a plugin's own cookie to run go-plugin plugins.
 *
 * <p>Immutable and thread-safe; build with {@link #builder(List)}.
 */
public final class LaunchOptions {
  /** Compensa's magic cookie key. */
  public static final String DEFAULT_COOKIE_KEY = LaunchEnvironment.DEFAULT_COOKIE_KEY;

  /** Compensa's magic cookie value. */
  public static final String DEFAULT_COOKIE_VALUE = LaunchEnvironment.DEFAULT_COOKIE_VALUE;

  /** The largest message the host accepts from a plugin unless told otherwise: 64 MiB. */
  public static final int DEFAULT_MAX_INBOUND_MESSAGE_BYTES = 64 * 1024 * 1024;

  /** The lowest limit {@link Builder#maxInboundMessageBytes} accepts: 1 KiB. */
  public static final int MIN_MAX_INBOUND_MESSAGE_BYTES = 1024;

  /** The highest limit {@link Builder#maxInboundMessageBytes} accepts: 1 GiB. */
  public static final int MAX_MAX_INBOUND_MESSAGE_BYTES = 1024 * 1024 * 1024;

  /** How the plugin should listen. */
  public enum Transport {
    /** A Unix domain socket in a private directory (PLUGIN_UNIX_SOCKET_DIR). */
    UNIX,
    /** TCP on 127.0.0.1, within the port range. */
    TCP
  }

  /**
   * When the host uses go-plugin's AutoMTLS: it passes a throwaway certificate of its own in {@code
   * PLUGIN_CLIENT_CERT}, the plugin answers with its own in the handshake line, and each side
   * trusts only the other's.
   */
  public enum AutoMtls {
    /** Always, on TCP and Unix sockets alike (go-plugin plugins always listen on a Unix socket). */
    ALWAYS,
    /**
     * On TCP, where any local user could otherwise connect; not on a Unix socket, whose private
     * directory already keeps others out. The default.
     */
    TCP_ONLY,
    /** Never: for plugins that cannot do AutoMTLS. */
    NEVER
  }

  private final List<String> command;
  private final String name;
  private final String cookieKey;
  private final String cookieValue;
  private final List<Integer> protocolVersions;
  private final int minPort;
  private final int maxPort;
  private final Transport transport;
  private final AutoMtls autoMtls;
  private final EnvironmentPolicy environmentPolicy;
  private final Map<String, String> extraEnvironment;
  private final BinaryPin binaryPin;
  private final String pluginConfigJson;
  private final Duration startTimeout;
  private final Duration gracePeriod;
  private final CallDeadlines callDeadlines;
  private final Path workingDirectory;
  private final int stderrTailLines;
  private final Path socketParent;
  private final int maxInboundMessageBytes;

  private LaunchOptions(Builder builder) {
    this.command = builder.command;
    this.name =
        builder.name != null ? builder.name : Path.of(command.get(0)).getFileName().toString();
    this.cookieKey = builder.cookieKey;
    this.cookieValue = builder.cookieValue;
    this.protocolVersions = builder.protocolVersions;
    this.minPort = builder.minPort;
    this.maxPort = builder.maxPort;
    this.transport = builder.transport;
    this.autoMtls = builder.autoMtls;
    this.environmentPolicy = builder.environmentPolicy;
    this.extraEnvironment = Map.copyOf(builder.extraEnvironment);
    this.binaryPin = builder.binaryPin;
    this.pluginConfigJson = builder.pluginConfigJson;
    this.startTimeout = builder.startTimeout;
    this.gracePeriod = builder.gracePeriod;
    this.callDeadlines = builder.callDeadlines;
    this.workingDirectory = builder.workingDirectory;
    this.stderrTailLines = builder.stderrTailLines;
    this.socketParent = builder.socketParent;
    this.maxInboundMessageBytes = builder.maxInboundMessageBytes;
  }

  /** Starts options for {@code command}: the executable, then its arguments. */
  public static Builder builder(List<String> command) {
    return new Builder(command);
  }

  /** The executable and its arguments. */
  public List<String> command() {
    return command;
  }

  /** The plugin's name in logs (logger {@code plugin.<name>}) and errors. */
  public String name() {
    return name;
  }

  /** The magic cookie's environment variable. */
  public String cookieKey() {
    return cookieKey;
  }

  /** The magic cookie's value. */
  public String cookieValue() {
    return cookieValue;
  }

  /** The application protocol versions the host accepts (PLUGIN_PROTOCOL_VERSIONS). */
  public List<Integer> protocolVersions() {
    return protocolVersions;
  }

  /** The lowest TCP port the plugin may listen on. */
  public int minPort() {
    return minPort;
  }

  /** The highest TCP port the plugin may listen on. */
  public int maxPort() {
    return maxPort;
  }

  /** How the plugin should listen. */
  public Transport transport() {
    return transport;
  }

  /** When the host asks for AutoMTLS. */
  public AutoMtls autoMtls() {
    return autoMtls;
  }

  /** Whether this launch uses AutoMTLS, given the transport. */
  public boolean usesAutoMtls() {
    return autoMtls == AutoMtls.ALWAYS
        || (autoMtls == AutoMtls.TCP_ONLY && transport == Transport.TCP);
  }

  /** Which host environment variables the plugin inherits. */
  public EnvironmentPolicy environmentPolicy() {
    return environmentPolicy;
  }

  /** Variables set for the plugin on top of the filtered host environment. */
  public Map<String, String> extraEnvironment() {
    return extraEnvironment;
  }

  /** The checksum the executable must have, if pinned. */
  public Optional<BinaryPin> binaryPin() {
    return Optional.ofNullable(binaryPin);
  }

  /** The plugin's configuration as a JSON object (COMPENSA_PLUGIN_CONFIG), if any. */
  public Optional<String> pluginConfigJson() {
    return Optional.ofNullable(pluginConfigJson);
  }

  /** How long the plugin may take to print its handshake and serve. */
  public Duration startTimeout() {
    return startTimeout;
  }

  /** How long a plugin asked to shut down may take to exit before it is killed. */
  public Duration gracePeriod() {
    return gracePeriod;
  }

  /** The deadline of each call the host makes. */
  public CallDeadlines callDeadlines() {
    return callDeadlines;
  }

  /** The directory the plugin runs in, and relative commands are resolved against. */
  public Path workingDirectory() {
    return workingDirectory;
  }

  /** How many of the plugin's last stderr lines error messages show. */
  public int stderrTailLines() {
    return stderrTailLines;
  }

  /** The directory the private socket directory is created in; {@code /tmp} by default. */
  public Path socketParent() {
    return socketParent;
  }

  /**
   * The largest message, in bytes, the host accepts from the plugin; a larger answer fails its call
   * with an error that names this limit.
   */
  public int maxInboundMessageBytes() {
    return maxInboundMessageBytes;
  }

  /** Builds {@link LaunchOptions}; not thread-safe. */
  public static final class Builder {
    private final List<String> command;
    private String name;
    private String cookieKey = DEFAULT_COOKIE_KEY;
    private String cookieValue = DEFAULT_COOKIE_VALUE;
    private List<Integer> protocolVersions = List.of(1);
    private int minPort = 10000;
    private int maxPort = 25000;
    private Transport transport = Transport.UNIX;
    private AutoMtls autoMtls = AutoMtls.TCP_ONLY;
    private EnvironmentPolicy environmentPolicy = EnvironmentPolicy.inheritAll();
    private final Map<String, String> extraEnvironment = new LinkedHashMap<>();
    private BinaryPin binaryPin;
    private String pluginConfigJson;
    private Duration startTimeout = Duration.ofSeconds(60);
    private Duration gracePeriod = Duration.ofSeconds(2);
    private CallDeadlines callDeadlines = CallDeadlines.defaults();
    private Path workingDirectory = Path.of("").toAbsolutePath();
    private int stderrTailLines = 20;
    private Path socketParent = SocketDirectory.DEFAULT_PARENT;
    private int maxInboundMessageBytes = DEFAULT_MAX_INBOUND_MESSAGE_BYTES;

    private Builder(List<String> command) {
      Objects.requireNonNull(command, "command");
      if (command.isEmpty() || command.get(0).isBlank()) {
        throw new IllegalArgumentException("the plugin command is empty: name an executable");
      }
      this.command = List.copyOf(command);
    }

    /** Names the plugin in logs and errors; defaults to the executable's file name. */
    public Builder name(String name) {
      this.name = requireText(name, "name");
      return this;
    }

    /** Sets the magic cookie, for plugins built with another host's cookie. */
    public Builder magicCookie(String key, String value) {
      this.cookieKey = requireText(key, "cookie key");
      this.cookieValue = requireText(value, "cookie value");
      return this;
    }

    /** Sets the application protocol versions the host accepts, most preferred last. */
    public Builder protocolVersions(List<Integer> versions) {
      if (versions.isEmpty() || versions.stream().anyMatch(v -> v == null || v < 1)) {
        throw new IllegalArgumentException(
            "protocol versions must be a non-empty list of positive numbers, got " + versions);
      }
      this.protocolVersions = List.copyOf(versions);
      return this;
    }

    /** Sets the TCP port range the plugin may listen in. */
    public Builder portRange(int min, int max) {
      if (min < 1 || max > 65535 || min > max) {
        throw new IllegalArgumentException(
            "port range " + min + "-" + max + " is not a range within 1-65535");
      }
      this.minPort = min;
      this.maxPort = max;
      return this;
    }

    /** Chooses a Unix socket (the default) or TCP. */
    public Builder transport(Transport transport) {
      this.transport = Objects.requireNonNull(transport, "transport");
      return this;
    }

    /** Chooses when to use AutoMTLS; default {@link AutoMtls#TCP_ONLY}. */
    public Builder autoMtls(AutoMtls autoMtls) {
      this.autoMtls = Objects.requireNonNull(autoMtls, "autoMtls");
      return this;
    }

    /** Sets which host environment variables the plugin inherits. */
    public Builder environmentPolicy(EnvironmentPolicy policy) {
      this.environmentPolicy = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Sets one variable for the plugin, whatever the environment policy. */
    public Builder environment(String name, String value) {
      extraEnvironment.put(requireText(name, "variable name"), Objects.requireNonNull(value));
      return this;
    }

    /** Pins the executable's SHA-256: a mismatch refuses the launch before the binary runs. */
    public Builder binaryPin(BinaryPin pin) {
      this.binaryPin = Objects.requireNonNull(pin, "pin");
      return this;
    }

    /**
     * Passes the plugin its configuration, a JSON object, in COMPENSA_PLUGIN_CONFIG.
     *
     * @throws IllegalArgumentException when {@code json} is not a JSON object
     */
    public Builder pluginConfigJson(String json) {
      Objects.requireNonNull(json, "json");
      try {
        JsonFormat.parser().merge(json, Struct.newBuilder());
      } catch (InvalidProtocolBufferException e) {
        throw new IllegalArgumentException(
            "plugin config is not a JSON object: " + e.getMessage() + " (got " + json + ")", e);
      }
      this.pluginConfigJson = json;
      return this;
    }

    /** Sets how long the plugin may take to print its handshake and serve; default 60 s. */
    public Builder startTimeout(Duration timeout) {
      this.startTimeout = positive(timeout, "start timeout");
      return this;
    }

    /** Sets how long the plugin may take to exit once asked; default 2 s. */
    public Builder gracePeriod(Duration grace) {
      Objects.requireNonNull(grace, "grace");
      if (grace.isNegative()) {
        throw new IllegalArgumentException("the grace period must not be negative, got " + grace);
      }
      this.gracePeriod = grace;
      return this;
    }

    /** Sets the deadline of each call the host makes. */
    public Builder callDeadlines(CallDeadlines deadlines) {
      this.callDeadlines = Objects.requireNonNull(deadlines, "deadlines");
      return this;
    }

    /** Sets the directory the plugin runs in; default the host's. */
    public Builder workingDirectory(Path directory) {
      this.workingDirectory = directory.toAbsolutePath();
      return this;
    }

    /** Sets how many of the plugin's last stderr lines error messages show; default 20. */
    public Builder stderrTailLines(int lines) {
      if (lines < 0) {
        throw new IllegalArgumentException("stderr tail lines must not be negative, got " + lines);
      }
      this.stderrTailLines = lines;
      return this;
    }

    /**
     * Sets where the private socket directory is created; default {@code /tmp}. Keep it short:
     * socket paths are limited to 108 bytes on Linux and 104 on macOS.
     */
    public Builder socketParent(Path parent) {
      this.socketParent = parent.toAbsolutePath();
      return this;
    }

    /**
     * Sets the largest message, in bytes, the host accepts from the plugin; default 64 MiB, at
     * least 1 KiB and at most 1 GiB. A plugin's answer beyond it fails that call (the plugin stays
     * usable), so raise it for plugins whose outputs are large by nature.
     */
    public Builder maxInboundMessageBytes(int bytes) {
      if (bytes < MIN_MAX_INBOUND_MESSAGE_BYTES || bytes > MAX_MAX_INBOUND_MESSAGE_BYTES) {
        throw new IllegalArgumentException(
            "the maximum inbound message size must be between "
                + MIN_MAX_INBOUND_MESSAGE_BYTES
                + " bytes (1 KiB) and "
                + MAX_MAX_INBOUND_MESSAGE_BYTES
                + " bytes (1 GiB), got "
                + bytes);
      }
      this.maxInboundMessageBytes = bytes;
      return this;
    }

    /** Builds the options. */
    public LaunchOptions build() {
      return new LaunchOptions(this);
    }

    private static Duration positive(Duration duration, String what) {
      Objects.requireNonNull(duration, what);
      if (duration.isNegative() || duration.isZero()) {
        throw new IllegalArgumentException("the " + what + " must be positive, got " + duration);
      }
      return duration;
    }

    private static String requireText(String value, String what) {
      Objects.requireNonNull(value, what);
      if (value.isBlank()) {
        throw new IllegalArgumentException("the " + what + " must not be blank");
      }
      return value;
    }
  }
}
