package io.compensa.host.conformance;

import com.google.protobuf.Struct;
import io.compensa.host.client.PluginClient;
import io.compensa.host.launch.LaunchOptions;
import io.compensa.host.launch.LaunchedPlugin;
import io.compensa.host.launch.PluginLaunchException;
import io.compensa.host.launch.PluginLauncher;
import io.compensa.proto.v1.Manifest;
import io.compensa.proto.v1.PluginCapability;
import io.compensa.proto.v1.ResourceType;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The conformance suite (docs/protocol.md, "Checking your plugin"): runs one plugin executable, in
 * any language, through the real host and checks that it keeps the contract.
 *
 * <p>In order: the cookie (started without it, the plugin must refuse on stderr and exit non-zero),
 * the handshake and manifest validation (a launch through {@link PluginLauncher}), health,
 * Describe, server reflection (every required service listed, every file loadable with its imports
 * into a strict descriptor pool), then for each declared resource type a CRUD round trip from its
 * sample configs, Read with an empty provider id, Diff, idempotent Create (same action id, same
 * resource) and Delete (twice succeeds), every HOST_INVERSE inverse undoing its action as Read sees
 * it, Compensate twice for PLUGIN kinds, and for NONE kinds an apply through the host's engine
 * whose failed post-driver step must end COMPENSATION_FAILED with no inverse call; a typed,
 * non-retryable DriverError for an undeclared type; a graceful shutdown (the plugin must exit by
 * itself within the grace period after {@code GRPCController/Shutdown}); and last, on a plugin
 * started under a stand-in host, SIGINT ignored and the orphan guard (the plugin exits when its
 * host dies). The plugin's resources are real: run it against a scratch configuration.
 *
 * <p>Not thread-safe: one run at a time.
 */
public final class ConformanceSuite {
  private final LaunchOptions options;
  private final Map<String, List<Struct>> sampleConfigs;
  private final Consumer<ConformanceCheck> listener;

  /**
   * Prepares a run.
   *
   * @param options how to launch the plugin (its command, configuration, transport, grace period)
   * @param sampleConfigs configs per resource type that replace the manifest's; empty to use the
   *     manifest's
   * @param listener told of each check as it is made (to print it); the report has them all
   */
  public ConformanceSuite(
      LaunchOptions options,
      Map<String, List<Struct>> sampleConfigs,
      Consumer<ConformanceCheck> listener) {
    this.options = Objects.requireNonNull(options, "options");
    this.sampleConfigs = Map.copyOf(sampleConfigs);
    this.listener = Objects.requireNonNull(listener, "listener");
  }

  /** Prepares a run with the manifest's sample configs that reports only at the end. */
  public ConformanceSuite(LaunchOptions options) {
    this(options, Map.of(), check -> {});
  }

  /** Runs every check and returns them all; never throws for a plugin that misbehaves. */
  public ConformanceReport run() {
    CheckLog log = new CheckLog(listener);
    CookieCheck.run(options, log);
    LaunchedPlugin plugin;
    try {
      plugin = new PluginLauncher().launch(options);
    } catch (PluginLaunchException e) {
      log.fail("handshake", null, "the launch failed: " + e.getMessage());
      return new ConformanceReport(options.name(), log.checks());
    }
    try {
      log.pass(
          "handshake",
          null,
          plugin.handshake().network()
              + " "
              + plugin.handshake().address()
              + ", protocol "
              + plugin.handshake().appVersion()
              + (plugin.handshake().autoMtls() ? ", AutoMTLS" : "")
              + "; manifest valid");
      checkHealth(plugin, log);
      Manifest manifest = plugin.manifest();
      checkDescribe(manifest, log);
      ReflectionCheck.run(plugin.channel(), manifest, log);
      boolean finalizes =
          manifest.getCapabilitiesList().contains(PluginCapability.PLUGIN_CAPABILITY_FINALIZER);
      String runId = "conf-" + UUID.randomUUID().toString().substring(0, 8);
      PluginClient client = plugin.client();
      for (ResourceType type : manifest.getResourceTypesList()) {
        List<Struct> samples =
            sampleConfigs.getOrDefault(type.getName(), type.getSampleConfigsList());
        new ResourceChecks(client, type, samples, finalizes, runId).run(log);
        new NonePolicyChecks(plugin, type, samples, runId).run(log);
      }
      unknownSampleTypes(manifest, log);
      DriverErrorCheck.run(client, manifest, log);
    } finally {
      checkShutdown(plugin, log);
    }
    ProcessChecks.run(options, log);
    return new ConformanceReport(options.name(), log.checks());
  }

  private static void checkHealth(LaunchedPlugin plugin, CheckLog log) {
    try {
      plugin.checkHealth();
      log.pass("health", null, "grpc.health.v1 reports SERVING for \"plugin\"");
    } catch (RuntimeException e) {
      log.fail("health", null, e.getMessage());
    }
  }

  private static void checkDescribe(Manifest manifest, CheckLog log) {
    if (manifest.getResourceTypesCount() == 0) {
      log.fail("describe", null, "the manifest declares no resource type");
      return;
    }
    log.pass(
        "describe",
        null,
        manifest.getName()
            + " "
            + manifest.getVersion()
            + ", contract "
            + manifest.getContractVersion()
            + ", "
            + manifest.getResourceTypesCount()
            + " type(s)"
            + (manifest.getCapabilitiesCount() == 0 ? "" : ", " + manifest.getCapabilitiesList()));
  }

  private void unknownSampleTypes(Manifest manifest, CheckLog log) {
    for (String type : sampleConfigs.keySet()) {
      boolean declared =
          manifest.getResourceTypesList().stream().anyMatch(t -> t.getName().equals(type));
      if (!declared) {
        log.fail(
            "sample-configs",
            type,
            "sample configs were given for a type the plugin does"
                + " not declare: check the type's name");
      }
    }
  }

  private void checkShutdown(LaunchedPlugin plugin, CheckLog log) {
    LaunchedPlugin.Stop stop = plugin.stop();
    switch (stop) {
      case EXITED_WHEN_ASKED ->
          log.pass(
              "shutdown",
              null,
              "exited by itself within the grace"
                  + " period of "
                  + options.gracePeriod()
                  + " after GRPCController/Shutdown");
      case KILLED_AFTER_GRACE_PERIOD ->
          log.fail(
              "shutdown",
              null,
              "still running "
                  + options.gracePeriod()
                  + " after GRPCController/Shutdown, so the host killed it: exit"
                  + " soon after answering Shutdown");
      case ALREADY_STOPPED ->
          log.fail(
              "shutdown",
              null,
              "the plugin was gone before the host"
                  + " asked it to shut down: it crashed during the checks");
    }
  }
}
