package io.compensa.samples.localapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.compensa.sdk.testkit.inprocess.DriverCallFailure;
import io.compensa.sdk.testkit.inprocess.InProcessPlugin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The drivers called in-process (the SDK's wire conversion, no plugin process), against real
 * services: each app and front is a process of its own, checked over HTTP. After each test, no
 * service it started is left running.
 */
class LocalAppDriversTest {
  @TempDir Path root;
  private InProcessPlugin plugin;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    plugin = InProcessPlugin.start(LocalAppPlugin.plugin(), Map.of("root", root.toString()));
  }

  @AfterEach
  void nothingLeftRunning() throws Exception {
    plugin.close();
    Registry registry = new Registry(root);
    List<Registry.Service> left = new ArrayList<>();
    for (Registry.Service app : registry.apps()) {
      if (app.alive()) {
        left.add(app);
      }
    }
    registry.front("main").filter(Registry.Service::alive).ifPresent(left::add);
    for (Registry.Service service : left) {
      Services.stop(service);
    }
    assertThat(left).as("services the test left running").isEmpty();
  }

  private static ResourceSpec app(String version, String health) {
    return ResourceSpec.of(
        "web", "localapp_app", Map.of("app", "web", "version", version, "health", health));
  }

  private static ResourceSpec route(String version) {
    return ResourceSpec.of(
        "front", "localapp_route", Map.of("front", "main", "app", "web", "version", version));
  }

  private static ResourceState state(ResourceSpec spec, ResourceOutput output) {
    return ResourceState.of(spec.name(), spec.type(), spec.config(), output);
  }

  private HttpResponse<String> get(String url) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void anAppRunsAsItsOwnProcessAndAnswersWithItsVersionUntilDeleted() throws Exception {
    ResourceSpec v1 = app("v1", "ok");
    ResourceOutput created = plugin.create("a1", v1);

    String url = (String) created.outputs().get("url");
    assertThat(get(url + "/").body()).isEqualTo("web v1\n");
    assertThat(get(url + "/health").statusCode()).isEqualTo(200);
    long pid = ((Double) created.outputs().get("pid")).longValue();
    assertThat(pid).isNotEqualTo(ProcessHandle.current().pid());
    // a repeated create finds the same process
    assertThat(plugin.create("a1", v1).providerId()).isEqualTo(created.providerId());
    assertThat(plugin.read(v1, created.providerId()).observedConfig())
        .containsEntry("version", "v1");

    plugin.delete("a2", state(v1, created));

    assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
    assertThat(plugin.read(v1, created.providerId()).exists()).isFalse();
  }

  @Test
  void anUnhealthyVersionRunsButFailsItsHealthCheck() throws Exception {
    ResourceSpec v3 = app("v3", "fail");
    ResourceOutput created = plugin.create("a1", v3);

    String url = (String) created.outputs().get("url");
    assertThat(get(url + "/").body()).isEqualTo("web v3\n");
    assertThat(get(url + "/health").statusCode()).isEqualTo(503);
    plugin.delete("a2", state(v3, created));
  }

  @Test
  void theFrontSendsUsersToTheRoutedVersionAndMovesWithTheRoute() throws Exception {
    ResourceOutput v1 = plugin.create("a1", app("v1", "ok"));
    ResourceOutput v2 = plugin.create("a2", app("v2", "ok"));

    ResourceOutput front = plugin.create("r1", route("v1"));
    String url = (String) front.outputs().get("url");
    assertThat(get(url + "/").body()).isEqualTo("web v1\n");

    ResourceOutput moved = plugin.update("r2", route("v2"), state(route("v1"), front));
    assertThat(moved.outputs()).containsEntry("target", v2.providerId());
    assertThat(get(url + "/").body()).isEqualTo("web v2\n");

    plugin.delete("r3", state(route("v2"), moved));
    plugin.delete("a3", state(app("v1", "ok"), v1));
    plugin.delete("a4", state(app("v2", "ok"), v2));
  }

  @Test
  void aRouteToAVersionThatIsNotRunningIsRefused() {
    assertThatThrownBy(() -> plugin.create("r1", route("v9")))
        .isInstanceOfSatisfying(
            DriverCallFailure.class,
            e -> assertThat(e.kind()).contains(DriverException.Kind.PRECONDITION))
        .hasMessageContaining("no running localapp_app web v9");
  }

  @Test
  void everyChangeToAnAppIsAReplace() {
    ResourceState prior = state(app("v1", "ok"), ResourceOutput.of("web-v1-00000000"));

    DiffResult diff = plugin.diff(app("v2", "ok"), prior);

    assertThat(diff.change()).isEqualTo(DiffResult.Change.REPLACE);
    assertThat(diff.replaceKeys()).containsExactly("version");
  }
}
