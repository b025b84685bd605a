package com.meterit.sync.core.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/** Redaction at its edges: tiny bounds, messages without text, long cause chains. */
class RedactionEdgesTest {
  private final Redaction redaction = new Redaction("key-Zq81-very-secret");

  @Test
  void aBoundOfThreeOrLessLeavesOnlyTheEllipsis() {
    assertEquals("...", Redaction.bounded("abcdef", 3));
    assertEquals("...", Redaction.bounded("abcdef", 2));
    assertEquals("abc", Redaction.bounded("abc", 3));
  }

  @Test
  void untrustedTextIsCutToItsBoundWithTheEllipsis() {
    assertEquals("ab...", Redaction.untrusted("abcdefgh", 5));
    assertEquals("ab...", Redaction.untrusted("abcdef", 5));
    assertEquals("abcde", Redaction.untrusted("abcde", 5));
    assertNull(Redaction.untrusted(null, 5));
  }

  @Test
  void describesAThrowableWithoutTextByItsClass() {
    assertEquals("IOException", redaction.describe(new IOException((String) null), 100));
    assertEquals("IOException", redaction.describe(new IOException("   "), 100));
    assertEquals("refused ****",
        redaction.describe(new IOException("refused key-Zq81-very-secret"), 100));
  }

  @Test
  void sanitizesFiveLevelsOfCausesWithTheirClassesMessagesAndStackTraces() {
    Throwable chain = new IllegalStateException("level 6");
    for (int level = 5; level >= 0; level--) {
      chain = new IOException("level " + level + "\nforged line", chain);
    }

    Throwable copy = redaction.sanitize(chain);

    Throwable original = chain;
    for (int level = 0; level < 5; level++) {
      assertEquals("java.io.IOException: level " + level + "\\nforged line", copy.getMessage());
      assertEquals(copy.getMessage(), copy.toString());
      assertArrayEquals(original.getStackTrace(), copy.getStackTrace());
      copy = copy.getCause();
      original = original.getCause();
    }
    assertNull(copy, "five levels, no more");
    assertNull(redaction.sanitize(null));
  }

  @Test
  void escapesLoneSurrogatesAndKeepsPairs() {
    assertEquals("a\\uD800b", Redaction.escape("a\uD800b"));
    assertEquals("ab\\uD800", Redaction.escape("ab\uD800"));
    assertEquals("\\uDC00x", Redaction.escape("\uDC00x"));
    assertEquals("x\\uDC00", Redaction.escape("x\uDC00"));
    assertEquals("a\uD83D\uDE00b", Redaction.escape("a\uD83D\uDE00b"));
    assertNull(Redaction.escape(null));
  }
}
