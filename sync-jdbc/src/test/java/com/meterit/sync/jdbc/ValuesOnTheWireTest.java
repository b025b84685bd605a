package com.meterit.sync.jdbc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.meterit.sync.api.Claim;
import com.meterit.sync.api.SyncOutcome;
import com.meterit.sync.api.SyncRun;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.http.HttpClientSystemGateway;
import com.meterit.sync.core.testing.ManualClock;
import com.meterit.sync.core.testing.ManualScheduler;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 22, items 2 and 3: what a collector writes as a value reaches the Client System as
 * exactly one text, the one the batch id was digested from, on every database; a value that
 * cannot be written out is quarantined alone before anything is sent, naming the column.
 */
class ValuesOnTheWireTest {
  private static final String REASON = "invalid reading in the Sync Database: value ";

  @TempDir
  Path directory;

  private final ManualClock clock = new ManualClock(Instant.parse("2026-03-01T00:00:00Z"));

  private Database open(String database) {
    switch (database) {
      case "H2":
        return new H2Database();
      case "SQLite":
        return new SqliteDatabase(directory);
      default:
        assumeTrue(System.getenv(PostgresDatabase.URL_VARIABLE) != null,
            "set " + PostgresDatabase.URL_VARIABLE + " to run against PostgreSQL");
        return PostgresDatabase.create();
    }
  }

  /** Texts a collector may write: the edges, then random decimals in plain and exponent form. */
  private static List<String> values(boolean textColumn) {
    List<String> values = new ArrayList<>(List.of("-0.000", "0", "0.0", "-0", "1E+3", "1e3",
        "1.50E+2", "-1E+3", "1234.500", "1234.5000000", "100", "0.001", "1E-62", "-1E-61",
        "1E+37", "-1E+37", "0.00100", "12345678901234567890123456789012345678",
        "-0.12345678901234567890123456789012345678", "12345678901234567890.123456789",
        "9.99999999999999999999999999999999999E+30", " 7.25 ",
        // Beyond the bounds: too many digits, too long written out.
        "123456789012345678901234567890123456789", "1E+38", "1E+64", "-1E-63", "1E+70",
        "0.000100000000000000000000000000000000000000"));
    if (textColumn) {
      // Short as text, absurd as numbers: PostgreSQL's NUMERIC cannot even hold them.
      values.addAll(List.of("1E+2147483647", "1E+100000000", "1E+10000", "-1E-10000"));
    }
    Random random = new Random(22);
    for (int i = 0; i < 300; i++) {
      BigInteger unscaled = new BigInteger(1 + random.nextInt(128), random);
      BigDecimal value = new BigDecimal(random.nextBoolean() ? unscaled : unscaled.negate(),
          random.nextInt(60) - 10);
      values.add(random.nextBoolean() ? value.toString() : value.toPlainString());
    }
    return values;
  }

  /**
   * Decided here from the text, not by the code under test: at most 38 digits written out
   * (leading zeros aside) and 64 characters.
   */
  private static boolean sendable(String text) {
    if (text.matches(".*[eE][+-]?\\d{4,}")) {
      return false;
    }
    String plain = new BigDecimal(text.trim()).toPlainString();
    String digits = plain.replace("-", "").replace(".", "").replaceFirst("^0+(?=.)", "");
    return digits.length() <= 38 && plain.length() <= 64;
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"H2", "SQLite", "PostgreSQL"})
  void everyValueArrivesAsTheTextItsBatchIdWasDigestedFromOrIsQuarantinedAlone(String database)
      throws Exception {
    Database db = open(database);
    try (LoopbackClientSystem server = new LoopbackClientSystem()) {
      JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setTable(db.names())
          .setClock(clock).setTicker(clock::nanos).build();
      source.createSchema();
      List<String> values = values(!(db instanceof PostgresDatabase));
      Map<Long, String> written = insert(db, values);

      HttpClientSystemGateway gateway = server.gateway(clock);
      for (Claim claim = source.claim(50); !claim.isEmpty(); claim = source.claim(50)) {
        UploadResult result = gateway.uploadBatch(claim.batch());
        source.settle(claim, result.rejected());
      }

      Map<Long, String> received = server.valuesById();
      Map<Long, String> quarantined = source.listQuarantined(1000).stream()
          .collect(Collectors.toMap(QuarantinedReading::id, QuarantinedReading::reason));
      for (Map.Entry<Long, String> w : written.entrySet()) {
        String text = w.getValue();
        if (sendable(text)) {
          assertEquals(new BigDecimal(text.trim()).toPlainString(), received.get(w.getKey()),
              "the exact text on the wire for '" + text + "'");
        } else {
          assertFalse(received.containsKey(w.getKey()), "'" + text + "' was sent");
          String reason = quarantined.get(w.getKey());
          assertTrue(reason != null && reason.startsWith(REASON) && reason.contains("more than"),
              "'" + text + "': " + reason);
        }
      }
      assertEquals(written.size(), received.size() + quarantined.size());
      assertTrue(quarantined.size() >= 4, "the bounds were exercised: " + quarantined.size());
      assertTrue(received.size() >= 100, "values were sent: " + received.size());
      for (LoopbackClientSystem.Upload upload : server.uploads) {
        String digest = LoopbackClientSystem.digestOf(upload.readings);
        assertEquals(digest, upload.batchId, "the batch id is the digest of the text sent");
        assertEquals(digest, upload.idempotencyKey);
      }
      assertEquals(0, source.pendingCount());
      source.close();
    } finally {
      db.dropTables();
    }
  }

  /**
   * The engine with production defaults: a value that the wire format could not write ('1E+10000'
   * went out as an UncheckedIOException, retried for ever as transient) is quarantined when the
   * batch is formed, and the rest of the batch is sent in the same run.
   */
  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"H2", "SQLite", "PostgreSQL"})
  void aValueTheWireCannotWriteIsQuarantinedAloneAndItsBatchFlows(String database)
      throws Exception {
    Database db = open(database);
    ManualScheduler scheduler = new ManualScheduler(clock);
    try (LoopbackClientSystem server = new LoopbackClientSystem()) {
      JdbcReadingSource source = JdbcReadingSource.builder(db.dataSource).setTable(db.names())
          .setClock(clock).setTicker(clock::nanos).build();
      source.createSchema();
      insert(db, List.of("1.000", "2.000", "1E+10000", "4.000", "5.000"));

      try (SyncManager manager = SyncManager.builder().setSource(source)
          .setGateway(server.gateway(clock)).setClock(clock).setScheduler(scheduler).build()) {
        manager.start();
        SyncRun run = manager.triggerSync().join();
        assertEquals(SyncOutcome.SUCCEEDED, run.outcome(), run.toString());
      }

      assertEquals(1, server.uploads.size());
      assertEquals(Map.of(1L, "1.000", 2L, "2.000", 4L, "4.000", 5L, "5.000"),
          server.valuesById());
      List<QuarantinedReading> quarantined = source.listQuarantined(10);
      assertEquals(1, quarantined.size());
      assertEquals(3, quarantined.get(0).id());
      assertTrue(quarantined.get(0).reason().startsWith(REASON), quarantined.get(0).reason());
      assertEquals(0, source.pendingCount());
      source.close();
    } finally {
      db.dropTables();
    }
  }

  private static Map<Long, String> insert(Database db, List<String> values) throws Exception {
    Map<Long, String> written = new LinkedHashMap<>();
    try (Connection c = db.dataSource.getConnection();
        PreparedStatement insert = c.prepareStatement("INSERT INTO " + db.table
            + " (meter_id, read_at, value, unit) VALUES (?, ?, ?, 'kWh')")) {
      long id = 0;
      for (String v : values) {
        if (db instanceof H2Database && v.length() > 64) {
          continue;  // VARCHAR(64) refuses it at the INSERT: it never becomes a row
        }
        insert.setString(1, "meter-" + id % 7);
        db.bindTime(insert, 2, Instant.parse("2026-01-01T00:00:00Z").plusSeconds(900 * id));
        db.bindValue(insert, 3, db instanceof PostgresDatabase ? v.trim() : v);
        insert.executeUpdate();
        written.put(++id, v);
      }
    }
    return written;
  }
}
