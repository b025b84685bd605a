package com.meterit.sync.jdbc;

import java.util.Objects;
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

  /** The default table: {@value}. */
  public static final String DEFAULT_TABLE = "meter_readings";

  final String table;
  final String id;
  final String meterId;
  final String readAt;
  final String value;
  final String unit;
  final String quality;
  final String historyTable;

  private ReadingsTable(Builder b) {
    this.table = b.table;
    this.id = b.id;
    this.meterId = b.meterId;
    this.readAt = b.readAt;
    this.value = b.value;
    this.unit = b.unit;
    this.quality = b.quality;
    this.historyTable = b.historyTable;
  }

  /** meter-sync's own table, {@code meter_readings}, and history table {@code meter_sync_runs}. */
  public static ReadingsTable defaults() {
    return builder().build();
  }

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
        + ", historyTable=" + historyTable + '}';
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

    Builder() {}

    public Builder setTable(String table) {
      this.table = checkIdentifier(table, "table");
      return this;
    }

    /** The generated id column: a BIGINT (or INTEGER PRIMARY KEY on SQLite) never reused. */
    public Builder setIdColumn(String id) {
      this.id = checkIdentifier(id, "idColumn");
      return this;
    }

    public Builder setMeterIdColumn(String meterId) {
      this.meterId = checkIdentifier(meterId, "meterIdColumn");
      return this;
    }

    public Builder setReadAtColumn(String readAt) {
      this.readAt = checkIdentifier(readAt, "readAtColumn");
      return this;
    }

    public Builder setValueColumn(String value) {
      this.value = checkIdentifier(value, "valueColumn");
      return this;
    }

    public Builder setUnitColumn(String unit) {
      this.unit = checkIdentifier(unit, "unitColumn");
      return this;
    }

    public Builder setQualityColumn(String quality) {
      this.quality = checkIdentifier(quality, "qualityColumn");
      return this;
    }

    /** The table of sync run history. Default {@code meter_sync_runs}. */
    public Builder setHistoryTable(String historyTable) {
      this.historyTable = checkIdentifier(historyTable, "historyTable");
      return this;
    }

    public ReadingsTable build() {
      return new ReadingsTable(this);
    }
  }
}
