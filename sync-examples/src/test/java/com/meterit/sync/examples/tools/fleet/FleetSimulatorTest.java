package com.meterit.sync.examples.tools.fleet;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The fleet simulator, at half the default fleet: 5,000 gateways through the one-hour outage, on
 * virtual time (about 4 s a case). A change that brings the reconnection herd back, or stops the
 * fleet from draining near the floor, fails here. Deterministic: one seed, one event at a time.
 * Fewer gateways would do as well but for noise: at 200, a quiet minute-to-minute spread of the
 * steady uploads alone reaches 1.5 times their mean.
 */
class FleetSimulatorTest {
  private static FleetResult before;
  private static FleetResult defaults;
  private static FleetResult paced;

  @BeforeAll
  static void simulate() {
    FleetOptions base = FleetOptions.builder().setGateways(5_000).setSeed(7).build();
    Map<String, FleetOptions.Builder> cases = FleetSimulator.cases(base);
    before = FleetRun.run(cases.get("before").build());
    defaults = FleetRun.run(cases.get("defaults").build());
    paced = FleetRun.run(cases.get("paced").build());
  }

  @Test
  void noReadingIsLostOrAcceptedTwiceInAnyCase() {
    for (FleetResult r : new FleetResult[] {before, defaults, paced}) {
      assertTrue(r.ledgerClean(), r.toString());
      assertTrue(r.drained(), r.toString());
      assertTrue(r.accepted > r.backlog, r.toString());
    }
  }

  @Test
  void withTheDefaultsThePeakStaysWithinTwiceTheSteadyRate() {
    assertTrue(defaults.peakToSteady() <= 2.0, defaults.toString());
    assertTrue(paced.peakToSteady() <= 2.0, paced.toString());
  }

  @Test
  void theDefaultsDrainWithinOneAndAHalfTimesTheFloor() {
    assertTrue(defaults.drainToFloor() <= 1.5, defaults.toString());
    assertTrue(paced.drainToFloor() <= 1.5, paced.toString());
  }

  @Test
  void spreadingTheRunAfterAReconnectionSparesTheServerRefusals() {
    String both = "before " + before + "\ndefaults " + defaults;
    assertTrue(defaults.peakToSteady() < before.peakToSteady(), both);
    assertTrue(defaults.rejected < 0.7 * before.rejected, both);
  }

  @Test
  void aPacedRetryAfterSparesTheServerMoreRefusals() {
    assertTrue(paced.rejected < 0.7 * defaults.rejected,
        "defaults " + defaults + "\npaced " + paced);
  }

  @Test
  void optionsAreValidated() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> FleetOptions.builder().setGateways(0));
    assertEquals("gateways must be between 1 and 1000000: 0", e.getMessage());
  }
}
