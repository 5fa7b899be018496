package io.compensa.samples.credentials;

import static org.assertj.core.api.Assertions.assertThat;

import io.compensa.sdk.ActionKind;
import io.compensa.sdk.ActionStatus;
import io.compensa.sdk.FinalizeResult;
import io.compensa.sdk.Outcome;
import io.compensa.sdk.PluginConfig;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The drivers against a real cloud file; the world is read back from that file. */
class CredentialsDriversTest {
  @TempDir Path dir;
  private Path cloudFile;
  private final CloudConnection connection = new CloudConnection();
  private final PendingChanges pending = new PendingChanges();

  @BeforeEach
  void connect() {
    cloudFile = dir.resolve("cloud.json");
    connection.configure(PluginConfig.of(Map.of("cloud", cloudFile.toString())));
  }

  private static ResourceSpec key(String user) {
    return new ResourceSpec("k", "cred_access_key", Map.of("user", user), List.of());
  }

  @Test
  void createReturnsTheSecretOnceAndTheCloudKeepsOnlyItsDigest() throws Exception {
    AccessKeyDriver driver = new AccessKeyDriver(connection);
    ResourceOutput created = driver.create("a1", key("alice"));
    String secret = (String) created.outputs().get("secret");
    assertThat(created.sensitiveKeys()).containsExactly("secret");
    String cloud = Files.readString(cloudFile, StandardCharsets.UTF_8);
    assertThat(cloud)
        .contains(created.providerId())
        .contains(AccessKeyDriver.sha256(secret))
        .doesNotContain(secret);
    ResourceOutput again = driver.create("a1", key("alice"));
    assertThat(again.providerId()).isEqualTo(created.providerId());
    assertThat(again.outputs()).doesNotContainKey("secret");
    assertThat(connection.cloud().read().keys).hasSize(1);
  }

  @Test
  void deleteRemovesTheKeyAndDeletingAgainSucceeds() throws Exception {
    AccessKeyDriver driver = new AccessKeyDriver(connection);
    ResourceOutput created = driver.create("a1", key("alice"));
    ResourceState state =
        new ResourceState(
            "k",
            "cred_access_key",
            Map.of("user", "alice"),
            ResourceOutput.of(created.providerId()),
            List.of(),
            false,
            false,
            "");
    driver.delete("d1", state);
    driver.delete("d1", state);
    assertThat(connection.cloud().read().keys).isEmpty();
    assertThat(driver.read(key("alice"), created.providerId()).exists()).isFalse();
  }

  @Test
  void ruleSetChangesReachTheCloudOnlyAtFinalize() throws Exception {
    RuleSetDriver driver = new RuleSetDriver(connection, pending);
    BatchFlusher flusher = new BatchFlusher(connection, pending);
    driver.create(
        "r1",
        new ResourceSpec("web", "cred_rule_set", Map.of("rules", List.of("allow 443")), List.of()));
    assertThat(connection.cloud().read().rules).isEmpty();
    FinalizeResult result =
        flusher.finalizeApply(
            "p",
            List.of(
                new Outcome(
                    "r1",
                    "web",
                    ActionKind.CREATE,
                    ActionStatus.SUCCESS,
                    ResourceOutput.of("web"))));
    assertThat(result.amendments()).isEmpty();
    assertThat(connection.cloud().read().rules).containsEntry("web", List.of("allow 443"));
  }

  @Test
  void aFlushThatFailsPartWayIsRolledBackAndReportedCompensated() throws Exception {
    Files.writeString(
        cloudFile, "{\"rules\": {\"old\": [\"deny all\"]}, \"faults\": {\"flush_fail_after\": 1}}");
    RuleSetDriver driver = new RuleSetDriver(connection, pending);
    BatchFlusher flusher = new BatchFlusher(connection, pending);
    driver.create(
        "r1", new ResourceSpec("a", "cred_rule_set", Map.of("rules", List.of("x")), List.of()));
    driver.create(
        "r2", new ResourceSpec("b", "cred_rule_set", Map.of("rules", List.of("y")), List.of()));
    FinalizeResult result =
        flusher.finalizeApply(
            "p",
            List.of(
                new Outcome(
                    "r1", "a", ActionKind.CREATE, ActionStatus.SUCCESS, ResourceOutput.of("a")),
                new Outcome(
                    "r2", "b", ActionKind.CREATE, ActionStatus.SUCCESS, ResourceOutput.of("b"))));
    assertThat(result.amendments())
        .extracting(FinalizeResult.Amendment::actionId)
        .containsExactlyInAnyOrder("r1", "r2");
    assertThat(result.errors())
        .singleElement()
        .satisfies(e -> assertThat(e.message()).contains("rolled back"));
    assertThat(connection.cloud().read().rules).containsOnlyKeys("old");
  }

  @Test
  void compensatingABatchedChangeDropsIt() throws Exception {
    RuleSetDriver driver = new RuleSetDriver(connection, pending);
    BatchFlusher flusher = new BatchFlusher(connection, pending);
    driver.create(
        "r1", new ResourceSpec("a", "cred_rule_set", Map.of("rules", List.of("x")), List.of()));
    assertThat(
            flusher
                .compensate(
                    new io.compensa.sdk.CompensationRequest(
                        "r1",
                        ActionKind.CREATE,
                        new ResourceSpec("a", "cred_rule_set", Map.of(), List.of()),
                        ResourceOutput.of("a"),
                        java.util.Optional.empty(),
                        "hook failed"))
                .compensated())
        .isTrue();
    flusher.finalizeApply(
        "p",
        List.of(
            new Outcome(
                "r1", "a", ActionKind.CREATE, ActionStatus.COMPENSATED, ResourceOutput.of("a"))));
    assertThat(connection.cloud().read().rules).isEmpty();
  }
}
