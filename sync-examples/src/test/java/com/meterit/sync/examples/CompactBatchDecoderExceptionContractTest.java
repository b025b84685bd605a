package com.meterit.sync.examples;

import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/**
 * Review finding 4: the copyable decoder promises an {@link IllegalArgumentException} (answer
 * 400) for any body that does not follow the format, but ids or seconds that overflow escape as
 * {@link ArithmeticException} from {@code Math.addExact}, and seconds beyond Instant's range as
 * {@link java.time.DateTimeException}: a server that maps IllegalArgumentException to 400, as the
 * Javadoc says, answers 500, which a gateway takes as transient and retries forever.
 */
class CompactBatchDecoderExceptionContractTest {

  private static HostileBodies twoReadingsOfOneMeter(long firstId, long secondIdDelta) {
    return HostileBodies.header(2, 1, 1, 0, 0)
        .uvarint(0).uvarint(1).raw(new byte[] {'m'})
        .string("u")
        .svarint(firstId).svarint(secondIdDelta) // ids
        .uvarint(0).uvarint(0).uvarint(1); // meter codes: new (rank 0), then the 1st seen
  }

  private static byte[] withSeconds(HostileBodies body, long first, long step) {
    return body.svarint(first).svarint(step)
        .uvarint(0).uvarint(2) // scales
        .uvarint(0).uvarint(2) // units
        .uvarint(0) // no escaped values
        .svarint(1).svarint(0) // values
        .uvarint(0) // no quality flags
        .bytes();
  }

  @Test
  void refusesIdsThatOverflowAsAMalformedBody() {
    byte[] body = withSeconds(twoReadingsOfOneMeter(Long.MAX_VALUE, 1), 0, 0);

    assertThrows(IllegalArgumentException.class, () -> CompactBatchDecoder.decode(body));
  }

  @Test
  void refusesSecondsBeyondAnyInstantAsAMalformedBody() {
    byte[] body = withSeconds(twoReadingsOfOneMeter(1, 1), Long.MAX_VALUE / 2, 0);

    assertThrows(IllegalArgumentException.class, () -> CompactBatchDecoder.decode(body));
  }
}
