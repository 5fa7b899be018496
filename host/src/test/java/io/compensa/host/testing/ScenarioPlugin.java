package io.compensa.host.testing;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.CompensationPolicy;
import io.compensa.sdk.CompensationRequest;
import io.compensa.sdk.CompensationResult;
import io.compensa.sdk.Compensator;
import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.Operation;
import io.compensa.sdk.PluginConfig;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.compensa.sdk.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A test plugin whose world is a directory of files, one per resource, with a type for each
 * compensation policy ({@code t_inverse}, {@code t_none}, {@code t_plugin}), one replaced
 * create-before-delete ({@code t_cbd}), and failures injected through {@code <root>/inject.json}:
 * {@code {"fail": ["Create:name", "DeleteInverse:name", ...]}}, re-read on every call. Inverse
 * calls (action ids ending in {@code /compensate}) are named {@code CreateInverse}, {@code
 * UpdateInverse} and {@code DeleteInverse}.
 *
 * <p>It also serves a finalizer that records each FinalizeApply in {@code
 * <root>/finalized/<plan_id>.json} (the outcomes it was given: action id, resource name, status)
 * and answers with what {@code inject.json} asks: {@code "finalize_errors": ["message", ...]}
 * become errors, {@code "finalize_amend": ["action-id", ...]} become COMPENSATED amendments, and
 * {@code "finalize_fail": ["message"]} makes the whole call fail.
 */
public final class ScenarioPlugin {
  static final Gson GSON = new Gson();

  private ScenarioPlugin() {}

  /** Serves the plugin. */
  public static void main(String[] args) {
    World world = new World();
    CompensaPlugin.builder()
        .name("scenario")
        .version("1.0.0")
        .resource(
            type("t_inverse", CompensationPolicy.HOST_INVERSE), config -> world.configure(config))
        .resource(type("t_none", CompensationPolicy.NONE), config -> world.configure(config))
        .resource(type("t_plugin", CompensationPolicy.PLUGIN), config -> world.configure(config))
        .resource(
            replacedCreatingFirst("t_cbd", CompensationPolicy.HOST_INVERSE),
            config -> world.configure(config))
        .compensator(world)
        .finalizer(world)
        .build()
        .serve();
  }

  private static ResourceType type(String name, CompensationPolicy policy) {
    return builder(name, policy).build();
  }

  /** A type whose replace creates the new object first and deletes the old one later. */
  private static ResourceType replacedCreatingFirst(String name, CompensationPolicy policy) {
    return builder(name, policy).createBeforeDelete(true).build();
  }

  private static ResourceType.Builder builder(String name, CompensationPolicy policy) {
    return ResourceType.builder(name)
        .description("a test resource compensated by " + policy)
        .operations(
            Operation.CREATE, Operation.READ, Operation.UPDATE, Operation.DELETE, Operation.DIFF)
        .compensateCreate(policy)
        .compensateUpdate(policy)
        .compensateDelete(policy)
        .sampleConfig(Map.of("value", "sample"));
  }

  /** The files that are the world, and the driver and compensator over them. */
  static final class World implements ResourceDriver, Compensator, io.compensa.sdk.Finalizer {
    private volatile Path root;

    ResourceDriver configure(PluginConfig config) {
      root =
          Path.of(
              config
                  .string("root")
                  .orElseThrow(() -> new IllegalArgumentException("scenario needs \"root\"")));
      return this;
    }

    private Path dir(String name) throws IOException {
      Path dir = root.resolve(name);
      Files.createDirectories(dir);
      return dir;
    }

    private Map<String, List<String>> injected() {
      Path file = root.resolve("inject.json");
      if (!Files.exists(file)) {
        return Map.of();
      }
      try {
        Map<String, List<String>> inject =
            GSON.fromJson(
                Files.readString(file), new TypeToken<Map<String, List<String>>>() {}.getType());
        return inject == null ? Map.of() : inject;
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    private void inject(String call, String name) throws DriverException {
      hang(call, name);
      if (injected().getOrDefault("fail", List.of()).contains(call + ":" + name)) {
        throw DriverException.failed("injected failure of " + call + " for " + name);
      }
    }

    /**
     * A call named in {@code "crash_after"} kills this plugin once its effect is done, before it
     * answers, the first time only ({@code <root>/crashed/<call>:<name>} remembers it): the host
     * sees a crash under a call that took effect.
     */
    private void crashAfter(String call, String name) throws IOException {
      String key = call + ":" + name;
      if (injected().getOrDefault("crash_after", List.of()).contains(key)
          && !Files.exists(dir("crashed").resolve(key))) {
        Files.writeString(dir("crashed").resolve(key), "");
        Runtime.getRuntime().halt(3);
      }
    }

    /**
     * A call named in {@code "hang"} writes {@code <root>/hanging/<call>:<name>} and waits (up to
     * two minutes) until it is no longer named: a test kills the host meanwhile.
     */
    private void hang(String call, String name) throws DriverException {
      String key = call + ":" + name;
      if (!injected().getOrDefault("hang", List.of()).contains(key)) {
        return;
      }
      try {
        Files.writeString(dir("hanging").resolve(key), "");
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (injected().getOrDefault("hang", List.of()).contains(key)
            && System.nanoTime() < deadline) {
          Thread.sleep(20);
        }
      } catch (IOException e) {
        throw DriverException.failed("scenario hang marker: " + e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DriverException.failed("interrupted while hanging in " + key);
      }
    }

    @Override
    public synchronized io.compensa.sdk.FinalizeResult finalizeApply(
        String planId, List<io.compensa.sdk.Outcome> outcomes) throws DriverException {
      try {
        List<Map<String, String>> seen = new java.util.ArrayList<>();
        for (io.compensa.sdk.Outcome outcome : outcomes) {
          seen.add(
              Map.of(
                  "action_id",
                  outcome.actionId(),
                  "resource_name",
                  outcome.resourceName(),
                  "status",
                  outcome.status().name()));
        }
        Files.writeString(
            dir("finalized").resolve(planId.replaceAll("[^A-Za-z0-9._-]", "_") + ".json"),
            GSON.toJson(seen),
            StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw DriverException.failed("scenario finalized record: " + e);
      }
      Map<String, List<String>> inject = injected();
      if (!inject.getOrDefault("finalize_fail", List.of()).isEmpty()) {
        throw DriverException.failed(inject.get("finalize_fail").get(0));
      }
      io.compensa.sdk.FinalizeResult result = io.compensa.sdk.FinalizeResult.ok();
      for (String message : inject.getOrDefault("finalize_errors", List.of())) {
        result = result.withError("", message);
      }
      for (String actionId : inject.getOrDefault("finalize_amend", List.of())) {
        result = result.withCompensated(actionId, "the scenario finalizer rolled back " + actionId);
      }
      return result;
    }

    private static String call(String base, String actionId) {
      return actionId.endsWith("/compensate") ? base + "Inverse" : base;
    }

    private synchronized ResourceOutput write(String providerId, Map<String, Object> config)
        throws IOException {
      Files.writeString(
          dir("world").resolve(providerId), GSON.toJson(config), StandardCharsets.UTF_8);
      return ResourceOutput.of(providerId).withOutput("value", String.valueOf(config.get("value")));
    }

    @Override
    public synchronized ResourceOutput create(String actionId, ResourceSpec spec)
        throws DriverException {
      inject(call("Create", actionId), spec.name());
      try {
        Path ledger = dir("ledger").resolve(actionId.replaceAll("[^A-Za-z0-9._-]", "_"));
        if (Files.exists(ledger)) {
          String id = Files.readString(ledger);
          if (Files.exists(dir("world").resolve(id))) {
            return ResourceOutput.of(id)
                .withOutput("value", String.valueOf(spec.config().get("value")));
          }
        }
        String id = spec.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
        ResourceOutput output = write(id, spec.config());
        Files.writeString(ledger, id);
        crashAfter(call("Create", actionId), spec.name());
        return output;
      } catch (IOException e) {
        throw DriverException.failed("scenario world: " + e);
      }
    }

    @Override
    public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
      try {
        if (providerId.isEmpty()) {
          // a lost Create: the resource's one object, if it has exactly one
          List<String> ids;
          try (java.util.stream.Stream<Path> files = Files.list(dir("world"))) {
            ids =
                files
                    .map(f -> f.getFileName().toString())
                    .filter(
                        id ->
                            id.matches(java.util.regex.Pattern.quote(spec.name()) + "-[0-9a-f]{8}"))
                    .toList();
          }
          return ids.size() == 1
              ? ReadResult.found(
                  ResourceOutput.of(ids.get(0))
                      .withOutput("value", String.valueOf(spec.config().get("value"))))
              : ReadResult.absent();
        }
        Path file = dir("world").resolve(providerId);
        return Files.exists(file)
            ? ReadResult.found(ResourceOutput.of(providerId))
            : ReadResult.absent();
      } catch (IOException e) {
        throw DriverException.failed("scenario world: " + e);
      }
    }

    @Override
    public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
        throws DriverException {
      inject(call("Update", actionId), desired.name());
      try {
        return write(prior.output().providerId(), desired.config());
      } catch (IOException e) {
        throw DriverException.failed("scenario world: " + e);
      }
    }

    @Override
    public void delete(String actionId, ResourceState state) throws DriverException {
      inject(call("Delete", actionId), state.name());
      try {
        Files.deleteIfExists(dir("world").resolve(state.output().providerId()));
      } catch (IOException e) {
        throw DriverException.failed("scenario world: " + e);
      }
    }

    @Override
    public DiffResult diff(ResourceSpec desired, ResourceState prior) {
      if (!Objects.equals(desired.config().get("immutable"), prior.config().get("immutable"))) {
        return DiffResult.replace(List.of("immutable"), List.of("immutable"));
      }
      return desired.config().equals(prior.config())
          ? DiffResult.none()
          : DiffResult.update(Set.of("value"));
    }

    @Override
    public synchronized CompensationResult compensate(CompensationRequest request)
        throws DriverException {
      inject("Compensate", request.resource().name());
      try {
        Path world = dir("world");
        switch (request.kind()) {
          case CREATE:
            Files.deleteIfExists(world.resolve(request.driverOutput().providerId()));
            return CompensationResult.compensated("deleted " + request.driverOutput().providerId());
          case UPDATE:
            ResourceState prior = request.prior().orElseThrow();
            write(prior.output().providerId(), prior.config());
            return CompensationResult.compensated("restored " + prior.output().providerId());
          default:
            if (!request.driverOutput().providerId().isEmpty()) {
              Files.deleteIfExists(world.resolve(request.driverOutput().providerId()));
            }
            ResourceState old = request.prior().orElseThrow();
            String id = old.name() + "-" + UUID.randomUUID().toString().substring(0, 8);
            ResourceOutput recreated = write(id, old.config());
            return new CompensationResult(
                true, "recreated as " + id, java.util.Optional.of(recreated));
        }
      } catch (IOException e) {
        throw DriverException.failed("scenario world: " + e);
      }
    }
  }
}
