package com.meterit.sync.jdbc;

import java.time.temporal.ChronoUnit;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Where the readings live: the table and the columns that writers fill. The defaults are
 * meter-sync's own {@code meter_readings} table; a host maps the library onto a table of its own
 * by naming its columns. The library adds its bookkeeping columns (all named {@code sync_*}) and
 * its indexes beside them.
 *
 * <p>Every name must be a plain SQL identifier (letters, digits and underscores, not starting
 * with a digit, at most 63 characters), so configuration can never inject SQL. Names are matched
 * as the database matches unquoted names. Immutable and thread-safe.
 */
public final class ReadingsTable {
  private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  private static final Set<ChronoUnit> EPOCH_UNITS =
      EnumSet.of(ChronoUnit.SECONDS, ChronoUnit.MILLIS, ChronoUnit.MICROS, ChronoUnit.NANOS);

  /** The default table: {@value}. */
  public static final String DEFAULT_TABLE = "meter_readings";
  /** The batch journal is named after the readings table with this suffix by default: {@value}. */
  public static final String JOURNAL_SUFFIX = "_batches";

  final String table;
  final String id;
  final String meterId;
  final String readAt;
  final String value;
  final String unit;
  final String quality;
  final String historyTable;
  final String journalTable;
  /** The unit of a reading time written as a bare number, or null when none is declared. */
  final ChronoUnit numericTimestampUnit;

  private ReadingsTable(Builder b) {
    this.table = b.table;
    this.id = b.id;
    this.meterId = b.meterId;
    this.readAt = b.readAt;
    this.value = b.value;
    this.unit = b.unit;
    this.quality = b.quality;
    this.historyTable = b.historyTable;
    this.numericTimestampUnit = b.numericTimestampUnit;
    this.journalTable = b.journalTable != null ? b.journalTable
        : checkIdentifier(b.table + JOURNAL_SUFFIX, "journalTable");
  }

  /**
   * meter-sync's own table, {@code meter_readings}, its batch journal {@code
   * meter_readings_batches}, and history table {@code meter_sync_runs}.
   */
  public static ReadingsTable defaults() {
    return builder().build();
  }

  /** Starts from the default names. */
  public static Builder builder() {
    return new Builder();
  }

  static String checkIdentifier(String name, String setting) {
    Objects.requireNonNull(name, setting);
    if (!IDENTIFIER.matcher(name).matches()) {
      throw new IllegalArgumentException(setting
          + " must be a plain SQL identifier (letters, digits, underscores): '" + name + "'");
    }
    return name;
  }

  @Override
  public String toString() {
    return "ReadingsTable{table=" + table + ", id=" + id + ", meterId=" + meterId + ", readAt="
        + readAt + ", value=" + value + ", unit=" + unit + ", quality=" + quality
        + ", historyTable=" + historyTable + ", journalTable=" + journalTable
        + (numericTimestampUnit == null ? "" : ", numericTimestampUnit=" + numericTimestampUnit.name())
        + '}';
  }

  /** Builds a {@link ReadingsTable}. Each setter refuses a name that is not a plain identifier. */
  public static final class Builder {
    private String table = DEFAULT_TABLE;
    private String id = "id";
    private String meterId = "meter_id";
    private String readAt = "read_at";
    private String value = "value";
    private String unit = "unit";
    private String quality = "quality";
    private String historyTable = "meter_sync_runs";
    private String journalTable;
    private ChronoUnit numericTimestampUnit;

    Builder() {}

    /** The readings table's name. */
    public Builder setTable(String table) {
      this.table = checkIdentifier(table, "table");
      return this;
    }

    /** The generated id column: a BIGINT (or INTEGER PRIMARY KEY on SQLite) never reused. */
    public Builder setIdColumn(String id) {
      this.id = checkIdentifier(id, "idColumn");
      return this;
    }

    /** The meter id column. */
    public Builder setMeterIdColumn(String meterId) {
      this.meterId = checkIdentifier(meterId, "meterIdColumn");
      return this;
    }

    /** The reading time column. */
    public Builder setReadAtColumn(String readAt) {
      this.readAt = checkIdentifier(readAt, "readAtColumn");
      return this;
    }

    /** The value column. */
    public Builder setValueColumn(String value) {
      this.value = checkIdentifier(value, "valueColumn");
      return this;
    }

    /** The unit column. */
    public Builder setUnitColumn(String unit) {
      this.unit = checkIdentifier(unit, "unitColumn");
      return this;
    }

    /** The quality column. */
    public Builder setQualityColumn(String quality) {
      this.quality = checkIdentifier(quality, "qualityColumn");
      return this;
    }

    /** The table of sync run history. Default {@code meter_sync_runs}. */
    public Builder setHistoryTable(String historyTable) {
      this.historyTable = checkIdentifier(historyTable, "historyTable");
      return this;
    }

    /**
     * The batch journal: one row per batch that was formed and not yet settled (see {@link
     * JdbcReadingSource}). Default: the readings table's name followed by {@value
     * #JOURNAL_SUFFIX}.
     */
    public Builder setJournalTable(String journalTable) {
      this.journalTable = checkIdentifier(journalTable, "journalTable");
      return this;
    }

    /**
     * The unit of a reading time that the read-at column holds as a bare whole number, counted
     * from 1970-01-01T00:00:00Z: {@code SECONDS}, {@code MILLIS}, {@code MICROS} or {@code
     * NANOS}. Not set by default, and then such a reading is quarantined, with a reason naming
     * the column: {@code 1767225600} is 2026 in seconds and January 1970 in milliseconds, and
     * nothing in the number says which. Times written as ISO-8601 or SQL timestamps, and columns
     * of a timestamp type, are read as before whatever this says.
     *
     * @throws IllegalArgumentException when {@code unit} is not one of those four
     */
    public Builder setNumericTimestampUnit(ChronoUnit unit) {
      Objects.requireNonNull(unit, "numericTimestampUnit");
      if (!EPOCH_UNITS.contains(unit)) {
        throw new IllegalArgumentException(
            "numericTimestampUnit must be SECONDS, MILLIS, MICROS or NANOS: " + unit.name());
      }
      this.numericTimestampUnit = unit;
      return this;
    }

    /**
     * @throws IllegalArgumentException when the default journal table name, the table's name and
     *     {@value #JOURNAL_SUFFIX}, is longer than an identifier may be; set it then
     */
    public ReadingsTable build() {
      return new ReadingsTable(this);
    }
  }
}
