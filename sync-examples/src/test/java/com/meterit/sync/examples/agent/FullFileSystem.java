package com.meterit.sync.examples.agent;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * A real, small file system that fills up: a tmpfs mounted for one test. Mounting needs root;
 * where it fails, {@link #mount} returns null and the test is skipped.
 */
final class FullFileSystem implements AutoCloseable {
  final Path root;

  private FullFileSystem(Path root) {
    this.root = root;
  }

  /** A tmpfs of {@code kib} KiB at {@code root}, or null when this machine does not allow it. */
  static FullFileSystem mount(Path root, int kib) throws Exception {
    Files.createDirectories(root);
    return run("mount", "-t", "tmpfs", "-o", "size=" + kib + "k,mode=0700", "tmpfs",
        root.toString()) ? new FullFileSystem(root) : null;
  }

  /** Fills every free byte with a file named {@code filler}, which {@link #free} removes. */
  void fill() throws IOException {
    try (OutputStream out = Files.newOutputStream(root.resolve("filler"))) {
      byte[] block = new byte[4096];
      while (true) {
        out.write(block);
        out.flush();
      }
    } catch (IOException e) {
      if (!String.valueOf(e.getMessage()).contains("No space left on device")) {
        throw e;
      }
    }
  }

  void free() throws IOException {
    Files.deleteIfExists(root.resolve("filler"));
  }

  @Override
  public void close() throws Exception {
    run("umount", "-l", root.toString());
  }

  private static boolean run(String... command) throws Exception {
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    p.getInputStream().readAllBytes();
    return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
  }
}
