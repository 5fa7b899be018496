package io.compensa.host.plan;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.host.endpoint.DriverCallException;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.proto.v1.Operation;
import io.compensa.proto.v1.ReadRequest;
import io.compensa.proto.v1.ReadResponse;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import io.compensa.proto.v1.ResourceType;
import io.compensa.proto.v1.StateSnapshot;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * What the world says about each recorded resource, asked before planning: every recorded resource
 * whose type can Read is read through its driver (a few at a time), so the plan starts from the
 * world and not only from the record. A resource whose Read says it no longer exists is {@link
 * Seen#gone() gone}; one whose observed configuration differs from the record, for the attributes
 * the record holds, is seen with the observed values. Nothing is written: the state changes only
 * when the plan is applied. Stateless.
 */
final class Refresh {
  /** At most this many Reads at once. */
  static final int PARALLEL_READS = 8;

  private static final long READS_TIMEOUT_MINUTES = 10;

  private Refresh() {}

  /**
   * What one Read found.
   *
   * @param gone the resource no longer exists
   * @param prior the record, with the observed configuration for the attributes it holds
   * @param drift empty when the world matches the record, else what differs, for people
   */
  record Seen(boolean gone, ResourceState prior, String drift) {}

  /**
   * Reads every recorded resource of {@code state} that its type can Read.
   *
   * @throws InvalidPlanException naming the first resource whose Read failed
   */
  static Map<String, Seen> read(PluginRouter router, StateSnapshot state)
      throws InvalidPlanException {
    List<ResourceState> readable = new ArrayList<>();
    for (ResourceState record : state.getResourcesList()) {
      ResourceType type = router.types().get(record.getType());
      if (type != null && type.getOperationsList().contains(Operation.OPERATION_READ)) {
        readable.add(record);
      }
    }
    Map<String, Seen> seen = new HashMap<>();
    if (readable.isEmpty()) {
      return seen;
    }
    ExecutorService pool =
        Executors.newFixedThreadPool(
            Math.min(PARALLEL_READS, readable.size()),
            task -> {
              Thread thread = new Thread(task, "compensa-refresh");
              thread.setDaemon(true);
              return thread;
            });
    try {
      List<Future<ReadResponse>> reads = new ArrayList<>();
      for (ResourceState record : readable) {
        reads.add(pool.submit(() -> read(router, record)));
      }
      for (int i = 0; i < readable.size(); i++) {
        ResourceState record = readable.get(i);
        seen.put(record.getName(), seen(record, answer(reads.get(i), record)));
      }
      return seen;
    } finally {
      pool.shutdownNow();
    }
  }

  private static ReadResponse read(PluginRouter router, ResourceState record)
      throws DriverCallException {
    return router
        .endpoint(record.getType())
        .read(
            ReadRequest.newBuilder()
                .setResource(
                    ResourceSpec.newBuilder()
                        .setName(record.getName())
                        .setType(record.getType())
                        .setConfig(record.getConfig())
                        .addAllDependsOn(record.getDependsOnList()))
                .setProviderId(record.getOutput().getProviderId())
                .build());
  }

  private static ReadResponse answer(Future<ReadResponse> read, ResourceState record)
      throws InvalidPlanException {
    try {
      return read.get(READS_TIMEOUT_MINUTES, TimeUnit.MINUTES);
    } catch (ExecutionException e) {
      throw failed(record, e.getCause().getMessage(), e.getCause());
    } catch (TimeoutException e) {
      throw failed(record, "no answer in " + READS_TIMEOUT_MINUTES + " minutes", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failed(record, "interrupted", e);
    }
  }

  private static InvalidPlanException failed(ResourceState record, String why, Throwable cause) {
    return new InvalidPlanException(
        "resource \""
            + record.getName()
            + "\": the Read that refreshes it before planning failed: "
            + why
            + " (fix what the driver reports, or plan from the record alone with --refresh=false)",
        cause);
  }

  private static Seen seen(ResourceState record, ReadResponse read) {
    if (!read.getExists()) {
      return new Seen(true, record, "gone from the world");
    }
    Struct recorded = record.getConfig();
    Struct.Builder observed = recorded.toBuilder();
    List<String> changed = new ArrayList<>();
    for (Map.Entry<String, Value> field : recorded.getFieldsMap().entrySet()) {
      Value now = read.getObservedConfig().getFieldsMap().get(field.getKey());
      if (now != null && !now.equals(field.getValue())) {
        observed.putFields(field.getKey(), now);
        changed.add(field.getKey());
      }
    }
    if (changed.isEmpty()) {
      return new Seen(false, record, "");
    }
    changed.sort(null);
    return new Seen(
        false,
        record.toBuilder().setConfig(observed).build(),
        "changed outside Compensa: " + String.join(", ", changed));
  }
}
