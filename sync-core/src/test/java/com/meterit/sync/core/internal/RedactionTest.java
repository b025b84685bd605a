package com.meterit.sync.core.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RedactionTest {
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "https://client.meterit.com/api|https://client.meterit.com/api",
      "htps://svc:Hunter2Pass@client.meterit.com/api|htps://****@client.meterit.com/api",
      "https://u:p@ss@host/api|https://****@host/api",
      "https://u:pa/ss@host/api|https://****@host/api",
      "https://host/api?key=Hunter2Pass#frag|https://host/api?****",
      "https://host/api#token=Hunter2Pass|https://host/api#****",
      "svc:Hunter2Pass@host|****@host"})
  void maskUrlMasksUserInfoQueryAndFragmentEvenWhenMalformed(String url, String masked) {
    assertEquals(masked, Redaction.maskUrl(url));
  }

  @Test
  void escapeKeepsEachEventOnOneLine() {
    assertEquals("a\\nb\\rc\\td\\u2028e\\u202Ef\\u0000", Redaction.escape("a\nb\rc\td\u2028e\u202Ef\u0000"));
    assertEquals("plain ü text", Redaction.escape("plain ü text"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "Authorization: Bearer abc.def-_~+/xyz==; more|Authorization: Bearer ****; more",
      "bearer\\u0020abc.def|bearer ****",
      "BEARER\\tabc.def|BEARER ****",
      "tokenType is not Bearer|tokenType is not Bearer"})
  void anyBearerCredentialIsMaskedEvenOneNeverIssuedHere(String text, String masked) {
    assertEquals(masked, new Redaction("key").redact(text));
    assertEquals(masked, Redaction.untrusted(text, 100));
  }

  @Test
  void untrustedTextIsMaskedEscapedAndBoundedWithoutEscapingAMegabyte() {
    assertEquals("b-1\\n12:00 [INFO] FORGED \\u001B]0;t\\u0007 Bearer ****",
        Redaction.untrusted("b-1\n12:00 [INFO] FORGED \u001b]0;t\u0007 Bearer abc.def", 100));
    String cut = Redaction.untrusted("\u001b".repeat(1 << 20), 80);
    assertEquals(80, cut.length());
    assertEquals("\\u001B".repeat(12) + "\\u001...", cut);
    assertEquals("x Bearer ****", Redaction.untrusted("x Bearer abc.defghijklmnop", 12 + 3));
    assertEquals(null, Redaction.untrusted(null, 10));
  }

  @Test
  void boundedNeverSplitsASurrogatePair() {
    String text = "ab\uD83D\uDE00cdef";
    assertEquals("ab...", Redaction.bounded(text, 6));
    assertEquals(text, Redaction.bounded(text, 8));
  }

  @Test
  void cleanMasksBeforeItCuts() {
    Redaction redaction = new Redaction("key-Zq81-very-secret");
    String cleaned = redaction.clean("x".repeat(15) + "key-Zq81-very-secret" + "y".repeat(10), 20);
    assertEquals("x".repeat(15) + "**...", cleaned);
  }

  @Test
  void remembersTheLastTokensAndForgetsOlderOnes() {
    Redaction redaction = new Redaction("key-Zq81-very-secret");
    for (int i = 0; i <= Redaction.REMEMBERED_TOKENS; i++) {
      redaction.addToken("token-number-" + i);
    }
    assertEquals("token-number-0", redaction.redact("token-number-0"));
    assertEquals("****", redaction.redact("token-number-1"));
    assertEquals("****", redaction.redact("token-number-" + Redaction.REMEMBERED_TOKENS));
  }

  @Test
  void masksASecretTheServerEscapedAsJson() {
    Redaction redaction = new Redaction("key-Zq81-very-secret");
    redaction.addToken("tok\u2028sep\"secret");
    String echoed = "{\"error\":\"bad tok\\u2028sep\\\"secret and tok\\u2028sep\\\"secret\"}";
    assertFalse(redaction.redact(echoed).contains("sep"), redaction.redact(echoed));
  }
}
