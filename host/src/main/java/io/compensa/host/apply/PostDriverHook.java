package io.compensa.host.apply;

/**
 * Host work that runs after a successful driver call; if it fails, the action is compensated.
 *
 * <p>Embedders register hooks through {@link ApplyOptions.Builder#hook}; they run after the host's
 * own output validation and state persistence and before the operator's command hooks. A hook may
 * run on several threads at once, one action each.
 */
@FunctionalInterface
public interface PostDriverHook {
  /**
   * Checks or records the applied action.
   *
   * @throws Exception any failure; its message becomes the outcome's hook error
   */
  void afterDriver(HookContext context) throws Exception;
}
