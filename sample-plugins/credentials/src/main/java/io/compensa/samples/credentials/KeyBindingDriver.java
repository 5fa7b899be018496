package io.compensa.samples.credentials;

import io.compensa.sdk.DriverException;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.util.Comparator;
import java.util.Map;

/**
 * Drives {@code cred_key_binding}: an application's configuration holding the access key it uses,
 * the consumer of a key rotation. Config: {@code app}, and the key it uses by {@code user} and
 * {@code rotation}; binding writes the id of that user's key at that rotation into the cloud's
 * {@code bindings} (without {@code rotation}: the user's newest key, or none while the user has
 * none). Moving to a new rotation is an update; moving back (HOST_INVERSE) binds the old key again,
 * which a create-before-delete rotation keeps until every binding moved. The cloud's {@code
 * faults.binding_fail} lists applications whose binding cannot be written. Thread-safe.
 */
final class KeyBindingDriver implements ResourceDriver {
  private final CloudConnection connection;

  KeyBindingDriver(CloudConnection connection) {
    this.connection = connection;
  }

  @Override
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    return bind(spec);
  }

  @Override
  public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
    String app = providerId.isEmpty() ? spec.string("app") : providerId;
    Cloud.Data data = connection.cloud().read();
    String keyId = data.bindings.get(app);
    if (keyId == null) {
      return ReadResult.absent();
    }
    Map<String, Object> observed = new java.util.LinkedHashMap<>(spec.config());
    observed.put("app", app);
    Cloud.AccessKey key = data.keys.get(keyId);
    if (key != null) {
      observed.put("user", key.user);
      if (spec.config().containsKey("rotation")) {
        observed.put("rotation", key.rotation);
      }
    }
    return ReadResult.found(ResourceOutput.of(app).withOutput("key_id", keyId))
        .withObservedConfig(observed);
  }

  @Override
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException {
    return bind(desired);
  }

  @Override
  public void delete(String actionId, ResourceState state) throws DriverException {
    String app = state.output().providerId();
    connection.cloud().update(data -> data.bindings.remove(app));
  }

  private ResourceOutput bind(ResourceSpec spec) throws DriverException {
    String app = spec.string("app");
    String user = spec.string("user");
    boolean strict = spec.config().containsKey("rotation");
    int rotation = AccessKeyDriver.rotation(spec.config());
    return connection
        .cloud()
        .update(
            data -> {
              if (data.faults.bindingFail.contains(app)) {
                throw DriverException.failed(
                    "the configuration of " + app + " cannot be written (injected fault)");
              }
              if (!strict) {
                String newest =
                    data.keys.entrySet().stream()
                        .filter(k -> k.getValue().user.equals(user))
                        .max(Comparator.comparingInt(k -> k.getValue().rotation))
                        .map(Map.Entry::getKey)
                        .orElse("");
                data.bindings.put(app, newest);
                return ResourceOutput.of(app).withOutput("key_id", newest);
              }
              String keyId =
                  data.keys.entrySet().stream()
                      .filter(k -> k.getValue().user.equals(user))
                      .filter(k -> k.getValue().rotation == rotation)
                      .map(Map.Entry::getKey)
                      .max(Comparator.naturalOrder())
                      .orElseThrow(
                          () ->
                              DriverException.preconditionFailed(
                                  spec.name()
                                      + ": "
                                      + user
                                      + " has no access key at rotation "
                                      + rotation
                                      + ": apply the key first (depends_on)"));
              data.bindings.put(app, keyId);
              return ResourceOutput.of(app).withOutput("key_id", keyId);
            });
  }
}
