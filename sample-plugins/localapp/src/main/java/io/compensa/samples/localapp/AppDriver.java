package io.compensa.samples.localapp;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * Drives {@code localapp_app}: one running version of a web app ({@link WebApp}), a process of its
 * own on a free port. Config: {@code app} (its name), {@code version}, and {@code health} ({@code
 * "ok"}, or {@code "fail"} for a version whose health check fails). Any change is a replace, and
 * the type creates before it deletes: the new version runs beside the old one until the host has
 * checked it and moved the route. The provider id names the instance ({@code web-v2-1a2b3c4d}); the
 * outputs are its {@code url}, {@code port}, {@code pid} and {@code version}. Thread-safe: the
 * registry is its only state.
 */
final class AppDriver implements ResourceDriver {
  private final Registry registry;

  AppDriver(Registry registry) {
    this.registry = registry;
  }

  @Override
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    registry.root();
    String app = spec.string("app");
    String version = spec.string("version");
    String health = spec.string("health", "ok");
    if (!health.equals("ok") && !health.equals("fail")) {
      throw DriverException.invalidConfig(
          spec.name() + ": health is \"" + health + "\": give \"ok\" or \"fail\"");
    }
    Optional<String> earlier = registry.createdBy(actionId);
    if (earlier.isPresent()) {
      Optional<Registry.Service> running =
          registry.app(earlier.get()).filter(Registry.Service::alive);
      if (running.isPresent()) {
        return output(running.get());
      }
    }
    String id = app + "-" + version + "-" + UUID.randomUUID().toString().substring(0, 8);
    try {
      registry.recordCreation(actionId, id);
    } catch (IOException e) {
      throw DriverException.retryable("cannot record the creation of " + id + ": " + e);
    }
    Registry.Service started =
        Services.start(
            WebApp.class,
            List.of(
                "--registry", registry.root().toString(),
                "--id", id,
                "--app", app,
                "--version", version,
                "--health", health),
            registry.log(id),
            "app " + id,
            () -> registry.app(id));
    return output(started);
  }

  @Override
  public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
    registry.root();
    Optional<Registry.Service> running =
        providerId.isEmpty()
            ? Optional.empty()
            : registry.app(providerId).filter(Registry.Service::alive);
    if (running.isEmpty()) {
      return ReadResult.absent();
    }
    Registry.Service app = running.get();
    Map<String, Object> observed = new java.util.LinkedHashMap<>(spec.config());
    observed.put("app", app.app());
    observed.put("version", app.version());
    return ReadResult.found(output(app)).withObservedConfig(observed);
  }

  @Override
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException {
    throw DriverException.preconditionFailed(
        "a localapp_app is never updated in place: every change is a replace");
  }

  @Override
  public void delete(String actionId, ResourceState state) throws DriverException {
    registry.root();
    String id = state.providerId();
    Optional<Registry.Service> app = registry.app(id);
    if (app.isPresent()) {
      Services.stop(app.get());
    }
    try {
      registry.remove(registry.appFile(id));
    } catch (IOException e) {
      throw DriverException.retryable("cannot remove the record of " + id + ": " + e);
    }
  }

  @Override
  public DiffResult diff(ResourceSpec desired, ResourceState prior) {
    List<String> changed = new ArrayList<>();
    for (String key : List.of("app", "version", "health")) {
      if (!Objects.equals(desired.config().get(key), prior.config().get(key))) {
        changed.add(key);
      }
    }
    return changed.isEmpty() ? DiffResult.none() : DiffResult.replace(changed, changed);
  }

  private static ResourceOutput output(Registry.Service app) {
    return ResourceOutput.of(app.id())
        .withOutput("url", app.url())
        .withOutput("port", app.port())
        .withOutput("pid", app.pid())
        .withOutput("version", app.version());
  }
}
