package io.compensa.host.testing;

import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.Operation;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.compensa.sdk.ResourceType;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.slf4j.LoggerFactory;

/**
 * An SDK plugin whose answers are as large and as slow as the resource config asks: type {@code
 * sized_blob}, config {@code {"size": bytes, "sleep_ms": millis, "mark_dir": path}}. Read logs to
 * stderr and creates an empty file named by the resource in {@code mark_dir} (when given) as it
 * starts, sleeps {@code sleep_ms}, then answers "exists" with an output {@code data} of {@code
 * size} characters. Create answers at once with the provider id {@code <name>}. Nothing is stored.
 */
public final class SizedPlugin {
  /** The resource type it serves. */
  public static final String TYPE = "sized_blob";

  private SizedPlugin() {}

  /** Serves the plugin. */
  public static void main(String[] args) {
    CompensaPlugin.builder()
        .name("sized")
        .version("1.0.0")
        .resource(
            ResourceType.builder(TYPE)
                .description("answers as large and as slow as its config asks")
                .operations(Operation.CREATE, Operation.READ, Operation.DELETE)
                .sampleConfig(Map.of("size", 10))
                .build(),
            new Driver())
        .build()
        .serve();
  }

  /** The command that runs this plugin from the test class path. */
  public static List<String> command() {
    List<String> command = new java.util.ArrayList<>(LocalFs.command());
    command.set(command.size() - 1, SizedPlugin.class.getName());
    return command;
  }

  private static final class Driver implements ResourceDriver {
    @Override
    public ResourceOutput create(String actionId, ResourceSpec spec) {
      return ResourceOutput.of(spec.name());
    }

    @Override
    public ReadResult read(ResourceSpec spec, String providerId) {
      LoggerFactory.getLogger(SizedPlugin.class).info("reading {}", spec.name());
      if (spec.config().get("mark_dir") instanceof String marks) {
        try {
          Files.createFile(Path.of(marks).resolve(spec.name()));
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
      }
      long sleep = number(spec, "sleep_ms");
      if (sleep > 0) {
        try {
          Thread.sleep(sleep);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
      String data = "x".repeat((int) number(spec, "size"));
      return ReadResult.found(ResourceOutput.of(spec.name()).withOutput("data", data));
    }

    @Override
    public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior) {
      throw new UnsupportedOperationException("sized_blob declares no Update");
    }

    @Override
    public void delete(String actionId, ResourceState state) {}

    private static long number(ResourceSpec spec, String key) {
      Object value = spec.config().get(key);
      return value instanceof Number n ? n.longValue() : 0;
    }
  }
}
