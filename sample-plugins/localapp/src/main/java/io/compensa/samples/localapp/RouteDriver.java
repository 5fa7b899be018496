package io.compensa.samples.localapp;

import io.compensa.sdk.DriverException;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Drives {@code localapp_route}: a front ({@link Front}) and the app version it sends users to.
 * Config: {@code front} (its name), {@code app} and {@code version} (a running {@code localapp_app}
 * of that app and version), and {@code port} (where the front listens; 0 or absent for a free
 * port). Creating starts the front; updating rewrites its route file, which the front reads for
 * every request, so users move without a failed request; deleting stops the front. The provider id
 * is the front's name; the outputs are its {@code url} and the {@code target} app. Thread-safe: the
 * registry is its only state.
 */
final class RouteDriver implements ResourceDriver {
  private final Registry registry;

  RouteDriver(Registry registry) {
    this.registry = registry;
  }

  @Override
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    registry.root();
    String front = spec.string("front");
    Registry.Service target = target(spec);
    route(front, spec, target);
    Optional<Registry.Service> running = registry.front(front).filter(Registry.Service::alive);
    Registry.Service started =
        running.isPresent()
            ? running.get()
            : Services.start(
                Front.class,
                List.of(
                    "--registry", registry.root().toString(),
                    "--name", front,
                    "--port", String.valueOf((long) spec.number("port", 0))),
                registry.log("front-" + front),
                "front " + front,
                () -> registry.front(front));
    return output(started, target);
  }

  @Override
  public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
    registry.root();
    String front = providerId.isEmpty() ? spec.string("front") : providerId;
    Optional<Registry.Service> running = registry.front(front).filter(Registry.Service::alive);
    Optional<Registry.Route> route = registry.route(front);
    if (running.isEmpty() || route.isEmpty()) {
      return ReadResult.absent();
    }
    Map<String, Object> observed = new java.util.LinkedHashMap<>(spec.config());
    observed.put("front", front);
    observed.put("app", route.get().app());
    observed.put("version", route.get().version());
    return ReadResult.found(
            ResourceOutput.of(front)
                .withOutput("url", running.get().url())
                .withOutput("target", route.get().target()))
        .withObservedConfig(observed);
  }

  @Override
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException {
    String front = prior.providerId();
    Registry.Service target = target(desired);
    Registry.Service running =
        registry
            .front(front)
            .filter(Registry.Service::alive)
            .orElseThrow(
                () ->
                    DriverException.notFound(
                        "front " + front + " is not running: plan again to recreate it"));
    route(front, desired, target);
    return output(running, target);
  }

  @Override
  public void delete(String actionId, ResourceState state) throws DriverException {
    registry.root();
    String front = state.providerId();
    Optional<Registry.Service> running = registry.front(front);
    if (running.isPresent()) {
      Services.stop(running.get());
    }
    try {
      registry.remove(registry.routeFile(front));
      registry.remove(registry.frontFile(front));
    } catch (IOException e) {
      throw DriverException.retryable("cannot remove the records of front " + front + ": " + e);
    }
  }

  /** The running app the route names: the newest instance of its app and version. */
  private Registry.Service target(ResourceSpec spec) throws DriverException {
    String app = spec.string("app");
    String version = spec.string("version");
    return registry.apps().stream()
        .filter(a -> a.app().equals(app) && a.version().equals(version))
        .filter(Registry.Service::alive)
        .max(Comparator.comparing(Registry.Service::started))
        .orElseThrow(
            () ->
                DriverException.preconditionFailed(
                    spec.name()
                        + ": no running localapp_app "
                        + app
                        + " "
                        + version
                        + " to route to: apply the app first (depends_on)"));
  }

  private void route(String front, ResourceSpec spec, Registry.Service target)
      throws DriverException {
    try {
      registry.writeRoute(
          front, new Registry.Route(spec.string("app"), spec.string("version"), target.url()));
    } catch (IOException e) {
      throw DriverException.retryable("cannot write the route of front " + front + ": " + e);
    }
  }

  private static ResourceOutput output(Registry.Service front, Registry.Service target) {
    return ResourceOutput.of(front.id())
        .withOutput("url", front.url())
        .withOutput("target", target.id());
  }
}
