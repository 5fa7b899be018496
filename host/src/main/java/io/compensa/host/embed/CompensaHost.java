package io.compensa.host.embed;

import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyListener;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.HostConfigReader;
import io.compensa.host.config.InvalidConfigException;
import io.compensa.host.endpoint.LaunchedPlugins;
import io.compensa.host.state.StateStoreException;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * One entry point for a program that embeds the host: a {@code compensa.json} opened with its
 * plugins launched and the state it names (a file, or PostgreSQL) ready, as the CLI has them.
 *
 * <pre>{@code
 * try (CompensaHost host = CompensaHost.open(Path.of("compensa.json"))) {
 *   ApplyResult result = host.engine(options -> options
 *           .failurePolicy(FailurePolicy.ROLLBACK)
 *           .hook(context -> policyCheck(context)))          // a failing hook compensates the action
 *       .apply(PlanFiles.read(Path.of("plan.json")), "my-service deploy");
 * }
 * }</pre>
 *
 * <p>Closing it stops the plugins. Thread-safe; one engine applies one plan at a time.
 */
public final class CompensaHost implements AutoCloseable {
  private final HostConfig config;
  private final HostStores stores;
  private final LaunchedPlugins plugins;

  private CompensaHost(HostConfig config, HostStores stores, LaunchedPlugins plugins) {
    this.config = config;
    this.stores = stores;
    this.plugins = plugins;
  }

  /**
   * Reads {@code configFile}, opens the state and journal it names and launches its plugins.
   *
   * @throws InvalidConfigException when the file cannot be used; it names the key and the fix
   * @throws StateStoreException when the state's location is unusable (a bad PostgreSQL URL)
   * @throws io.compensa.host.launch.PluginLaunchException when a plugin does not start
   */
  public static CompensaHost open(Path configFile)
      throws InvalidConfigException, StateStoreException {
    HostConfig config = HostConfigReader.read(configFile);
    HostStores stores = HostStores.of(config);
    return new CompensaHost(config, stores, LaunchedPlugins.launch(config));
  }

  /** The configuration read. */
  public HostConfig config() {
    return config;
  }

  /** The state store and journal the configuration names. */
  public HostStores stores() {
    return stores;
  }

  /** The launched plugins. */
  public LaunchedPlugins plugins() {
    return plugins;
  }

  /** An engine with default options: see {@link #engine(Consumer, ApplyListener)}. */
  public ApplyEngine engine() {
    return engine(options -> {}, new ApplyListener() {});
  }

  /** An engine whose options {@code options} sets: see {@link #engine(Consumer, ApplyListener)}. */
  public ApplyEngine engine(Consumer<ApplyOptions.Builder> options) {
    return engine(options, new ApplyListener() {});
  }

  /**
   * An engine over this host's plugins, state and secrets. The options start as the CLI's: the
   * state's journal, and command hooks run in the configuration's directory; {@code options} may
   * change any of them.
   */
  public ApplyEngine engine(Consumer<ApplyOptions.Builder> options, ApplyListener listener) {
    ApplyOptions.Builder builder =
        ApplyOptions.builder()
            .journal(stores.journal())
            .hookDirectory(config.source().toAbsolutePath().getParent());
    options.accept(builder);
    return new ApplyEngine(
        plugins.router(), stores.state(), stores.secrets(), builder.build(), listener);
  }

  /** Stops the plugins. */
  @Override
  public void close() {
    plugins.close();
  }
}
