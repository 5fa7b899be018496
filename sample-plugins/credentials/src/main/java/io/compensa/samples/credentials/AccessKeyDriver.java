package io.compensa.samples.credentials;

import io.compensa.sdk.DiffResult;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Access keys, modelled on cloud access keys: the secret is returned once, by Create, and the cloud
 * keeps only its digest, so a deleted key can never be brought back (its delete is not
 * compensable). Raising {@code rotation} rotates the key: a replace that creates the new key first
 * and deletes the old one only after every consumer ({@link KeyBindingDriver}) moved. Thread-safe.
 */
final class AccessKeyDriver implements ResourceDriver {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final char[] ID_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".toCharArray();

  private final CloudConnection connection;

  AccessKeyDriver(CloudConnection connection) {
    this.connection = connection;
  }

  @Override
  public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
    String user = spec.string("user");
    int rotation = rotation(spec.config());
    return connection
        .cloud()
        .update(
            data -> {
              for (Map.Entry<String, Cloud.AccessKey> existing : data.keys.entrySet()) {
                if (actionId.equals(existing.getValue().createdByAction)) {
                  // a repeated Create: the key exists, but its secret was only ever shown once
                  return ResourceOutput.of(existing.getKey())
                      .withOutput("user", existing.getValue().user);
                }
              }
              String id = newKeyId();
              String secret = newSecret();
              Cloud.AccessKey key = new Cloud.AccessKey();
              key.user = user;
              key.rotation = rotation;
              key.secretSha256 = sha256(secret);
              key.createdByAction = actionId;
              data.keys.put(id, key);
              return ResourceOutput.of(id)
                  .withOutput("user", user)
                  .withSensitiveOutput("secret", secret);
            });
  }

  @Override
  public ReadResult read(ResourceSpec spec, String providerId) throws DriverException {
    Cloud.AccessKey key = connection.cloud().read().keys.get(providerId);
    if (key == null) {
      return ReadResult.absent();
    }
    Map<String, Object> observed = new java.util.LinkedHashMap<>();
    observed.put("user", key.user);
    if (spec.config().containsKey("rotation") || key.rotation != 0) {
      observed.put("rotation", key.rotation);
    }
    return ReadResult.found(ResourceOutput.of(providerId).withOutput("user", key.user))
        .withObservedConfig(observed);
  }

  @Override
  public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
      throws DriverException {
    throw DriverException.invalidConfig("access keys cannot be changed in place: plan a replace");
  }

  @Override
  public void delete(String actionId, ResourceState state) throws DriverException {
    String id = state.output().providerId();
    connection.cloud().update(data -> data.keys.remove(id));
  }

  @Override
  public DiffResult diff(ResourceSpec desired, ResourceState prior) throws DriverException {
    List<String> changed = new java.util.ArrayList<>();
    if (!Objects.equals(desired.string("user"), prior.config().get("user"))) {
      changed.add("user");
    }
    if (rotation(desired.config()) != rotation(prior.config())) {
      changed.add("rotation");
    }
    return changed.isEmpty() ? DiffResult.none() : DiffResult.replace(changed, changed);
  }

  /** The key's rotation in {@code config}: 0 when absent. */
  static int rotation(Map<String, Object> config) throws DriverException {
    Object value = config.get("rotation");
    if (value == null) {
      return 0;
    }
    if (!(value instanceof Number number)
        || number.doubleValue() != Math.rint(number.doubleValue())) {
      throw DriverException.invalidConfig(
          "rotation is " + value + ": give a whole number (raise it to rotate the key)");
    }
    return number.intValue();
  }

  private static String newKeyId() {
    StringBuilder id = new StringBuilder("CK");
    for (int i = 0; i < 16; i++) {
      id.append(ID_CHARS[RANDOM.nextInt(ID_CHARS.length)]);
    }
    return id.toString();
  }

  private static String newSecret() {
    byte[] bytes = new byte[30];
    RANDOM.nextBytes(bytes);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
  }

  static String sha256(String text) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
