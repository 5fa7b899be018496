package io.compensa.host.apply;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Named steps of the apply and recover protocol where a test may stop the host dead, as a SIGKILL
 * would: no shutdown hook, no buffered write, no cleanup. The steps are those of the protocol model
 * (docs/protocol-model.md); the crash-point tests run the real CLI once per step and check the
 * invariants after {@code compensa recover}.
 *
 * <p>Off unless the environment variable {@value #VARIABLE} names a step, as {@code
 * STEP[/DETAIL][#N]}: the host halts with exit code {@value #EXIT_CODE} the {@code N}th time (1 by
 * default) it reaches {@code STEP} with a detail starting with {@code DETAIL} (a driver call's
 * name, such as {@code Create} or {@code Delete (compensate)}). Before halting it writes one line
 * to stderr naming the step, so a test can tell an injected crash from any other death. When the
 * variable is unset, {@link #reach} is one volatile read. Thread-safe.
 */
final class CrashPoints {
  /** The environment variable that arms one crash point. */
  static final String VARIABLE = "COMPENSA_CRASH_AT";

  /** The exit code of a host stopped at a crash point. */
  static final int EXIT_CODE = 86;

  /** The steps, as the protocol model names them. */
  static final String INTENT_JOURNALED = "call.intent-journaled";

  static final String CALL_RETURNED = "call.returned";
  static final String RESULT_JOURNALED = "call.result-journaled";
  static final String RECORD_PERSISTED = "steps.record-persisted";
  static final String HOOK_RUNNING = "steps.hook-running";
  static final String HOOK_FAILURE_JOURNALED = "steps.hook-failure-journaled";
  static final String COMPENSATED = "steps.compensated";
  static final String OUTCOME_JOURNALED = "action.outcome-journaled";
  static final String FINALIZED = "apply.finalized";
  static final String STATE_WRITTEN = "apply.state-written";
  static final String JOURNAL_COMPLETED = "apply.journal-completed";
  static final String RECOVER_RECORDS_WRITTEN = "recover.records-written";

  private static final Optional<Armed> ARMED = Armed.parse(System.getenv(VARIABLE));

  private CrashPoints() {}

  /** The host reached {@code step}: halts here if a test armed it. */
  static void reach(String step) {
    reach(step, "");
  }

  /** The host reached {@code step} for {@code detail} (a call name): halts if a test armed it. */
  static void reach(String step, String detail) {
    if (ARMED.isPresent()) {
      ARMED.get().reached(step, detail);
    }
  }

  /** One armed step: which, for which detail, and on which arrival. */
  private static final class Armed {
    private final String step;
    private final String detail;
    private final int nth;
    private final AtomicInteger arrivals = new AtomicInteger();

    private Armed(String step, String detail, int nth) {
      this.step = step;
      this.detail = detail;
      this.nth = nth;
    }

    static Optional<Armed> parse(String spec) {
      if (spec == null || spec.isBlank()) {
        return Optional.empty();
      }
      String rest = spec.trim();
      int nth = 1;
      int hash = rest.lastIndexOf('#');
      if (hash >= 0) {
        nth = Integer.parseInt(rest.substring(hash + 1));
        rest = rest.substring(0, hash);
      }
      int slash = rest.indexOf('/');
      String step = slash < 0 ? rest : rest.substring(0, slash);
      String detail = slash < 0 ? "" : rest.substring(slash + 1);
      return Optional.of(new Armed(step.toLowerCase(Locale.ROOT), detail, nth));
    }

    void reached(String at, String what) {
      if (!at.equals(step) || !what.startsWith(detail)) {
        return;
      }
      if (arrivals.incrementAndGet() != nth) {
        return;
      }
      System.err.println(
          "compensa: crash point "
              + at
              + (what.isEmpty() ? "" : " (" + what + ")")
              + " reached: halting the host as a SIGKILL would");
      System.err.flush();
      Runtime.getRuntime().halt(EXIT_CODE);
    }
  }
}
