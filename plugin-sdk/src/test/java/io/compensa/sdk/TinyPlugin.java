package io.compensa.sdk;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A tiny plugin the process tests start as a real child process: one resource type, {@code
 * tiny_note}, kept in memory.
 */
public final class TinyPlugin {

  private static final Logger log = LoggerFactory.getLogger(TinyPlugin.class);

  static final ResourceType NOTE =
      ResourceType.builder("tiny_note")
          .description("A note kept in the plugin's memory.")
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateUpdate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          .sampleConfig(Map.of("text", "hello"))
          .build();

  private TinyPlugin() {}

  public static void main(String[] args) {
    CompensaPlugin.builder()
        .name("tiny")
        .version("0.0.1")
        .resource(
            NOTE,
            config -> {
              if (config.get("print_to_stdout").isPresent()) {
                System.out.println("a line a careless author prints: it must not reach stdout");
              }
              return new NoteDriver(config.string("prefix").orElse(""));
            })
        .build()
        .serve();
  }

  /** Keeps notes in a map; refuses text "fail" to exercise errors. */
  static final class NoteDriver implements ResourceDriver {
    private final String prefix;
    private final ConcurrentMap<String, Map<String, Object>> notes = new ConcurrentHashMap<>();

    NoteDriver(String prefix) {
      this.prefix = prefix;
    }

    @Override
    public ResourceOutput create(String actionId, ResourceSpec spec) throws DriverException {
      if ("fail".equals(spec.config().get("text"))) {
        throw DriverException.retryable("note \"" + spec.name() + "\" says fail: try again");
      }
      notes.put(spec.name(), spec.config());
      log.atInfo()
          .addKeyValue("name", spec.name())
          .addKeyValue("action", actionId)
          .log("created note");
      return ResourceOutput.of(prefix + spec.name())
          .withOutput("length", String.valueOf(spec.config().get("text")).length());
    }

    @Override
    public ReadResult read(ResourceSpec spec, String providerId) {
      Map<String, Object> config = notes.get(spec.name());
      return config == null
          ? ReadResult.absent()
          : ReadResult.found(ResourceOutput.of(prefix + spec.name())).withObservedConfig(config);
    }

    @Override
    public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior) {
      notes.put(desired.name(), desired.config());
      return ResourceOutput.of(prefix + desired.name());
    }

    @Override
    public void delete(String actionId, ResourceState state) {
      notes.remove(state.name());
    }
  }
}
