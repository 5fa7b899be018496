package io.compensa.host.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.compensa.proto.v1.ActionKind;
import io.compensa.proto.v1.Plan;
import io.compensa.proto.v1.PlanAction;
import io.compensa.proto.v1.ResourceSpec;
import io.compensa.proto.v1.ResourceState;
import org.junit.jupiter.api.Test;

/** How a plan reads: attribute values as JSON people can read, long ones cut. */
class PlanTextTest {
  private static Struct content(String text) {
    return Struct.newBuilder()
        .putFields("content", Value.newBuilder().setStringValue(text).build())
        .build();
  }

  @Test
  void valuesShowMarkupAsItIsAndLongValuesAreCut() {
    Plan plan =
        Plan.newBuilder()
            .setId("p")
            .addActions(
                PlanAction.newBuilder()
                    .setId("p/index")
                    .setKind(ActionKind.ACTION_KIND_UPDATE)
                    .setResource(
                        ResourceSpec.newBuilder()
                            .setName("index")
                            .setType("localfs_file")
                            .setConfig(content("x".repeat(100))))
                    .setCurrent(
                        ResourceState.newBuilder()
                            .setName("index")
                            .setType("localfs_file")
                            .setConfig(content("<h1>a & b</h1>"))))
            .build();

    String text = PlanText.render(plan);

    assertThat(text)
        .contains(
            "~ content: \"<h1>a & b</h1>\" -> \"" + "x".repeat(PlanText.MAX_VALUE - 4) + "...")
        .doesNotContain("\\u003c")
        .contains("Plan: 0 to create, 1 to update, 0 to replace, 0 to delete.");
  }
}
