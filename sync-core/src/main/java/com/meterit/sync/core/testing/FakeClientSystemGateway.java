package com.meterit.sync.core.testing;

import com.meterit.sync.api.AuthenticationExpiredException;
import com.meterit.sync.api.BatchRejectedException;
import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.GatewayForbiddenException;
import com.meterit.sync.api.Heartbeat;
import com.meterit.sync.api.HeartbeatReply;
import com.meterit.sync.api.PayloadTooLargeException;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.Rejection;
import com.meterit.sync.api.RemoteConfig;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * A scriptable Client System in memory. It behaves like a correct server (it deduplicates by
 * batch id and by reading id, and answers a replayed batch with its first answer) and can be told
 * to fail in each way the engine must survive. Its ledger also counts as a server that
 * deduplicates only by {@code Idempotency-Key} would: {@link #readingsInTwoBatches()} must stay
 * empty. Thread-safe.
 */
public final class FakeClientSystemGateway implements ClientSystemGateway {
  private final Map<Long, Reading> accepted = new LinkedHashMap<>();
  private final Map<Long, Set<String>> acceptedInBatches = new HashMap<>();
  private final Map<String, List<Long>> batchContents = new LinkedHashMap<>();
  private final Map<String, UploadResult> answers = new LinkedHashMap<>();
  private final Deque<RuntimeException> scriptedFailures = new ArrayDeque<>();
  private final List<Heartbeat> heartbeats = new ArrayList<>();
  private final List<UploadBatch> uploads = new ArrayList<>();
  private Predicate<Reading> rejectReading = r -> false;
  private String rejectReason = "rejected";
  private Predicate<Reading> poisonBatch = r -> false;
  private int maxBatchSize = Integer.MAX_VALUE;
  private boolean reachable = true;
  private boolean forbidden;
  private boolean credentialsExpired;
  private int authentications;
  private int probes;
  private RemoteConfig remoteConfig;
  private boolean remoteConfigDelivered;
  private int configDownloads;
  private boolean heartbeatsFailing;
  private Consumer<UploadBatch> beforeUpload = batch -> {};
  private int conflictingReplays;
  private int answersToLose;

  /** Makes the next uploads throw these, in order, before anything else is checked. */
  public synchronized FakeClientSystemGateway failNextUploads(RuntimeException... failures) {
    scriptedFailures.addAll(List.of(failures));
    return this;
  }

  /**
   * Makes the next {@code count} uploads that the server records lose their answer on the way
   * back, as a link that drops after the request arrived: the batch is recorded, and the call
   * throws a transient failure.
   */
  public synchronized FakeClientSystemGateway loseNextAnswers(int count) {
    answersToLose += count;
    return this;
  }

  /** Rejects, per reading, every reading matching {@code predicate}. */
  public synchronized FakeClientSystemGateway rejectReadings(
      Predicate<Reading> predicate, String reason) {
    this.rejectReading = Objects.requireNonNull(predicate, "predicate");
    this.rejectReason = Objects.requireNonNull(reason, "reason");
    return this;
  }

  /** Refuses, whole, any batch containing a reading matching {@code predicate} (HTTP 422). */
  public synchronized FakeClientSystemGateway rejectBatchesContaining(Predicate<Reading> predicate) {
    this.poisonBatch = Objects.requireNonNull(predicate, "predicate");
    return this;
  }

  /** Refuses batches larger than {@code size} as too large (HTTP 413). */
  public synchronized FakeClientSystemGateway setMaxBatchSize(int size) {
    this.maxBatchSize = size;
    return this;
  }

  /** Makes the server unreachable (probes fail, uploads time out) or reachable again. */
  public synchronized FakeClientSystemGateway setReachable(boolean reachable) {
    this.reachable = reachable;
    return this;
  }

  /** Disables (HTTP 403) or enables the gateway. */
  public synchronized FakeClientSystemGateway setForbidden(boolean forbidden) {
    this.forbidden = forbidden;
    return this;
  }

  /** Expires the credentials: uploads fail with 401 until {@link #authenticate()}. */
  public synchronized FakeClientSystemGateway expireCredentials() {
    this.credentialsExpired = true;
    return this;
  }

  /** Publishes a configuration, which the next download returns and heartbeats announce. */
  public synchronized FakeClientSystemGateway setRemoteConfig(RemoteConfig config) {
    this.remoteConfig = config;
    this.remoteConfigDelivered = false;
    return this;
  }

  /** Runs {@code hook} at the start of every upload, outside the lock, to block or observe. */
  public synchronized FakeClientSystemGateway beforeUpload(Consumer<UploadBatch> hook) {
    this.beforeUpload = Objects.requireNonNull(hook, "hook");
    return this;
  }

  @Override
  public synchronized boolean testConnection() {
    probes++;
    return reachable;
  }

  @Override
  public synchronized void authenticate() {
    if (!reachable) {
      throw unreachable();
    }
    if (forbidden) {
      throw new GatewayForbiddenException("gateway disabled", 403, null);
    }
    authentications++;
    credentialsExpired = false;
  }

  @Override
  public UploadResult uploadBatch(UploadBatch batch) {
    Consumer<UploadBatch> hook;
    synchronized (this) {
      hook = beforeUpload;
    }
    hook.accept(batch);
    synchronized (this) {
      uploads.add(batch);
      if (!scriptedFailures.isEmpty()) {
        throw scriptedFailures.poll();
      }
      if (!reachable) {
        throw unreachable();
      }
      if (forbidden) {
        throw new GatewayForbiddenException("gateway disabled", 403, null);
      }
      if (credentialsExpired) {
        throw new AuthenticationExpiredException("token expired", 401, null);
      }
      if (batch.size() > maxBatchSize) {
        throw new PayloadTooLargeException("payload too large", 413, null);
      }
      List<Long> ids = new ArrayList<>();
      batch.readings().forEach(r -> ids.add(r.id()));
      UploadResult earlier = answers.get(batch.batchId());
      if (earlier != null) {
        if (!batchContents.get(batch.batchId()).equals(ids)) {
          conflictingReplays++;
        }
        return earlier;
      }
      if (batch.readings().stream().anyMatch(poisonBatch)) {
        throw new BatchRejectedException("batch rejected: invalid reading", 422, null);
      }
      List<Rejection> rejected = new ArrayList<>();
      for (Reading r : batch.readings()) {
        if (rejectReading.test(r)) {
          rejected.add(new Rejection(r.id(), rejectReason));
        } else {
          accepted.putIfAbsent(r.id(), r);
          acceptedInBatches.computeIfAbsent(r.id(), id -> new TreeSet<>()).add(batch.batchId());
        }
      }
      UploadResult result = new UploadResult(
          batch.batchId(), batch.size() - rejected.size(), rejected, 100L * batch.size());
      answers.put(batch.batchId(), result);
      batchContents.put(batch.batchId(), ids);
      if (answersToLose > 0) {
        answersToLose--;
        throw new TransientGatewayException("connection reset before the answer",
            new IOException("connection reset"));
      }
      return result;
    }
  }

  @Override
  public synchronized Optional<RemoteConfig> downloadConfig() {
    if (!reachable) {
      throw unreachable();
    }
    configDownloads++;
    if (remoteConfig == null || remoteConfigDelivered) {
      return Optional.empty();
    }
    remoteConfigDelivered = true;
    return Optional.of(remoteConfig);
  }

  @Override
  public synchronized HeartbeatReply sendHeartbeat(Heartbeat heartbeat) {
    if (!reachable || heartbeatsFailing) {
      throw unreachable();
    }
    heartbeats.add(heartbeat);
    return HeartbeatReply.withConfigVersion(remoteConfig == null ? null : remoteConfig.version());
  }

  private static TransientGatewayException unreachable() {
    return new TransientGatewayException("connection refused", new IOException("connection refused"));
  }

  /** The readings the server accepted, each once, by id. */
  public synchronized Map<Long, Reading> accepted() {
    return new LinkedHashMap<>(accepted);
  }

  /**
   * The readings a server that deduplicates only by batch id would have counted more than once:
   * those accepted under two or more different batch ids, with those ids. Must stay empty.
   */
  public synchronized Map<Long, Set<String>> readingsInTwoBatches() {
    Map<Long, Set<String>> twice = new TreeMap<>();
    acceptedInBatches.forEach((id, batches) -> {
      if (batches.size() > 1) {
        twice.put(id, new TreeSet<>(batches));
      }
    });
    return twice;
  }

  /** Every upload call received, failed ones included. */
  public synchronized List<UploadBatch> uploads() {
    return new ArrayList<>(uploads);
  }

  /** Replays of a batch id with different contents: must stay 0. */
  public synchronized int conflictingReplays() {
    return conflictingReplays;
  }

  /** Successful {@link #authenticate()} calls. */
  public synchronized int authentications() {
    return authentications;
  }

  /** Makes heartbeats fail (or succeed again) while everything else works. */
  public synchronized FakeClientSystemGateway setHeartbeatsFailing(boolean failing) {
    this.heartbeatsFailing = failing;
    return this;
  }

  /** Configuration downloads received. */
  public synchronized int configDownloads() {
    return configDownloads;
  }

  /** Health probes received. */
  public synchronized int probes() {
    return probes;
  }

  /** Heartbeats received. */
  public synchronized List<Heartbeat> heartbeats() {
    return new ArrayList<>(heartbeats);
  }
}
