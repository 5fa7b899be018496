package io.compensa.proto.v1;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.util.JsonFormat;
import org.junit.jupiter.api.Test;

/** Guards the parts of the contract whose numbers other systems depend on. */
class ContractTest {

  @Test
  void actionStatusKeepsTheWorkflowEngineNumbering() {
    assertThat(ActionStatus.ACTION_STATUS_UNSPECIFIED.getNumber()).isZero();
    assertThat(ActionStatus.ACTION_STATUS_SUCCESS.getNumber()).isEqualTo(1);
    assertThat(ActionStatus.ACTION_STATUS_ERROR.getNumber()).isEqualTo(2);
    assertThat(ActionStatus.ACTION_STATUS_DELETE_FAILED.getNumber()).isEqualTo(3);
    assertThat(ActionStatus.ACTION_STATUS_COMPENSATED.getNumber()).isEqualTo(4);
    assertThat(ActionStatus.ACTION_STATUS_COMPENSATION_FAILED.getNumber()).isEqualTo(5);
    assertThat(ActionStatus.ACTION_STATUS_SKIPPED.getNumber()).isEqualTo(6);
    assertThat(ActionStatus.values()).hasSize(8); // seven statuses plus protobuf's UNRECOGNIZED
  }

  @Test
  void goPluginServicesKeepTheirWireNames() {
    assertThat(io.compensa.proto.goplugin.GRPCControllerGrpc.SERVICE_NAME)
        .isEqualTo("plugin.GRPCController");
    assertThat(io.compensa.proto.goplugin.GRPCStdioGrpc.SERVICE_NAME).isEqualTo("plugin.GRPCStdio");
  }

  @Test
  void aPlanRoundTripsThroughProtoJson() throws Exception {
    Plan plan =
        Plan.newBuilder()
            .setId("p1")
            .addActions(
                PlanAction.newBuilder()
                    .setId("a1")
                    .setKind(ActionKind.ACTION_KIND_CREATE)
                    .setResource(ResourceSpec.newBuilder().setName("f").setType("localfs_file")))
            .build();
    String json = JsonFormat.printer().print(plan);
    Plan.Builder back = Plan.newBuilder();
    JsonFormat.parser().merge(json, back);
    assertThat(back.build()).isEqualTo(plan);
    assertThat(json).contains("\"ACTION_KIND_CREATE\"");
  }
}
