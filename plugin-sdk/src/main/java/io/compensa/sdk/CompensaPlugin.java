package io.compensa.sdk;

import io.compensa.protocol.LaunchEnvironment;
import io.compensa.sdk.internal.StartupException;
import io.compensa.sdk.internal.logging.HclogServiceProvider;
import io.grpc.BindableService;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A Compensa plugin: its name, version, resource types with their drivers, and optional finalizer
 * and compensator, ready to {@link #serve()}.
 *
 * <p>A plugin's {@code main} registers everything explicitly and serves:
 *
 * <pre>{@code
 * CompensaPlugin.builder()
 *     .name("localfs")
 *     .version("0.1.0")
 *     .resource(FILE_TYPE, config -> new FileDriver(config))
 *     .build()
 *     .serve();
 * }</pre>
 *
 * <p>Immutable and thread-safe once built.
 */
public final class CompensaPlugin {

  /** The environment variable a Compensa host sets to show it launched the plugin. */
  public static final String DEFAULT_MAGIC_COOKIE_KEY = LaunchEnvironment.DEFAULT_COOKIE_KEY;

  /** The value of {@link #DEFAULT_MAGIC_COOKIE_KEY} a Compensa host sets. */
  public static final String DEFAULT_MAGIC_COOKIE_VALUE = LaunchEnvironment.DEFAULT_COOKIE_VALUE;

  private final PluginDefinition definition;

  private CompensaPlugin(PluginDefinition definition) {
    this.definition = definition;
  }

  /**
   * Starts describing a plugin.
   *
   * @return a builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * Returns the plugin's name.
   *
   * @return the name
   */
  public String name() {
    return definition.name();
  }

  /**
   * Returns the plugin's own version.
   *
   * @return the version
   */
  public String version() {
    return definition.version();
  }

  /**
   * Returns the registered resource types, in registration order.
   *
   * @return an unmodifiable list
   */
  public List<ResourceType> resourceTypes() {
    return definition.types().stream().map(TypeRegistration::type).toList();
  }

  /**
   * Serves the plugin to the host that launched it, then ends the process.
   *
   * <p>Checks the magic cookie (without it, explains on stderr that this is a plugin and exits with
   * status 1), reads {@code COMPENSA_PLUGIN_CONFIG}, makes the drivers, listens on a Unix socket in
   * {@code PLUGIN_UNIX_SOCKET_DIR} or on a TCP port of 127.0.0.1, and prints go-plugin's handshake
   * line on stdout. It then serves until the host calls {@code plugin.GRPCController/Shutdown} or
   * goes away, and exits with status 0. From the start, anything written to {@code System.out} goes
   * to stderr so it cannot corrupt the handshake; logs go to stderr as JSON lines.
   */
  public void serve() {
    // before PluginProcess, whose logger is the process's first
    HclogServiceProvider.nameToSlf4j();
    PluginProcess.serve(definition);
  }

  /**
   * Returns the plugin's Compensa services (Plugin, Driver, and Finalizer and Compensable when
   * registered) with drivers made from {@code config}, exactly as {@link #serve()} serves them, for
   * a server inside the caller's process. The test kit's in-process plugin binds them to call a
   * driver through the SDK's real request and answer conversion without launching a process.
   *
   * <p>The process-level services (health, stdio, controller, reflection) are not included: they
   * belong to a launched plugin.
   *
   * @param config the plugin configuration a host would pass in {@code COMPENSA_PLUGIN_CONFIG}
   * @return the services, ready to add to a gRPC server
   * @throws IllegalArgumentException when a driver factory fails or returns null for this
   *     configuration (the message is the one the plugin would log before exiting)
   */
  public List<BindableService> services(PluginConfig config) {
    try {
      return List.copyOf(
          ContractServices.of(definition, ContractServices.drivers(definition, config)));
    } catch (StartupException failure) {
      throw new IllegalArgumentException(failure.getMessage(), failure.getCause());
    }
  }

  /** Collects a plugin's registrations. Not thread-safe: use it from one thread. */
  public static final class Builder {
    private String name;
    private String version;
    private final Map<String, TypeRegistration> types = new LinkedHashMap<>();
    private Finalizer finalizer;
    private Compensator compensator;
    private String cookieKey = DEFAULT_MAGIC_COOKIE_KEY;
    private String cookieValue = DEFAULT_MAGIC_COOKIE_VALUE;
    private Set<Integer> appVersions = Set.of(1);

    private Builder() {}

    /**
     * Sets the plugin's name, used in its manifest and as the module of its log lines.
     *
     * @param pluginName for example {@code "localfs"}
     * @return this builder
     */
    public Builder name(String pluginName) {
      this.name = Objects.requireNonNull(pluginName, "pluginName");
      return this;
    }

    /**
     * Sets the plugin's own version.
     *
     * @param pluginVersion for example {@code "0.1.0"}
     * @return this builder
     */
    public Builder version(String pluginVersion) {
      this.version = Objects.requireNonNull(pluginVersion, "pluginVersion");
      return this;
    }

    /**
     * Registers a resource type and the driver that serves it.
     *
     * @param type the type's description
     * @param driver its driver, shared by every call (so thread-safe)
     * @return this builder
     */
    public Builder resource(ResourceType type, ResourceDriver driver) {
      Objects.requireNonNull(driver, "driver");
      return resource(type, config -> driver);
    }

    /**
     * Registers a resource type whose driver needs the plugin's configuration.
     *
     * @param type the type's description
     * @param factory makes the driver once the configuration is known
     * @return this builder
     * @throws IllegalArgumentException when a type with the same name is already registered
     */
    public Builder resource(ResourceType type, DriverFactory factory) {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(factory, "factory");
      if (types.containsKey(type.name())) {
        throw new IllegalArgumentException(
            "resource type \"" + type.name() + "\" is registered twice: register each type once");
      }
      types.put(type.name(), new TypeRegistration(type, factory));
      return this;
    }

    /**
     * Registers the finalizer, served as {@code compensa.v1.FinalizerService}.
     *
     * @param apply finishes deferred work after each apply
     * @return this builder
     */
    public Builder finalizer(Finalizer apply) {
      this.finalizer = Objects.requireNonNull(apply, "apply");
      return this;
    }

    /**
     * Registers the compensator, served as {@code compensa.v1.CompensableService}; required when a
     * type declares {@link CompensationPolicy#PLUGIN}.
     *
     * @param undo undoes one action
     * @return this builder
     */
    public Builder compensator(Compensator undo) {
      this.compensator = Objects.requireNonNull(undo, "undo");
      return this;
    }

    /**
     * Replaces the magic cookie the plugin expects in its environment, to run under a host other
     * than Compensa's with its own cookie.
     *
     * @param key the environment variable
     * @param value its expected value
     * @return this builder
     */
    public Builder magicCookie(String key, String value) {
      this.cookieKey = Objects.requireNonNull(key, "key");
      this.cookieValue = Objects.requireNonNull(value, "value");
      return this;
    }

    /**
     * Sets the app protocol versions the plugin speaks (default: 1). The handshake picks the
     * highest one the host also lists in {@code PLUGIN_PROTOCOL_VERSIONS}.
     *
     * @param versions positive version numbers
     * @return this builder
     */
    public Builder appProtocolVersions(int... versions) {
      Set<Integer> set = new TreeSet<>();
      for (int v : versions) {
        if (v < 1) {
          throw new IllegalArgumentException(
              "app protocol version " + v + " is not positive: versions start at 1");
        }
        set.add(v);
      }
      if (set.isEmpty()) {
        throw new IllegalArgumentException("list at least one app protocol version, for example 1");
      }
      this.appVersions = Set.copyOf(set);
      return this;
    }

    /**
     * Checks the registrations and returns the plugin.
     *
     * @return the plugin
     * @throws IllegalStateException when the name or version is missing, no resource type is
     *     registered, or a type declares PLUGIN compensation without a compensator
     */
    public CompensaPlugin build() {
      if (name == null || name.isBlank()) {
        throw new IllegalStateException(
            "the plugin has no name: call .name(\"...\") on CompensaPlugin.builder()");
      }
      if (version == null || version.isBlank()) {
        throw new IllegalStateException(
            "plugin \"" + name + "\" has no version: call .version(\"0.1.0\") on the builder");
      }
      if (types.isEmpty()) {
        throw new IllegalStateException(
            "plugin \""
                + name
                + "\": no resource types registered: call .resource(type, driver)"
                + " before build() and serve()");
      }
      List<String> needing = new ArrayList<>();
      for (TypeRegistration registration : types.values()) {
        if (registration.type().needsCompensator()) {
          needing.add(registration.type().name());
        }
      }
      if (!needing.isEmpty() && compensator == null) {
        throw new IllegalStateException(
            "plugin \""
                + name
                + "\": resource types "
                + needing
                + " declare PLUGIN compensation"
                + " but no compensator is registered: call .compensator(...) or choose"
                + " HOST_INVERSE or NONE");
      }
      return new CompensaPlugin(
          new PluginDefinition(
              name,
              version,
              List.copyOf(types.values()),
              Optional.ofNullable(finalizer),
              Optional.ofNullable(compensator),
              cookieKey,
              cookieValue,
              appVersions));
    }
  }
}
