package com.meterit.sync.api;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BatchDigestTest {

  /** The digest as first written, a String per reading: batch ids journaled by it must hold. */
  private static String reference(List<Reading> readings) throws Exception {
    MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
    StringBuilder line = new StringBuilder(128);
    for (Reading r : readings) {
      line.setLength(0);
      line.append(r.id()).append('\u001f')
          .append(r.meterId()).append('\u001f')
          .append(r.timestamp()).append('\u001f')
          .append(r.value().toPlainString()).append('\u001f')
          .append(r.unit()).append('\u001f')
          .append(r.quality().orElse("")).append('\u001e');
      sha256.update(line.toString().getBytes(StandardCharsets.UTF_8));
    }
    byte[] hash = sha256.digest();
    char[] hex = new char[32];
    for (int i = 0; i < 16; i++) {
      hex[2 * i] = Character.forDigit((hash[i] >> 4) & 0xf, 16);
      hex[2 * i + 1] = Character.forDigit(hash[i] & 0xf, 16);
    }
    return new String(hex);
  }

  @Test
  void batchIdsAreThoseOfTheFirstEncoding() throws Exception {
    Random random = new Random(42);
    String[] texts = {"meter-0001", "zähler-ü", "\ud83d\udd0c-plug", "bad-\ud800-surrogate",
        "x".repeat(128), "kWh", "m³", "q"};
    for (int batch = 0; batch < 100; batch++) {
      List<Reading> readings = new ArrayList<>();
      int size = 1 + random.nextInt(600);
      for (int i = 0; i < size; i++) {
        long id = random.nextInt(10) == 0 ? Long.MAX_VALUE - random.nextInt(1000)
            : 1 + random.nextInt(Integer.MAX_VALUE);
        Instant at = Instant.ofEpochSecond(
            -62167219200L - 100 + (long) (random.nextDouble() * 253402300999L * 1.01),
            random.nextInt(4) == 0 ? 0 : random.nextInt(3) == 0 ? random.nextInt(1000) * 1_000_000
                : random.nextInt(1_000_000_000));
        BigDecimal value = random.nextInt(20) == 0
            ? new BigDecimal("1e" + random.nextInt(Reading.MAX_VALUE_DIGITS)).negate()
            : BigDecimal.valueOf(random.nextLong() % 100_000_000_000L, random.nextInt(8));
        String quality = random.nextBoolean() ? null : texts[random.nextInt(texts.length)]
            .substring(0, 1);
        readings.add(new Reading(id, texts[random.nextInt(texts.length)], at, value,
            texts[5 + random.nextInt(2)], quality));
      }
      assertEquals(reference(readings), UploadBatch.of(readings).batchId(), "batch " + batch);
    }
  }
}
