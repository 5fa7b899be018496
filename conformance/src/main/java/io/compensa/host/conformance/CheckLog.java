package io.compensa.host.conformance;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** Collects checks in order and shows each as it is made. Not thread-safe. */
final class CheckLog {
  private final List<ConformanceCheck> checks = new ArrayList<>();
  private final Consumer<ConformanceCheck> listener;

  CheckLog(Consumer<ConformanceCheck> listener) {
    this.listener = listener;
  }

  void pass(String name, String type, String detail) {
    add(new ConformanceCheck(name, type, ConformanceCheck.Result.PASS, detail));
  }

  void fail(String name, String type, String detail) {
    add(new ConformanceCheck(name, type, ConformanceCheck.Result.FAIL, detail));
  }

  void skip(String name, String type, String detail) {
    add(new ConformanceCheck(name, type, ConformanceCheck.Result.SKIP, detail));
  }

  List<ConformanceCheck> checks() {
    return checks;
  }

  private void add(ConformanceCheck check) {
    checks.add(check);
    listener.accept(check);
  }
}
