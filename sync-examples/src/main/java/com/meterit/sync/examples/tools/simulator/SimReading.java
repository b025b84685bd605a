package com.meterit.sync.examples.tools.simulator;

import com.fasterxml.jackson.databind.JsonNode;
import java.math.BigDecimal;

/** One uploaded reading as the simulated server reads it, from JSON or from compact columns. */
final class SimReading {
  final long id;
  final String meterId;
  final String timestamp;
  /** The exact value, or null when the JSON's value was not a number. */
  final BigDecimal value;
  final String unit;
  final String quality;

  SimReading(long id, String meterId, String timestamp, BigDecimal value, String unit,
      String quality) {
    this.id = id;
    this.meterId = meterId;
    this.timestamp = timestamp;
    this.value = value;
    this.unit = unit;
    this.quality = quality;
  }

  static SimReading fromJson(JsonNode r) {
    JsonNode value = r.get("value");
    JsonNode quality = r.get("quality");
    return new SimReading(r.path("id").asLong(), r.path("meterId").asText(""),
        r.path("timestamp").asText(""),
        value != null && value.isNumber() ? value.decimalValue() : null,
        r.path("unit").asText(""),
        quality == null || quality.isNull() ? null : quality.asText());
  }

  /** The reading's fields as one text, equal for equal readings whatever their encoding. */
  String content() {
    return id + "\u001f" + meterId + "\u001f" + timestamp + "\u001f"
        + (value == null ? "" : value.toPlainString()) + "\u001f" + unit + "\u001f"
        + (quality == null ? "" : quality) + "\u001e";
  }
}
