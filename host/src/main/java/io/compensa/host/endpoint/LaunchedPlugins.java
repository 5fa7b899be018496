package io.compensa.host.endpoint;

import io.compensa.host.client.CallDeadlines;
import io.compensa.host.config.HostConfig;
import io.compensa.host.config.PluginEntry;
import io.compensa.host.launch.BinaryPin;
import io.compensa.host.launch.EnvironmentPolicy;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLaunchException;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.protocol.HandshakeLine;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * The plugins a host configuration declares, launched together and closed together.
 *
 * <p>If one plugin fails to launch, those already running are stopped before the error is thrown,
 * so a failed start leaves no process behind. Thread-safe once launched.
 */
public final class LaunchedPlugins implements AutoCloseable {
  /** How many times a crashed plugin is relaunched during one run before its calls just fail. */
  public static final int MAX_RELAUNCHES = 3;

  private final List<LaunchedPluginEndpoint> endpoints;
  private final List<AttachedPluginEndpoint> attached;
  private final PluginRouter router;

  private LaunchedPlugins(
      List<LaunchedPluginEndpoint> endpoints,
      List<AttachedPluginEndpoint> attached,
      List<PluginEndpoint> all) {
    this.endpoints = List.copyOf(endpoints);
    this.attached = List.copyOf(attached);
    this.router = new PluginRouter(all);
  }

  /**
   * Launches every plugin {@code config} declares.
   *
   * @throws PluginLaunchException naming the plugin that failed
   * @throws IllegalArgumentException when two plugins serve the same resource type
   */
  public static LaunchedPlugins launch(HostConfig config) {
    PluginLauncher launcher = new PluginLauncher();
    List<LaunchedPluginEndpoint> launched = new ArrayList<>();
    List<AttachedPluginEndpoint> attached = new ArrayList<>();
    List<PluginEndpoint> all = new ArrayList<>();
    try {
      for (Map.Entry<String, PluginEntry> entry : config.plugins().entrySet()) {
        PluginEntry plugin = entry.getValue();
        if (plugin.reattach().isPresent()) {
          AttachedPluginEndpoint endpoint = attach(launcher, plugin);
          attached.add(endpoint);
          all.add(endpoint);
          continue;
        }
        LaunchOptions options = options(plugin);
        LaunchedPluginEndpoint endpoint =
            new LaunchedPluginEndpoint(
                launcher.launch(options), () -> launcher.launch(options), MAX_RELAUNCHES);
        launched.add(endpoint);
        all.add(endpoint);
      }
      return new LaunchedPlugins(launched, attached, all);
    } catch (RuntimeException e) {
      launched.forEach(LaunchedPluginEndpoint::close);
      attached.forEach(AttachedPluginEndpoint::close);
      throw e;
    }
  }

  /**
   * Attaches to the plugin the entry's reattach line names; its own configuration, environment and
   * pin do not apply (the operator started it), which the log says.
   */
  private static AttachedPluginEndpoint attach(PluginLauncher launcher, PluginEntry plugin) {
    String line = plugin.reattach().orElseThrow();
    LoggerFactory.getLogger(LaunchedPlugins.class)
        .info(
            "plugin {}: attaching to the running plugin at {} instead of launching it (its own"
                + " configuration and environment apply, not compensa.json's); it keeps running"
                + " after this command",
            plugin.name(),
            line);
    return new AttachedPluginEndpoint(
        launcher.attach(
            HandshakeLine.parse(line, List.of(1)),
            plugin.name(),
            CallDeadlines.builder().defaultDeadline(plugin.callTimeout()).build()));
  }

  static LaunchOptions options(PluginEntry entry) {
    LaunchOptions.Builder options =
        LaunchOptions.builder(entry.command())
            .name(entry.name())
            .pluginConfigJson(entry.configJson())
            .workingDirectory(entry.workingDirectory())
            .startTimeout(entry.startTimeout())
            .callDeadlines(CallDeadlines.builder().defaultDeadline(entry.callTimeout()).build());
    entry.sha256().ifPresent(hex -> options.binaryPin(BinaryPin.sha256(hex)));
    if (entry.envAllow().isPresent()) {
      options.environmentPolicy(EnvironmentPolicy.allowOnly(List.copyOf(entry.envAllow().get())));
    } else if (!entry.envDeny().isEmpty()) {
      options.environmentPolicy(EnvironmentPolicy.deny(List.copyOf(entry.envDeny())));
    }
    return options.build();
  }

  /** Routes resource types to these plugins. */
  public PluginRouter router() {
    return router;
  }

  /** The running plugins (the latest process of each after relaunches), in configuration order. */
  public List<LaunchedPlugin> plugins() {
    return endpoints.stream().map(LaunchedPluginEndpoint::current).toList();
  }

  /** The endpoints, which relaunch crashed plugins. */
  public List<LaunchedPluginEndpoint> endpoints() {
    return endpoints;
  }

  /** The plugins attached to instead of launched, in configuration order. */
  public List<AttachedPluginEndpoint> attached() {
    return attached;
  }

  /** Stops every plugin this host launched, and disconnects from those it attached to. */
  @Override
  public void close() {
    for (LaunchedPluginEndpoint endpoint : endpoints) {
      endpoint.close();
    }
    for (AttachedPluginEndpoint endpoint : attached) {
      endpoint.close();
    }
  }
}
