package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Replace-with-rollback on real running services, through the CLI: the localapp sample's web app
 * behind its front, deployed v1, then v2 (healthy), then v3 (its health check fails), while a
 * client requests the front all along. No request fails; after each step the front serves the
 * version it should; v3 is COMPENSATED and v2 keeps answering; nothing is left running.
 */
class LocalAppDeployTest {
  @TempDir Path dir;
  private final InProcessCli cli = new InProcessCli();
  private LocalApps apps;

  @BeforeEach
  void world() throws Exception {
    apps = new LocalApps(dir);
  }

  @AfterEach
  void nothingLeftRunning() throws Exception {
    List<String> left = apps.running();
    apps.killAll();
    assertThat(left).as("services the test left running").isEmpty();
  }

  /** A client requesting the front in a loop: how many answers, which failed, what they said. */
  private static final class Client implements AutoCloseable {
    final AtomicInteger requests = new AtomicInteger();
    final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    final Map<String, Integer> answers = Collections.synchronizedMap(new TreeMap<>());
    private final AtomicBoolean stop = new AtomicBoolean();
    private final Thread thread;

    Client(LocalApps apps) {
      thread =
          new Thread(
              () -> {
                while (!stop.get()) {
                  String answer = apps.front();
                  requests.incrementAndGet();
                  answers.merge(answer, 1, Integer::sum);
                  if (!answer.startsWith("web ")) {
                    failures.add(answer);
                  }
                }
              },
              "front-client");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      thread.join(TimeUnit.SECONDS.toMillis(10));
    }
  }

  private JsonObject deploy(Path desired, int expectedExit) {
    Path plan = dir.resolve("plan-" + desired.getFileName());
    assertThat(
            cli.run(
                "plan",
                "--config",
                apps.config.toString(),
                "-o",
                plan.toString(),
                desired.toString()))
        .as(cli.err())
        .isZero();
    Path report = dir.resolve("report-" + desired.getFileName() + ".html");
    assertThat(
            cli.run(
                "apply",
                "--config",
                apps.config.toString(),
                "--json",
                "--report",
                report.toString(),
                plan.toString()))
        .as(cli.err())
        .isEqualTo(expectedExit);
    assertThat(cli.err()).contains("report: " + report);
    return JsonParser.parseString(cli.out()).getAsJsonObject();
  }

  private static Map<String, String> statuses(JsonObject result) {
    Map<String, String> statuses = new TreeMap<>();
    result
        .getAsJsonArray("outcomes")
        .forEach(
            o ->
                statuses.put(
                    o.getAsJsonObject().get("resourceName").getAsString(),
                    o.getAsJsonObject().get("status").getAsString()));
    return statuses;
  }

  @Test
  @Timeout(value = 5, unit = TimeUnit.MINUTES)
  void threeDeploysBehindTheFrontFailNoRequestAndTheUnhealthyVersionNeverTakesTraffic()
      throws Exception {
    JsonObject v1 = deploy(apps.desired("v1", "ok"), 0);
    assertThat(statuses(v1))
        .containsEntry("web", "ACTION_STATUS_SUCCESS")
        .containsEntry("front", "ACTION_STATUS_SUCCESS");
    assertThat(apps.front()).isEqualTo("web v1");

    JsonObject v3;
    Client client = new Client(apps);
    try (client) {
      JsonObject v2 = deploy(apps.desired("v2", "ok"), 0);
      assertThat(statuses(v2))
          .containsEntry("web", "ACTION_STATUS_SUCCESS")
          .containsEntry("front", "ACTION_STATUS_SUCCESS");
      assertThat(apps.front()).isEqualTo("web v2");
      assertThat(apps.running()).as("v1 stopped, v2 and the front run").hasSize(2);

      v3 = deploy(apps.desired("v3", "fail"), 1);
      assertThat(apps.front()).isEqualTo("web v2");
    }

    assertThat(statuses(v3))
        .containsEntry("web", "ACTION_STATUS_COMPENSATED")
        .containsEntry("front", "ACTION_STATUS_SKIPPED");
    JsonObject web = v3.getAsJsonArray("outcomes").get(0).getAsJsonObject();
    assertThat(web.get("hookError").getAsString())
        .contains("health check of")
        .contains("503 web v3 is unhealthy");
    // the client really ran through both deploys, and every answer came from v1 or v2
    assertThat(client.requests.get()).isGreaterThan(50);
    assertThat(client.failures).as("failed requests, of " + client.requests).isEmpty();
    assertThat(client.answers).containsKeys("web v2").doesNotContainKey("web v3");
    // the v3 apply's report shows the compensated app and the route skipped because of it
    String page = Files.readString(dir.resolve("report-desired-v3.json.html"));
    assertThat(page)
        .contains("<g class=\"action status-COMPENSATED\" data-action=\"")
        .contains("<g class=\"action status-SKIPPED\" data-action=\"")
        .contains("class=\"edge skipped-because\"")
        .contains("503 web v3 is unhealthy");
    assertThat(apps.running()).hasSize(2);

    JsonObject removed = deploy(apps.nothing(), 0);
    assertThat(statuses(removed)).containsOnlyKeys("web", "front");
    assertThat(apps.running()).isEmpty();
  }
}
