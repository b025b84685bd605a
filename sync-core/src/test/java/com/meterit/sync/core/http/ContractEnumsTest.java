package com.meterit.sync.core.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.meterit.sync.api.SyncState;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The contract in {@code docs/} enumerates what the engine sends; each enumeration there must
 * stay equal to the Java side, so that a server team that validates against the contract never
 * refuses a value the engine really sends (the heartbeat's {@code REFUSED} was once missing).
 * Read from the repository with a small reader: the enums of the OpenAPI file are one-line flow
 * lists.
 */
class ContractEnumsTest {
  private static final Path DOCS = Path.of("").toAbsolutePath().getParent().resolve("docs");
  private static final Pattern ENUM = Pattern.compile("\\benum:\\s*\\[([^\\]]*)\\]");
  private static final Pattern INLINE_KEY = Pattern.compile("^\\s*([A-Za-z][\\w-]*):\\s*\\{");
  private static final Pattern KEY = Pattern.compile("^\\s*([A-Za-z][\\w-]*):");
  private static final Pattern PARAMETER = Pattern.compile("^\\s*-\\s*\\{?\\s*name:\\s*([\\w-]+)");

  private static List<String> syncStates() {
    return Arrays.stream(SyncState.values()).map(Enum::name).collect(Collectors.toList());
  }

  @Test
  void everyEnumOfTheOpenApiFileEqualsWhatTheEngineSendsOrAccepts() throws IOException {
    Map<String, List<String>> enums = yamlEnums(
        Files.readAllLines(DOCS.resolve("client-system-api.yaml"), StandardCharsets.UTF_8));

    // A new enum in the contract must be added here, with the Java values it stands for.
    assertEquals(new TreeSet<>(List.of("state", "Content-Encoding", "tokenType")),
        new TreeSet<>(enums.keySet()), "the enums of the contract");
    assertEquals(syncStates(), enums.get("state"), "the heartbeat's state, in SyncState's order");
    assertEquals(List.of("gzip"), enums.get("Content-Encoding"));
    assertEquals(List.of("Bearer"), enums.get("tokenType"));
  }

  @Test
  void theProseContractListsEveryHeartbeatStateAndNamesNoOther() throws IOException {
    String prose = Files.readString(DOCS.resolve("client-system-api.md"), StandardCharsets.UTF_8);
    Matcher list = Pattern.compile("`state` is one of (.*?)\\.", Pattern.DOTALL).matcher(prose);
    assertTrue(list.find(), "the heartbeat section lists the states");
    assertEquals(syncStates(), backquotedNames(list.group(1)));

    Matcher named = Pattern.compile("state `([A-Z_]+)`").matcher(prose);
    List<String> mentioned = new ArrayList<>();
    while (named.find()) {
      mentioned.add(named.group(1));
    }
    assertFalse(mentioned.isEmpty());
    assertTrue(syncStates().containsAll(mentioned), "states named in the prose: " + mentioned);
  }

  @Test
  void theReaderFindsInlineBlockAndParameterEnums() {
    Map<String, List<String>> enums = yamlEnums(List.of(
        "      parameters:",
        "        - name: X-Mode",
        "          in: header",
        "          schema: { type: string, enum: [a, b] }",
        "        kind: { type: string, enum: [ONE] }",
        "        state:",
        "          type: string",
        "          enum: [X, Y_Z]"));
    Map<String, List<String>> expected = new LinkedHashMap<>();
    expected.put("X-Mode", List.of("a", "b"));
    expected.put("kind", List.of("ONE"));
    expected.put("state", List.of("X", "Y_Z"));
    assertEquals(expected, enums);
  }

  private static List<String> backquotedNames(String text) {
    Matcher m = Pattern.compile("`([A-Z_]+)`").matcher(text);
    List<String> names = new ArrayList<>();
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  /** Each one-line {@code enum: [..]} of the file, by the property or parameter it belongs to. */
  static Map<String, List<String>> yamlEnums(List<String> lines) {
    Map<String, List<String>> enums = new LinkedHashMap<>();
    for (int i = 0; i < lines.size(); i++) {
      Matcher m = ENUM.matcher(lines.get(i));
      if (!m.find()) {
        continue;
      }
      List<String> values = Arrays.stream(m.group(1).split(","))
          .map(String::trim).filter(v -> !v.isEmpty()).collect(Collectors.toList());
      String owner = owner(lines, i);
      assertFalse(enums.containsKey(owner), "two enums named " + owner);
      enums.put(owner, values);
    }
    return enums;
  }

  private static String owner(List<String> lines, int at) {
    Matcher inline = INLINE_KEY.matcher(lines.get(at));
    if (inline.find() && !inline.group(1).equals("schema")) {
      return inline.group(1);
    }
    int indent = indent(lines.get(at));
    for (int j = at - 1; j >= 0; j--) {
      String line = lines.get(j);
      if (line.isBlank()) {
        continue;
      }
      Matcher parameter = PARAMETER.matcher(line);
      if (parameter.find()) {
        return parameter.group(1);
      }
      Matcher key = KEY.matcher(line);
      if (indent(line) < indent && key.find()) {
        if (!key.group(1).equals("schema")) {
          return key.group(1);
        }
        indent = indent(line);
      }
    }
    throw new AssertionError("no owner for the enum on line " + (at + 1));
  }

  private static int indent(String line) {
    int n = 0;
    while (n < line.length() && line.charAt(n) == ' ') {
      n++;
    }
    return n;
  }
}
