package io.compensa.sdk.testkit;

import io.compensa.sdk.CompensaPlugin;
import io.compensa.sdk.CompensationPolicy;
import io.compensa.sdk.DriverException;
import io.compensa.sdk.Operation;
import io.compensa.sdk.ReadResult;
import io.compensa.sdk.ResourceDriver;
import io.compensa.sdk.ResourceOutput;
import io.compensa.sdk.ResourceSpec;
import io.compensa.sdk.ResourceState;
import io.compensa.sdk.ResourceType;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A fixture plugin that keeps items in memory and breaks the contract in the one way its argument
 * names (or in none, with {@code none}), so tests can show the conformance suite names that check.
 */
public final class BrokenPlugin {
  /** The ways this plugin can be broken. */
  enum Flaw {
    NONE,
    /** Delete does nothing, so the HOST_INVERSE of Create leaves the item behind. */
    INVERSE_DOES_NOT_UNDO,
    /** Delete of an item that is already gone fails instead of succeeding. */
    DELETE_ERRORS_WHEN_MISSING,
    /** Create makes a new item every time, even for an action id it has seen. */
    CREATE_NOT_IDEMPOTENT,
    /** The process lingers long after Shutdown. */
    IGNORES_SHUTDOWN
  }

  static final ResourceType ITEM =
      ResourceType.builder("mem_item")
          .description("An item kept in the plugin's memory.")
          .operations(Operation.values())
          .compensateCreate(CompensationPolicy.HOST_INVERSE)
          .compensateUpdate(CompensationPolicy.HOST_INVERSE)
          .compensateDelete(CompensationPolicy.HOST_INVERSE)
          .sampleConfig(Map.of("value", "first"))
          .sampleConfig(Map.of("value", "second"))
          .build();

  private BrokenPlugin() {}

  /** Serves the plugin with the flaw named by {@code args[0]}. */
  public static void main(String[] args) {
    Flaw flaw = Flaw.valueOf(args[0]);
    // only once a host started it: run by hand, it still refuses at once
    if (flaw == Flaw.IGNORES_SHUTDOWN && System.getenv("COMPENSA_PLUGIN_MAGIC_COOKIE") != null) {
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    try {
                      Thread.sleep(60_000);
                    } catch (InterruptedException ignored) {
                      // killed by the host long before this
                    }
                  }));
    }
    CompensaPlugin.builder()
        .name("broken-" + flaw.name().toLowerCase())
        .version("0.0.1")
        .resource(ITEM, new MemoryDriver(flaw))
        .build()
        .serve();
  }

  private static final class MemoryDriver implements ResourceDriver {
    private final Flaw flaw;
    private final Map<String, Map<String, Object>> items = new ConcurrentHashMap<>();
    private final Map<String, String> byAction = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();

    MemoryDriver(Flaw flaw) {
      this.flaw = flaw;
    }

    @Override
    public synchronized ResourceOutput create(String actionId, ResourceSpec spec) {
      String seen = byAction.get(actionId);
      if (seen != null && items.containsKey(seen) && flaw != Flaw.CREATE_NOT_IDEMPOTENT) {
        return ResourceOutput.of(seen);
      }
      String id = spec.name() + "-" + ids.incrementAndGet();
      items.put(id, spec.config());
      byAction.put(actionId, id);
      return ResourceOutput.of(id);
    }

    @Override
    public ReadResult read(ResourceSpec spec, String providerId) {
      Map<String, Object> config = items.get(providerId);
      return config == null
          ? ReadResult.absent()
          : new ReadResult(true, Optional.of(ResourceOutput.of(providerId)), config);
    }

    @Override
    public ResourceOutput update(String actionId, ResourceSpec desired, ResourceState prior)
        throws DriverException {
      if (items.replace(prior.providerId(), desired.config()) == null) {
        throw DriverException.notFound("no item " + prior.providerId());
      }
      return ResourceOutput.of(prior.providerId());
    }

    @Override
    public void delete(String actionId, ResourceState state) throws DriverException {
      if (flaw == Flaw.INVERSE_DOES_NOT_UNDO) {
        return;
      }
      if (items.remove(state.providerId()) == null && flaw == Flaw.DELETE_ERRORS_WHEN_MISSING) {
        throw DriverException.notFound("no item " + state.providerId());
      }
    }
  }
}
