package io.compensa.samples.credentials;

import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.CompensationPolicy;
import io.compensa.sdk.Operation;
import io.compensa.sdk.ResourceType;
import java.util.List;
import java.util.Map;

/**
 * The credentials sample plugin: access keys ({@code cred_access_key}) whose secret exists only at
 * creation, and rule sets ({@code cred_rule_set}) whose changes are flushed in a batch by
 * FinalizeApply. Its "cloud" is a JSON file named by {@code "cloud"} in the plugin configuration.
 */
public final class CredentialsPlugin {
  /**
   * Access keys: HOST_INVERSE on create (delete the new key), NONE on delete (the secret is gone).
   */
  static final ResourceType ACCESS_KEY =
      ResourceType.builder("cred_access_key")
          .description("An access key for a user; its secret is returned once, at creation.")
          .operations(Operation.CREATE, Operation.READ, Operation.DELETE, Operation.DIFF)
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          // a rotation (a raised "rotation") creates the new key first and deletes the old one
          // only after every binding moved to it: the old key never stops working
          .createBeforeDelete(true)
          .sampleConfig(Map.of("user", "alice"))
          .build();

  /** An application's configuration holding the access key it uses: a rotation's consumer. */
  static final ResourceType KEY_BINDING =
      ResourceType.builder("cred_key_binding")
          .description(
              "An application's configuration holding the access key (user, rotation) it uses.")
          .operations(Operation.values())
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateUpdate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          .sampleConfig(Map.of("app", "sample-app", "user", "sample-user"))
          .sampleConfig(Map.of("app", "sample-app", "user", "other-sample-user"))
          .build();

  /** Rule sets: batched, compensated by the plugin dropping the batched change. */
  static final ResourceType RULE_SET =
      ResourceType.builder("cred_rule_set")
          .description("A named list of access rules, written to the cloud in one batch per apply.")
          .operations(
              Operation.CREATE, Operation.READ, Operation.UPDATE, Operation.DELETE, Operation.DIFF)
          .compensateCreate(CompensationPolicy.PLUGIN)
          .compensateUpdate(CompensationPolicy.PLUGIN)
          .compensateDelete(CompensationPolicy.PLUGIN)
          .sampleConfig(Map.of("rules", List.of("allow tcp 443", "deny tcp 22")))
          // a changed rule list: the conformance suite updates to it and back
          .sampleConfig(Map.of("rules", List.of("allow tcp 443")))
          .build();

  private CredentialsPlugin() {}

  /**
   * Serves the plugin; run it from a Compensa host.
   *
   * @param args ignored
   */
  public static void main(String[] args) {
    plugin().serve();
  }

  /**
   * Returns the plugin with its registrations and a fresh connection to its cloud: what {@link
   * #main} serves and what tests serve in-process.
   *
   * @return the plugin, ready to serve
   */
  public static CompensaPlugin plugin() {
    CloudConnection connection = new CloudConnection();
    PendingChanges pending = new PendingChanges();
    BatchFlusher flusher = new BatchFlusher(connection, pending);
    return CompensaPlugin.builder()
        .name("credentials")
        .version("0.1.0")
        .resource(
            ACCESS_KEY,
            config -> {
              connection.configure(config);
              return new AccessKeyDriver(connection);
            })
        .resource(RULE_SET, config -> new RuleSetDriver(connection, pending))
        .resource(KEY_BINDING, config -> new KeyBindingDriver(connection))
        .finalizer(flusher)
        .compensator(flusher)
        .build();
  }
}
