package com.meterit.sync.examples.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.core.SyncConfig;
import com.meterit.sync.examples.agent.AgentVariables.Variable;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.IOException;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * {@code --help} and the release's environment-file template list every variable the agent
 * reads, with the defaults the libraries apply, and the README's configuration table agrees.
 */
class AgentVariablesTest {
  private static final Path ROOT = Path.of("").toAbsolutePath().getParent();
  private static final Path TEMPLATE = ROOT.resolve("docs/meter-sync-agent.env");

  @Test
  void everyVariableConstantOfTheLibrariesIsListed() throws IllegalAccessException {
    List<String> constants = new ArrayList<>();
    for (Class<?> type : List.of(SyncConfig.class, JdbcReadingSource.class)) {
      for (Field field : type.getFields()) {
        int modifiers = field.getModifiers();
        // A variable's constant is named as its value: SYNC_DB_URL = "SYNC_DB_URL".
        if (Modifier.isStatic(modifiers) && field.getType() == String.class
            && field.getName().equals(field.get(null))) {
          constants.add(field.getName());
        }
      }
    }
    constants.add(AgentLogging.LOG_LEVEL);

    assertTrue(constants.size() >= 20, () -> "too few constants found: " + constants);
    assertEquals(constants.stream().sorted().collect(Collectors.toList()),
        names().stream().sorted().collect(Collectors.toList()));
  }

  @Test
  void helpListsEveryVariableOfTheReadmeTableWithTheReadmesDefault() throws IOException {
    Map<String, String> readme = readmeTable();
    String help = SyncAgent.information(List.of("--help"));

    assertTrue(readme.size() >= 20, () -> "the README table was not found: " + readme);
    for (Map.Entry<String, String> row : readme.entrySet()) {
      Variable variable = AgentVariables.ALL.stream().filter(v -> v.name.equals(row.getKey()))
          .findFirst().orElseThrow(() -> new AssertionError(row.getKey() + " is not listed"));
      assertTrue(help.contains("  " + variable.name + " "), () -> variable.name + " not in help");
      assertTrue(help.contains("default: " + variable.defaultValue + "\n"),
          () -> variable.name + "'s default not in help");
      assertTrue(row.getValue().startsWith(variable.defaultValue), () -> "the README says "
          + row.getValue() + " for " + variable.name + ", the agent " + variable.defaultValue);
    }
    assertEquals(names(), new ArrayList<>(readme.keySet()), "the README lists other variables");
  }

  @Test
  void helpAndVersionAnswerAloneAndAnythingElseIsACommand() {
    assertTrue(SyncAgent.information(List.of("--help")).startsWith("meter-sync-agent "));
    assertEquals(SyncAgent.information(List.of("--help")), SyncAgent.information(List.of("-h")));
    assertTrue(SyncAgent.information(List.of("--version")).matches(
        "meter-sync-agent \\S+ \\(commit \\S+\\)\n"));
    assertNull(SyncAgent.information(List.of("status")));
    assertNull(SyncAgent.information(List.of("status", "--help")));
    assertNull(SyncAgent.information(List.of()));
  }

  @Test
  void theShippedTemplateIsTheOneRenderedFromTheList() throws IOException {
    String expected = AgentVariables.envTemplate();

    assertEquals(expected, Files.readString(TEMPLATE, StandardCharsets.UTF_8),
        () -> "docs/meter-sync-agent.env is stale; write it again with this text:\n" + expected);
  }

  @Test
  void theTemplateSetsTheRequiredVariablesAndLeavesTheOthersAtTheirDefaults() {
    String template = AgentVariables.envTemplate();

    for (Variable v : AgentVariables.ALL) {
      boolean set = Pattern.compile("(?m)^" + v.name + "=").matcher(template).find();
      boolean commented = Pattern.compile("(?m)^#" + v.name + "=").matcher(template).find();
      assertEquals(v.required(), set, v.name);
      assertEquals(!v.required(), commented, v.name);
    }
    // The unit hands the key over as a credential file; the template never asks for it.
    assertFalse(template.contains("\n" + SyncConfig.CLIENT_API_KEY + "="));
  }

  @Test
  void versionLineSaysUnknownForWhatTheBuildDidNotRecord() {
    assertEquals("meter-sync-agent 1.2.0 (commit 0123456789ab)",
        BuildInfo.of("1.2.0", "0123456789ab").line());
    assertEquals("meter-sync-agent unknown (commit unknown)", BuildInfo.of(null, " ").line());
    assertEquals("meter-sync-agent unknown (commit unknown)",
        BuildInfo.of("${project.version}", "${meter.sync.commit}").line());
  }

  private static List<String> names() {
    return AgentVariables.ALL.stream().map(v -> v.name).collect(Collectors.toList());
  }

  /** The README's configuration table: each variable named in its first cell, and its default. */
  private static Map<String, String> readmeTable() throws IOException {
    String readme = Files.readString(ROOT.resolve("README.md"), StandardCharsets.UTF_8);
    int start = readme.indexOf("## Configuration");
    String section = readme.substring(start, readme.indexOf("\n## ", start + 1));
    Map<String, String> rows = new LinkedHashMap<>();
    Matcher row = Pattern.compile("(?m)^\\| (`[A-Z_]+`(?:, `[A-Z_]+`)*) \\|.*\\| ([^|]+) \\|$")
        .matcher(section);
    while (row.find()) {
      String defaultValue = row.group(2).replace("`", "").trim();
      Matcher name = Pattern.compile("`([A-Z_]+)`").matcher(row.group(1));
      while (name.find()) {
        rows.put(name.group(1), defaultValue);
      }
    }
    return rows;
  }
}
