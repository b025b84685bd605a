package com.meterit.sync.examples.tools.bench;

/**
 * One direction of the emulated link: a single first-come, first-served transmitter that every
 * connection shares, like the radio of a real uplink. A chunk that arrives while the transmitter
 * is busy waits for it; a chunk then takes its size at the link rate to go out, and reaches the
 * far side one one-way delay after its last bit left.
 *
 * <p>Times are nanoseconds on the emulator's own axis. Pure arithmetic: nothing here reads a
 * clock, so it is tested with fixed inputs. Thread-safe.
 */
final class Bottleneck {
  private final long bitsPerSecond;
  private final long oneWayNanos;
  private final Stalls stalls;
  private long busyUntil;

  Bottleneck(long bitsPerSecond, long oneWayNanos, Stalls stalls) {
    this.bitsPerSecond = bitsPerSecond;
    this.oneWayNanos = oneWayNanos;
    this.stalls = stalls;
  }

  /**
   * Books the transmitter for a chunk and returns when its last byte reaches the far side. Calls
   * for the same connection come in arrival order, so its delivery times never go backwards and
   * its bytes stay in order.
   *
   * @param arrival when the chunk was handed to the link
   * @param bytes the chunk's size
   */
  synchronized long deliver(long arrival, int bytes) {
    long start = stalls.resume(Math.max(arrival, busyUntil));
    busyUntil = stalls.finish(start, LinkProfile.serializationNanos(bytes, bitsPerSecond));
    return busyUntil + oneWayNanos;
  }

  /** When a signal with no payload (the end of a stream) sent at {@code t} reaches the far side. */
  long propagate(long t) {
    return t + oneWayNanos;
  }
}
