package io.compensa.bench;

import com.google.gson.GsonBuilder;
import com.google.protobuf.Struct;
import com.sun.management.GarbageCollectionNotificationInfo;
import io.compensa.host.apply.ApplyEngine;
import io.compensa.host.apply.ApplyListener;
import io.compensa.host.apply.ApplyOptions;
import io.compensa.host.apply.ApplyResult;
import io.compensa.host.apply.FailurePolicy;
import io.compensa.host.endpoint.PluginRouter;
import io.compensa.host.journal.FileJournal;
import io.compensa.host.journal.Journal;
import io.compensa.host.secrets.FileSecretStore;
import io.compensa.host.state.FileStateStore;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.ActionStatus;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import javax.management.NotificationEmitter;
import javax.management.NotificationListener;
import javax.management.openmbean.CompositeData;

/**
 * The apply engine's own figures: applies of plans of independent creates against a {@link
 * NoopPlugin} with parallelism 16, on the file state store, journal on and off; the rollback of the
 * same plans (one more action, depending on all the others, fails under {@link
 * FailurePolicy#ROLLBACK}); the host's heap after the largest apply, and that apply again in a JVM
 * limited to {@code --heap-limit-mib} of heap. Each figure is the median of several fresh applies
 * after a warm-up apply; journal on and off take turns. Then one large apply ({@code --large}
 * actions, 100,000 by default; 0 leaves it out), journal on, in a JVM limited to that heap: its
 * rate, CPU time per action, the time before its first action started (validation, the graph, the
 * journal's start) and after its last ended (the final state write), the most heap live after any
 * collection during it, the heap live afterwards, and the sizes of its state and journal files.
 *
 * <p>Run in a JVM of its own (the suite starts one) so the heap figure is the engine's. Prints one
 * JSON object on stdout. Usage: {@code EngineBench [--sizes 1000,10000] [--repeats N] [--journal
 * on,off] [--heap-limit-mib 256] [--large 100000]}.
 */
public final class EngineBench {
  private static final int PARALLELISM = 16;

  /** The heap's memory pools, by name: the collector's notifications name pools. */
  private static final java.util.Set<String> HEAP_POOLS =
      ManagementFactory.getMemoryPoolMXBeans().stream()
          .filter(p -> p.getType() == MemoryType.HEAP)
          .map(MemoryPoolMXBean::getName)
          .collect(java.util.stream.Collectors.toSet());

  private EngineBench() {}

  /** Runs the engine figures and prints them as JSON. */
  public static void main(String[] args) throws Exception {
    List<Integer> sizes = List.of(1000, 10000);
    int repeats = 3;
    List<Boolean> journals = List.of(true, false);
    int heapLimitMib = 256;
    int large = 100_000;
    for (int i = 0; i < args.length; i += 2) {
      switch (args[i]) {
        case "--within-heap" -> {
          withinHeap(Integer.parseInt(args[i + 1]));
          return;
        }
        case "--large-apply" -> {
          largeApply(Integer.parseInt(args[i + 1]));
          return;
        }
        case "--large" -> large = Integer.parseInt(args[i + 1]);
        case "--heap-limit-mib" -> heapLimitMib = Integer.parseInt(args[i + 1]);
        case "--sizes" -> sizes = Stream.of(args[i + 1].split(",")).map(Integer::parseInt).toList();
        case "--repeats" -> repeats = Integer.parseInt(args[i + 1]);
        case "--journal" ->
            journals = Stream.of(args[i + 1].split(",")).map(EngineBench::onOff).toList();
        default -> throw new IllegalArgumentException("unknown option " + args[i]);
      }
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    Path scratch = Files.createTempDirectory("compensa-engine-bench");
    try {
      apply(scratch, 1000, true, false); // warm-up: class loading and JIT
      apply(scratch, 1000, false, true);
      int largest = sizes.stream().max(Integer::compare).orElseThrow();
      for (int size : sizes) {
        // journal on and off take turns, repeat by repeat, so neither always meets a less (or
        // more) warmed-up JIT or a quieter moment of the machine; the journal's cost is their ratio
        Map<Boolean, List<Double>> applyRates = new LinkedHashMap<>();
        Map<Boolean, List<Double>> rollbackRates = new LinkedHashMap<>();
        Map<Boolean, List<Double>> cpu = new LinkedHashMap<>();
        for (int r = 0; r < repeats; r++) {
          for (int j = 0; j < journals.size(); j++) {
            boolean journal = journals.get((j + r) % journals.size());
            Run applied = apply(scratch, size, journal, false);
            applyRates.computeIfAbsent(journal, k -> new ArrayList<>()).add(applied.applyRate);
            cpu.computeIfAbsent(journal, k -> new ArrayList<>()).add(applied.cpuMicrosPerAction);
            rollbackRates
                .computeIfAbsent(journal, k -> new ArrayList<>())
                .add(apply(scratch, size, journal, true).rollbackRate);
          }
        }
        for (boolean journal : journals) {
          String key = size + (journal ? "_journal_on" : "_journal_off");
          figures.put(
              "apply_" + key + "_actions_per_s",
              Figures.round(Figures.median(applyRates.get(journal))));
          // the process's CPU time per action: steadier than the rate on a shared machine
          figures.put(
              "apply_" + key + "_cpu_us_per_action",
              Figures.round(Figures.median(cpu.get(journal))));
          figures.put(
              "rollback_" + key + "_actions_per_s",
              Figures.round(Figures.median(rollbackRates.get(journal))));
        }
      }
      figures.putAll(heapAfter(scratch, largest));
      figures.putAll(inLimitedHeap(largest, heapLimitMib));
      if (large > 0) {
        figures.putAll(largeInLimitedHeap(large, heapLimitMib));
      }
    } finally {
      delete(scratch);
    }
    System.out.println(new GsonBuilder().setPrettyPrinting().create().toJson(figures));
  }

  /**
   * The largest apply (journal on) and its rollback again, in a JVM whose heap may not grow past
   * {@code limitMib}: the rates show the engine works within that heap, not just that little of it
   * stays live afterwards. Rates of 0 when that JVM failed (its error went to stderr).
   */
  private static Map<String, Object> inLimitedHeap(int size, int limitMib) throws Exception {
    ChildRun child = inChildJvm(limitMib, "--within-heap", size);
    String output = child.output();
    String prefix = size + "_journal_on_within_" + limitMib + "_mib_heap_actions_per_s";
    Map<String, Object> figures = new LinkedHashMap<>();
    if (child.exitCode() != 0) {
      System.err.println(
          "engine bench: the apply within a " + limitMib + " MiB heap failed: " + output);
      figures.put("apply_" + prefix, 0.0);
      figures.put("rollback_" + prefix, 0.0);
      return figures;
    }
    String[] rates = output.trim().split(" ");
    figures.put("apply_" + prefix, Figures.round(Double.parseDouble(rates[0])));
    figures.put("rollback_" + prefix, Figures.round(Double.parseDouble(rates[1])));
    return figures;
  }

  /** What a child JVM of this bench printed on stdout, and how it exited. */
  private record ChildRun(int exitCode, String output) {}

  /**
   * Runs this bench's {@code mode} for {@code size} actions in a JVM of its own whose heap may not
   * grow past {@code limitMib}, its stderr passed through.
   */
  private static ChildRun inChildJvm(int limitMib, String mode, int size) throws Exception {
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-Xmx" + limitMib + "m",
            "-cp",
            System.getProperty("java.class.path"),
            EngineBench.class.getName(),
            mode,
            Integer.toString(size));
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    String output =
        new String(
            process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    return new ChildRun(process.waitFor(), output);
  }

  /**
   * One apply of {@code size} actions, journal on, in a JVM whose heap may not grow past {@code
   * limitMib}: the figures {@link #largeApply} prints, named after the size and the limit. Throws
   * when that JVM failed (an OutOfMemoryError is a result worth a failed suite).
   */
  private static Map<String, Object> largeInLimitedHeap(int size, int limitMib) throws Exception {
    ChildRun child = inChildJvm(limitMib, "--large-apply", size);
    String output = child.output();
    if (child.exitCode() != 0) {
      throw new IllegalStateException(
          "the apply of "
              + size
              + " actions within a "
              + limitMib
              + " MiB heap failed (its error is above): "
              + output);
    }
    Map<String, Object> figures = new LinkedHashMap<>();
    String prefix = "apply_" + size + "_journal_on_in_" + limitMib + "_mib_heap_";
    com.google.gson.JsonParser.parseString(output)
        .getAsJsonObject()
        .entrySet()
        .forEach(e -> figures.put(prefix + e.getKey(), e.getValue().getAsDouble()));
    return figures;
  }

  /**
   * The child side of {@link #largeInLimitedHeap}: after the warm-up, one apply of {@code size}
   * independent creates, journal on; prints its figures as JSON.
   */
  private static void largeApply(int size) throws Exception {
    Path scratch = Files.createTempDirectory("compensa-engine-bench");
    try {
      apply(scratch, 1000, true, false); // warm-up, as in the main run
      apply(scratch, 1000, false, true);
      System.gc();
      AtomicLong liveAfterGc = new AtomicLong();
      List<NotificationEmitter> collectors = new ArrayList<>();
      NotificationListener afterGc =
          (notification, handback) -> {
            if (!notification
                .getType()
                .equals(GarbageCollectionNotificationInfo.GARBAGE_COLLECTION_NOTIFICATION)) {
              return;
            }
            GarbageCollectionNotificationInfo info =
                GarbageCollectionNotificationInfo.from((CompositeData) notification.getUserData());
            long used = 0;
            for (Map.Entry<String, MemoryUsage> pool :
                info.getGcInfo().getMemoryUsageAfterGc().entrySet()) {
              if (HEAP_POOLS.contains(pool.getKey())) {
                used += pool.getValue().getUsed();
              }
            }
            liveAfterGc.accumulateAndGet(used, Math::max);
          };
      for (GarbageCollectorMXBean collector : ManagementFactory.getGarbageCollectorMXBeans()) {
        if (collector instanceof NotificationEmitter emitter) {
          emitter.addNotificationListener(afterGc, null, null);
          collectors.add(emitter);
        }
      }
      Path dir = Files.createTempDirectory(scratch, "large");
      Path state = dir.resolve("state.json");
      FileJournal journal = new FileJournal(state);
      AtomicLong firstStarted = new AtomicLong();
      AtomicLong lastFinished = new AtomicLong();
      ApplyEngine engine =
          new ApplyEngine(
              new PluginRouter(List.of(new NoopPlugin())),
              new FileStateStore(state),
              new FileSecretStore(dir.resolve("secrets.json")),
              ApplyOptions.builder()
                  .parallelism(PARALLELISM)
                  .failurePolicy(FailurePolicy.STOP)
                  .journal(journal)
                  .build(),
              new ApplyListener() {
                @Override
                public void started(PlanAction action) {
                  firstStarted.compareAndSet(0, System.nanoTime());
                }

                @Override
                public void finished(ActionOutcome outcome) {
                  lastFinished.set(System.nanoTime());
                }
              });
      Plan plan = plan(size, false);
      long cpuStart = processCpuNanos();
      long start = System.nanoTime();
      ApplyResult result = engine.apply(plan, "engine benchmark");
      long end = System.nanoTime();
      long cpu = processCpuNanos() - cpuStart;
      long succeeded =
          result.outcomes().stream()
              .filter(o -> o.getStatus() == ActionStatus.ACTION_STATUS_SUCCESS)
              .count();
      if (succeeded != size) {
        throw new IllegalStateException(
            "the large apply went wrong: "
                + succeeded
                + " of "
                + size
                + " actions succeeded; problems: "
                + result.problems());
      }
      for (NotificationEmitter emitter : collectors) {
        emitter.removeNotificationListener(afterGc);
      }
      System.gc();
      long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
      Map<String, Object> figures = new LinkedHashMap<>();
      figures.put("actions_per_s", Figures.round(size * 1e9 / (end - start)));
      figures.put("cpu_us_per_action", Figures.round(cpu / 1e3 / size));
      figures.put("seconds", Figures.round((end - start) / 1e9));
      figures.put("before_first_action_ms", Figures.round((firstStarted.get() - start) / 1e6));
      figures.put("after_last_action_ms", Figures.round((end - lastFinished.get()) / 1e6));
      // a small apply may see no collection: what is live at its end is then its peak
      figures.put(
          "heap_peak_live_mib", Figures.round(Math.max(liveAfterGc.get(), live) / 1048576.0));
      figures.put("heap_live_after_mib", Figures.round(live / 1048576.0));
      figures.put("state_file_mib", Figures.round(Files.size(state) / 1048576.0));
      figures.put("journal_file_mib", Figures.round(Files.size(journal.file()) / 1048576.0));
      if (result.outcomes().size() != size) {
        throw new IllegalStateException("the large apply's result went missing");
      }
      System.out.println(new GsonBuilder().create().toJson(figures));
    } finally {
      delete(scratch);
    }
  }

  /** The child side of {@link #inLimitedHeap}: prints the apply and rollback rates. */
  private static void withinHeap(int size) throws Exception {
    Path scratch = Files.createTempDirectory("compensa-engine-bench");
    try {
      apply(scratch, 1000, true, false); // warm-up, as in the main run
      apply(scratch, 1000, false, true);
      List<Double> applyRates = new ArrayList<>();
      List<Double> rollbackRates = new ArrayList<>();
      for (int r = 0; r < 3; r++) { // the median of three, as in the main run
        applyRates.add(apply(scratch, size, true, false).applyRate);
        rollbackRates.add(apply(scratch, size, true, true).rollbackRate);
      }
      System.out.println(Figures.median(applyRates) + " " + Figures.median(rollbackRates));
    } finally {
      delete(scratch);
    }
  }

  private static boolean onOff(String value) {
    return switch (value) {
      case "on" -> true;
      case "off" -> false;
      default ->
          throw new IllegalArgumentException("--journal takes on, off or on,off; got " + value);
    };
  }

  /** What one apply measured. */
  private record Run(
      double applyRate, double rollbackRate, double cpuMicrosPerAction, ApplyResult result) {}

  private static Run apply(Path scratch, int size, boolean journal, boolean rollback)
      throws Exception {
    Path dir = Files.createTempDirectory(scratch, "apply");
    Path state = dir.resolve("state.json");
    AtomicLong failedAt = new AtomicLong();
    ApplyEngine engine =
        new ApplyEngine(
            new PluginRouter(List.of(new NoopPlugin())),
            new FileStateStore(state),
            new FileSecretStore(dir.resolve("secrets.json")),
            ApplyOptions.builder()
                .parallelism(PARALLELISM)
                .failurePolicy(rollback ? FailurePolicy.ROLLBACK : FailurePolicy.STOP)
                .journal(journal ? new FileJournal(state) : Journal.NONE)
                .build(),
            new ApplyListener() {
              @Override
              public void finished(ActionOutcome outcome) {
                if (outcome.getResourceName().equals(NoopPlugin.FAILING)) {
                  failedAt.set(System.nanoTime());
                }
              }
            });
    Plan plan = plan(size, rollback);
    long cpuStart = processCpuNanos();
    long start = System.nanoTime();
    ApplyResult result = engine.apply(plan, "engine benchmark");
    long end = System.nanoTime();
    double cpuMicros = (processCpuNanos() - cpuStart) / 1e3 / size;
    long expected =
        result.outcomes().stream()
            .filter(
                o ->
                    o.getStatus()
                        == (rollback
                            ? ActionStatus.ACTION_STATUS_COMPENSATED
                            : ActionStatus.ACTION_STATUS_SUCCESS))
            .count();
    if (expected != size) {
      throw new IllegalStateException(
          "the benchmark's apply went wrong: "
              + expected
              + " of "
              + size
              + " actions ended as expected; problems: "
              + result.problems());
    }
    double applyRate = size * 1e9 / ((rollback ? failedAt.get() : end) - start);
    double rollbackRate = rollback ? size * 1e9 / (end - failedAt.get()) : Double.NaN;
    delete(dir);
    return new Run(applyRate, rollbackRate, cpuMicros, result);
  }

  /** CPU time the whole process used so far (every thread, the collector's too). */
  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  private static Plan plan(int size, boolean withFailingAction) {
    Plan.Builder plan = Plan.newBuilder().setId("bench-" + size + "-" + System.nanoTime());
    ResourceSpec.Builder failing =
        ResourceSpec.newBuilder()
            .setName(NoopPlugin.FAILING)
            .setType(NoopPlugin.TYPE)
            .setConfig(Struct.getDefaultInstance());
    for (int i = 0; i < size; i++) {
      String name = "item-" + i;
      plan.addActions(
          PlanAction.newBuilder()
              .setId("create-" + name)
              .setKind(ActionKind.ACTION_KIND_CREATE)
              .setResource(
                  ResourceSpec.newBuilder()
                      .setName(name)
                      .setType(NoopPlugin.TYPE)
                      .setConfig(Struct.getDefaultInstance())));
      failing.addDependsOn(name);
    }
    if (withFailingAction) {
      plan.addActions(
          PlanAction.newBuilder()
              .setId("create-" + NoopPlugin.FAILING)
              .setKind(ActionKind.ACTION_KIND_CREATE)
              .setResource(failing));
    }
    return plan.build();
  }

  /** The heap after an apply of {@code size} actions, its result still held: live and peak. */
  private static Map<String, Object> heapAfter(Path scratch, int size) throws Exception {
    System.gc();
    List<MemoryPoolMXBean> heapPools =
        ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP)
            .toList();
    heapPools.forEach(MemoryPoolMXBean::resetPeakUsage);
    Run run = apply(scratch, size, true, false);
    long peak = heapPools.stream().mapToLong(p -> p.getPeakUsage().getUsed()).sum();
    System.gc();
    long live = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    Map<String, Object> heap = new LinkedHashMap<>();
    heap.put("heap_after_" + size + "_apply_live_mib", Figures.round(live / 1048576.0));
    heap.put("heap_during_" + size + "_apply_peak_used_mib", Figures.round(peak / 1048576.0));
    heap.put("heap_max_mib", Figures.round(Runtime.getRuntime().maxMemory() / 1048576.0));
    heap.put("outcomes_held", run.result().outcomes().size());
    return heap;
  }

  private static void delete(Path dir) throws IOException {
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    }
  }
}
