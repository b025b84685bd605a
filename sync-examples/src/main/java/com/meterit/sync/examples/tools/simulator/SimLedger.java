package com.meterit.sync.examples.tools.simulator;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the simulated Client System recorded: each batch and its answer, by {@code
 * Idempotency-Key}, each accepted reading's exact value (counted once however often it came) and
 * each rejected one's reason. Not thread-safe: {@link SimulatedClientSystem} guards it.
 */
final class SimLedger {
  private static final class Stored {
    final String content;
    final byte[] answer;

    Stored(String content, byte[] answer) {
      this.content = content;
      this.answer = answer;
    }
  }

  private final Map<String, Stored> batches = new HashMap<>();
  private final Map<Long, BigDecimal> accepted = new LinkedHashMap<>();
  private final Map<Long, Set<String>> acceptedIn = new HashMap<>();
  private final Map<Long, String> rejected = new LinkedHashMap<>();
  private int conflicts;

  /**
   * Records a batch, or finds it recorded under its key.
   *
   * @return the answer to send: the first one again for a replay with the same content; null for
   *     a replay with different content, a conflict
   */
  byte[] record(String batchId, List<SimReading> readings) {
    // Compared as readings, not as bytes: a batch may come again in the other encoding.
    StringBuilder text = new StringBuilder();
    readings.forEach(r -> text.append(r.content()));
    String content = text.toString();
    Stored earlier = batches.get(batchId);
    if (earlier != null) {
      if (earlier.content.equals(content)) {
        return earlier.answer;
      }
      conflicts++;
      return null;
    }
    byte[] answer = accept(batchId, readings);
    batches.put(batchId, new Stored(content, answer));
    return answer;
  }

  private byte[] accept(String batchId, List<SimReading> readings) {
    StringBuilder rejections = new StringBuilder();
    int acceptedHere = 0;
    for (SimReading r : readings) {
      long id = r.id;
      String reason = invalid(r);
      if (reason != null) {
        rejected.put(id, reason);
        if (rejections.length() > 0) {
          rejections.append(',');
        }
        rejections.append("{\"id\":").append(id).append(",\"reason\":\"").append(reason)
            .append("\"}");
        continue;
      }
      acceptedHere++;
      // Deduplicated by reading id too: a reading sent again in another batch counts once.
      accepted.putIfAbsent(id, r.value);
      acceptedIn.computeIfAbsent(id, k -> new HashSet<>()).add(batchId);
    }
    return ("{\"batchId\":\"" + batchId + "\",\"accepted\":" + acceptedHere + ",\"rejected\":["
        + rejections + "]}").getBytes(StandardCharsets.UTF_8);
  }

  private static String invalid(SimReading r) {
    if (r.value == null) {
      return "value is not a number";
    }
    if (r.value.signum() < 0) {
      return "value must not be negative";
    }
    if (!SimulatedClientSystem.UNITS.contains(r.unit)) {
      return "unknown unit '" + r.unit + "'";
    }
    if (r.meterId.isBlank()) {
      return "meterId is missing";
    }
    return null;
  }

  /** Whether a batch was recorded under this key. */
  boolean has(String batchId) {
    return batches.containsKey(batchId);
  }

  Map<Long, BigDecimal> accepted() {
    return new LinkedHashMap<>(accepted);
  }

  int acceptedCount() {
    return accepted.size();
  }

  Map<Long, String> rejected() {
    return new LinkedHashMap<>(rejected);
  }

  Set<Long> acceptedUnderSeveralBatches() {
    Set<Long> ids = new HashSet<>();
    acceptedIn.forEach((id, batchIds) -> {
      if (batchIds.size() > 1) {
        ids.add(id);
      }
    });
    return ids;
  }

  int conflicts() {
    return conflicts;
  }
}
