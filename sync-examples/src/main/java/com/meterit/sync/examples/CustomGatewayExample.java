package com.meterit.sync.examples;

import com.meterit.sync.api.ClientSystemGateway;
import com.meterit.sync.api.Reading;
import com.meterit.sync.api.TransientGatewayException;
import com.meterit.sync.api.UploadBatch;
import com.meterit.sync.api.UploadResult;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.core.testing.InMemoryReadingSource;
import java.io.IOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A {@link ClientSystemGateway} over another transport: each batch becomes a file in an outbox
 * directory that a separate uplink (a satellite modem, a USB stick) carries away. The rules that
 * keep readings safe are the same as over HTTP:
 *
 * <ul>
 *   <li>answer only once the batch is durable on the other side (here: fsync'd and renamed);
 *   <li>name it by {@link UploadBatch#batchId()}, so a retry overwrites instead of duplicating;
 *   <li>throw {@link TransientGatewayException} for anything a retry may cure.
 * </ul>
 *
 * <p>Run it: {@code java -cp sync-examples/target/meter-sync-tools.jar
 * com.meterit.sync.examples.CustomGatewayExample}
 */
public final class CustomGatewayExample implements ClientSystemGateway {
  private final Path outbox;

  public CustomGatewayExample(Path outbox) {
    this.outbox = outbox;
  }

  @Override
  public boolean testConnection() {
    return Files.isDirectory(outbox) && Files.isWritable(outbox);
  }

  @Override
  public UploadResult uploadBatch(UploadBatch batch) {
    Path target = outbox.resolve(batch.batchId() + ".jsonl");
    Path partial = outbox.resolve(batch.batchId() + ".partial");
    try {
      try (Writer out = Files.newBufferedWriter(partial, StandardCharsets.UTF_8)) {
        for (Reading r : batch.readings()) {
          out.write(String.format("{\"id\":%d,\"meterId\":\"%s\",\"timestamp\":\"%s\",\"value\":%s,"
              + "\"unit\":\"%s\"}%n", r.id(), r.meterId(), r.timestamp(), r.value().toPlainString(),
              r.unit()));
        }
      }
      try (FileChannel channel = FileChannel.open(partial, StandardOpenOption.WRITE)) {
        channel.force(true);
      }
      Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      return UploadResult.acceptedAll(batch, Files.size(target));
    } catch (IOException e) {
      throw new TransientGatewayException("could not write batch " + batch.batchId(), e);
    }
  }

  public static void main(String[] args) throws Exception {
    Path outbox = Files.createTempDirectory("meter-sync-outbox");
    InMemoryReadingSource source = new InMemoryReadingSource();
    source.addSample(3_000);
    SyncManager manager = SyncManager.builder()
        .setSource(source)
        .setGateway(new CustomGatewayExample(outbox))
        .build();
    manager.start();
    manager.triggerSync().join();
    try (var files = Files.list(outbox)) {
      System.out.println(files.count() + " batch files in " + outbox + "; pending: "
          + source.pendingCount());
    }
    manager.close();
  }
}
