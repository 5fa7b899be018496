package io.compensa.host.cli;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.compensa.host.plan.InvalidPlanException;
import io.compensa.proto.v1.ActionOutcome;
import io.compensa.proto.v1.Plan;
import io.compensa.reliability.FuzzFiles;
import io.compensa.reliability.Refusals;
import java.nio.file.Path;
import java.util.List;

/**
 * The apply result {@code compensa report PLAN --outcomes FILE} and {@code compensa graph} read
 * (what {@code compensa apply --json} printed), from a real file: its outcomes, or {@link
 * InvalidPlanException} naming the file.
 */
class ApplyResultsFuzzTest {
  private static final Plan PLAN = Plan.newBuilder().setId("plan-fuzz").build();

  @FuzzTest
  void applyResults(byte[] input) throws Exception {
    Path file = FuzzFiles.write("outcomes.json", input);
    List<ActionOutcome> outcomes;
    try {
      outcomes = ApplyResults.outcomes(file, PLAN);
    } catch (InvalidPlanException e) {
      Refusals.namePlace(e, file.toString());
      return;
    }
    for (ActionOutcome outcome : outcomes) {
      if (outcome == null) {
        throw new AssertionError("a null outcome in " + outcomes);
      }
    }
  }
}
