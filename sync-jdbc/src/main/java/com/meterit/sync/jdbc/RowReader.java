package com.meterit.sync.jdbc;

import com.meterit.sync.api.ConfigurationException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.internal.PlainDecimal;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.temporal.ChronoField;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Locale;
import java.util.function.LongPredicate;

/**
 * Reads rows of the readings table as {@link Reading}s, so that no row can poison the queue.
 *
 * <p>The database bounds what is read: each text column is selected as a prefix one character
 * longer than its limit, with its full length beside it ({@code SUBSTR(c, 1, 129), LENGTH(c)}),
 * so a 1 MB meter id costs 129 characters of memory, and is refused by its length. Each column is
 * converted on its own; whatever the conversion throws (a NaN, an unparsable timestamp, a driver's
 * conversion error) quarantines that row alone, with a reason naming the column and a short,
 * escaped excerpt of the value. Only a lost connection (SQLState class 08) fails the claim.
 *
 * <p>The result set layout, used by every claim query: 1 id, then for meter id, read-at, value,
 * unit and quality a (prefix, length) pair; a timestamp column is read as a timestamp with a
 * constant length. Thread-safe once {@link #columns} has run.
 */
final class RowReader {
  /** The longest text accepted for a timestamp kept as text, and for a value: {@value}. */
  static final int MAX_TEXT_TIMESTAMP_LENGTH = 64;
  static final int MAX_VALUE_LENGTH = 64;
  /** The excerpt of a bad value in a reason: {@value} characters. */
  private static final int EXCERPT = 40;
  private static final Instant EARLIEST = Instant.parse("0001-01-01T00:00:00Z");
  private static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");
  private static final DateTimeFormatter SQL_TIMESTAMP = new DateTimeFormatterBuilder()
      .append(DateTimeFormatter.ISO_LOCAL_DATE)
      .appendLiteral(' ')
      .append(DateTimeFormatter.ISO_LOCAL_TIME)
      .optionalStart().appendOffset("+HH:MM", "Z").optionalEnd()
      .optionalStart().appendOffset("+HH", "Z").optionalEnd()
      .toFormatter(Locale.ROOT);

  private final Dialect dialect;
  private final ReadingsTable names;
  private final String table;
  /** Stands for the table alias in {@link #columns}; names are plain identifiers, never NUL. */
  private static final String ALIAS = "\u0000";

  /** Built at first use from the table's column types; null until then. */
  private volatile String columns;
  private volatile boolean timestampColumn;

  RowReader(Dialect dialect, ReadingsTable names) {
    this.dialect = dialect;
    this.names = names;
    this.table = dialect.quote(names.table);
  }

  /**
   * The bounded select list, columns prefixed with {@code prefix} (a table alias and a dot, or
   * empty). Looks at the column types once, on {@code c}.
   */
  String columns(Connection c, String prefix) throws SQLException {
    if (columns == null) {
      introspect(c);
    }
    return columns.replace(ALIAS, prefix);
  }

  private void introspect(Connection c) throws SQLException {
    String q = ALIAS;
    int[] types = new int[6];
    String[] typeNames = new String[6];
    long[] sizes = new long[6];
    try (Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT " + q(names.id) + ", " + q(names.meterId) + ", "
            + q(names.readAt) + ", " + q(names.value) + ", " + q(names.unit) + ", "
            + q(names.quality) + " FROM " + table + " WHERE 1 = 0")) {
      ResultSetMetaData meta = rs.getMetaData();
      for (int i = 0; i < types.length; i++) {
        types[i] = meta.getColumnType(i + 1);
        typeNames[i] = meta.getColumnTypeName(i + 1);
        sizes[i] = meta.getPrecision(i + 1);
      }
    }
    boolean timestamps = dialect.isTimestampType(types[2]);
    String[] columnNames = {names.id, names.meterId, names.readAt, names.value, names.unit,
        names.quality};
    int[] limits = {0, Reading.MAX_METER_ID_LENGTH, MAX_TEXT_TIMESTAMP_LENGTH, MAX_VALUE_LENGTH,
        Reading.MAX_UNIT_LENGTH, Reading.MAX_QUALITY_LENGTH};
    for (int i = 1; i < types.length; i++) {
      if (Dialect.isTextType(types[i]) && sizes[i] > dialect.maxDeclaredTextLength()) {
        throw unbounded(columnNames[i], typeNames[i], sizes[i], limits[i]);
      }
    }
    String list = q + q(names.id)
        + ", " + bounded(q + q(names.meterId), types[1], Reading.MAX_METER_ID_LENGTH)
        + ", " + (timestamps ? q + q(names.readAt) + ", 0"
            : bounded(q + q(names.readAt), types[2], MAX_TEXT_TIMESTAMP_LENGTH))
        + ", " + bounded(q + q(names.value), types[3], MAX_VALUE_LENGTH)
        + ", " + bounded(q + q(names.unit), types[4], Reading.MAX_UNIT_LENGTH)
        + ", " + bounded(q + q(names.quality), types[5], Reading.MAX_QUALITY_LENGTH);
    timestampColumn = timestamps;
    columns = list;
  }

  private String q(String name) {
    return dialect.quote(name);
  }

  private ConfigurationException unbounded(String column, String type, long size, int limit) {
    return new ConfigurationException(names.table + "." + column, "column " + column
        + " of table " + names.table + " is " + type + " of up to " + size + " characters; on "
        + dialect + " each mapped text column must be declared with at most "
        + dialect.maxDeclaredTextLength() + " (for example ALTER TABLE " + names.table
        + " ALTER COLUMN " + column + " SET DATA TYPE VARCHAR(" + limit + ")): H2 rewrites a "
        + "whole row to quarantine it, and unbounded values exhaust the heap");
  }

  /**
   * Refuses, before anything is written, a table whose text columns are declared larger than the
   * database can rewrite safely; does nothing where the database has no such limit, or before
   * the table exists.
   */
  void refuseUnboundedColumns(Connection c) throws SQLException {
    if (dialect.maxDeclaredTextLength() == Long.MAX_VALUE || columns != null) {
      return;
    }
    try (ResultSet tables = c.getMetaData().getTables(null, null,
        dialect.quote(names.table).replace("\"", ""), null)) {
      if (!tables.next()) {
        return;
      }
    }
    introspect(c);
  }

  /** A prefix one longer than the limit, so that an oversized value is seen, and the length. */
  String bounded(String column, int sqlType, int limit) {
    String text = dialect.textCast() == null || Dialect.isTextType(sqlType)
        ? column : "CAST(" + column + " AS " + dialect.textCast() + ")";
    return "SUBSTR(" + text + ", 1, " + (limit + 1) + "), LENGTH(" + text + ")";
  }

  /**
   * Reads the rows that {@code take} accepts (by id, before anything else is converted): valid
   * ones into {@code readings}, the others into {@code poisoned} with the reason.
   *
   * @return the number of rows taken
   */
  int read(ResultSet rs, LongPredicate take, List<Reading> readings, List<Rejection> poisoned)
      throws SQLException {
    int taken = 0;
    while (rs.next()) {
      long id = rs.getLong(1);
      if (!take.test(id)) {
        continue;
      }
      taken++;
      try {
        readings.add(reading(rs, id));
      } catch (BadRowException e) {
        poisoned.add(new Rejection(id, "invalid reading in the Sync Database: " + e.getMessage()));
      }
    }
    return taken;
  }

  private Reading reading(ResultSet rs, long id) throws SQLException, BadRowException {
    String meterId = text(rs, 2, Reading.MAX_METER_ID_LENGTH, names.meterId);
    Instant timestamp = timestamp(rs);
    BigDecimal value = decimal(text(rs, 6, MAX_VALUE_LENGTH, names.value));
    String unit = text(rs, 8, Reading.MAX_UNIT_LENGTH, names.unit);
    String quality = text(rs, 10, Reading.MAX_QUALITY_LENGTH, names.quality);
    try {
      return new Reading(id, meterId, timestamp, value, unit, quality);
    } catch (IllegalArgumentException e) {
      throw new BadRowException(e.getMessage());
    } catch (NullPointerException e) {
      throw new BadRowException(e.getMessage() + " is missing");
    }
  }

  private String text(ResultSet rs, int column, int limit, String name)
      throws SQLException, BadRowException {
    String text;
    long length;
    try {
      text = rs.getString(column);
      length = rs.getLong(column + 1);
    } catch (RuntimeException | SQLException e) {
      throw unreadable(e, name);
    }
    if (text != null && (length > limit || text.length() > limit)) {
      throw new BadRowException(name + " is " + Math.max(length, text.length())
          + " characters long, more than " + limit + ": '" + excerpt(text) + "'");
    }
    return text;
  }

  private Instant timestamp(ResultSet rs) throws SQLException, BadRowException {
    Instant at;
    String text = null;
    try {
      if (timestampColumn) {
        OffsetDateTime time = rs.getObject(4, OffsetDateTime.class);
        at = time == null ? null : time.toInstant();
      } else {
        text = text(rs, 4, MAX_TEXT_TIMESTAMP_LENGTH, names.readAt);
        at = text == null ? null : timestamp(text);
      }
    } catch (BadRowException e) {
      throw e;
    } catch (RuntimeException | SQLException e) {
      if (text != null) {
        throw new BadRowException(names.readAt + " is not a date-time: '" + excerpt(text) + "'");
      }
      throw unreadable(e, names.readAt);
    }
    if (at != null && (at.isBefore(EARLIEST) || at.isAfter(LATEST))) {
      throw new BadRowException(names.readAt + " is out of range: " + at);
    }
    return at;
  }

  private BigDecimal decimal(String text) throws BadRowException {
    if (text == null) {
      return null;
    }
    BigDecimal value;
    try {
      value = new BigDecimal(text.trim());
    } catch (NumberFormatException e) {
      throw new BadRowException(names.value + " is not a decimal number: '" + excerpt(text) + "'");
    }
    // A short text can stand for a value no one can write out ('1E+2147483647'): refused here,
    // by the bounds every Reading keeps, so that the reason names the column.
    String problem = PlainDecimal.problem(value);
    if (problem != null) {
      throw new BadRowException(names.value + " " + problem + ": '" + excerpt(text) + "'");
    }
    return value;
  }

  /** A connection failure fails the claim; any other failure to convert is the row's. */
  private static BadRowException unreadable(Exception e, String column) throws SQLException {
    if (e instanceof SQLException) {
      String state = ((SQLException) e).getSQLState();
      if (state != null && state.startsWith("08")) {
        throw (SQLException) e;
      }
    }
    return new BadRowException(column + " cannot be read: " + excerpt(String.valueOf(e.getMessage())));
  }

  /**
   * A text reading time: a bare number in the unit the table declares, else as {@link
   * #parseTimestamp}.
   */
  private Instant timestamp(String text) throws BadRowException {
    String t = text.trim();
    if (t.isEmpty() || !t.chars().allMatch(c -> c >= '0' && c <= '9')) {
      return parseTimestamp(t);
    }
    ChronoUnit unit = names.numericTimestampUnit;
    if (unit == null) {
      // 1767225600 is 2026 in seconds and 1970 in milliseconds: guessing sends a wrong time.
      throw new BadRowException(names.readAt + " is a number of no declared unit: '"
          + excerpt(text) + "' (seconds or milliseconds? see "
          + "ReadingsTable.Builder.setNumericTimestampUnit)");
    }
    long count = Long.parseLong(t);
    switch (unit) {
      case SECONDS:
        return Instant.ofEpochSecond(count);
      case MILLIS:
        return Instant.ofEpochMilli(count);
      case MICROS:
        return Instant.ofEpochSecond(Math.floorDiv(count, 1_000_000L),
            Math.floorMod(count, 1_000_000L) * 1_000L);
      default:
        return Instant.ofEpochSecond(0, count);
    }
  }

  /**
   * A reading time as listed for an operator, read as a claim would read it, or null when it does
   * not read as one (a quarantined row may be there for that very reason).
   */
  Instant listedTimestamp(String text) {
    if (text == null) {
      return null;
    }
    try {
      return timestamp(text);
    } catch (BadRowException | RuntimeException e) {
      return null;
    }
  }

  /** ISO-8601 instants, or SQL timestamps with or without an offset (then UTC). */
  static Instant parseTimestamp(String text) {
    String t = text.trim();
    if (t.indexOf('T') > 0) {
      return t.endsWith("Z") || t.matches(".*[+-]\\d\\d:?\\d\\d$")
          ? OffsetDateTime.parse(t).toInstant()
          : LocalDateTime.parse(t).toInstant(ZoneOffset.UTC);
    }
    var parsed = SQL_TIMESTAMP.parse(t);
    LocalDateTime local = LocalDateTime.from(parsed);
    int offset = parsed.isSupported(ChronoField.OFFSET_SECONDS)
        ? parsed.get(ChronoField.OFFSET_SECONDS) : 0;
    return local.toInstant(ZoneOffset.ofTotalSeconds(offset));
  }

  /**
   * A short excerpt of a value for a reason or a log: at most {@value #EXCERPT} characters, with
   * control characters escaped, so a hostile value cannot forge log lines, and invisible format
   * characters (bidi overrides, zero-width ones) and lone surrogates too, so that it cannot
   * reorder or hide what the rest of the line says.
   */
  static String excerpt(String text) {
    StringBuilder out = new StringBuilder(EXCERPT + 8);
    int n = Math.min(text.length(), EXCERPT);
    for (int i = 0; i < n; i++) {
      char ch = text.charAt(i);
      boolean loneSurrogate = Character.isHighSurrogate(ch)
          ? i + 1 >= n || !Character.isLowSurrogate(text.charAt(i + 1))
          : Character.isLowSurrogate(ch) && (i == 0 || !Character.isHighSurrogate(text.charAt(i - 1)));
      if (Character.isISOControl(ch) || ch == '\u2028' || ch == '\u2029'
          || Character.getType(ch) == Character.FORMAT || loneSurrogate) {
        out.append(String.format(Locale.ROOT, "\\u%04x", (int) ch));
      } else {
        out.append(ch);
      }
    }
    return text.length() > EXCERPT ? out.append("...").toString() : out.toString();
  }

  /** Raised by a row that is not a valid reading; its message is the reason. */
  static final class BadRowException extends Exception {
    private static final long serialVersionUID = 1L;

    BadRowException(String reason) {
      super(reason, null, false, false);
    }
  }
}
