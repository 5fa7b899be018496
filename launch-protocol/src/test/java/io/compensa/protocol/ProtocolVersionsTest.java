package io.compensa.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Set;
import org.junit.jupiter.api.Test;

class ProtocolVersionsTest {

  @Test
  void picksTheHighestVersionBothSidesSpeak() {
    assertThat(ProtocolVersions.negotiate(Set.of(1, 2, 3), "1,2")).isEqualTo(2);
    assertThat(ProtocolVersions.negotiate(Set.of(1, 2, 3), "3,1")).isEqualTo(3);
  }

  @Test
  void fallsBackToItsLowestVersionWhenNoneMatchSoTheHostReportsTheMismatch() {
    assertThat(ProtocolVersions.negotiate(Set.of(2, 3), "5,6")).isEqualTo(2);
    assertThat(ProtocolVersions.negotiate(Set.of(2, 3), null)).isEqualTo(2);
    assertThat(ProtocolVersions.negotiate(Set.of(2, 3), "")).isEqualTo(2);
  }

  @Test
  void skipsEntriesThatAreNotNumbersAndToleratesSpaces() {
    assertThat(ProtocolVersions.parse(" 1, two ,3 ,")).containsExactly(1, 3);
    assertThat(ProtocolVersions.negotiate(Set.of(1, 3), "x, 3")).isEqualTo(3);
  }
}
