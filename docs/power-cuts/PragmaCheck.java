import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;

/**
 * Prints, as one JSON object, the journal mode, synchronous level and busy timeout that a
 * connection of the SQLite URL given has in force: {@code java -cp meter-sync-agent.jar
 * PragmaCheck.java 'jdbc:sqlite:/tmp/x.db?journal_mode=WAL&synchronous=FULL'}.
 */
public class PragmaCheck {
  public static void main(String[] args) throws Exception {
    try (Connection c = DriverManager.getConnection(args[0]); Statement s = c.createStatement()) {
      StringBuilder json = new StringBuilder("{");
      for (String pragma : new String[] {"journal_mode", "synchronous", "busy_timeout"}) {
        try (ResultSet rs = s.executeQuery("PRAGMA " + pragma)) {
          rs.next();
          json.append(json.length() > 1 ? ", " : "").append('"').append(pragma).append("\": \"")
              .append(rs.getString(1)).append('"');
        }
      }
      System.out.println(json.append('}'));
    }
  }
}
