package com.meterit.sync.examples.tools.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What Linux and the JVM's native memory tracking say about another process: resident memory and
 * threads from {@code /proc/<pid>/status}, CPU from {@code /proc/<pid>/stat}, and the heap,
 * metaspace and code cache from {@code jcmd <pid> VM.native_memory summary} (the process must run
 * with {@code -XX:NativeMemoryTracking=summary}).
 */
final class ProcFacts {
  /** Clock ticks per second of {@code /proc/<pid>/stat}; 100 on every Linux this runs on. */
  private static final long TICKS_PER_SECOND = 100;
  private static final Pattern NMT_CATEGORY =
      Pattern.compile("^-\\s+(.+?) \\(reserved=(\\d+)KB, committed=(\\d+)KB\\)", Pattern.MULTILINE);
  private static final Pattern NMT_TOTAL =
      Pattern.compile("Total: reserved=(\\d+)KB, committed=(\\d+)KB");
  private static final Pattern NMT_CLASSES = Pattern.compile("\\(classes #(\\d+)\\)");
  private static final Pattern NMT_TRACKING = Pattern.compile("tracking overhead=(\\d+)KB");

  private ProcFacts() {}

  /** A field of {@code /proc/<pid>/status} in kB (or a count, for Threads); -1 when gone. */
  static long status(long pid, String field) {
    String text = read(Path.of("/proc", Long.toString(pid), "status"));
    for (String line : text.split("\n")) {
      if (line.startsWith(field + ":")) {
        return Long.parseLong(line.substring(field.length() + 1).trim().split("\\s+")[0]);
      }
    }
    return -1;
  }

  /** User plus system CPU time of the process, in nanoseconds. */
  static long cpuNanos(long pid) {
    String text = read(Path.of("/proc", Long.toString(pid), "stat"));
    // The command name may hold spaces and parentheses: fields count from the last ')'.
    String[] fields = text.substring(text.lastIndexOf(')') + 2).trim().split(" ");
    long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
    return TimeUnit.SECONDS.toNanos(ticks) / TICKS_PER_SECOND;
  }

  /** The process's threads by name, as the kernel knows them (names cut at 15 characters). */
  static Map<String, Integer> threadNames(long pid) {
    Map<String, Integer> names = new TreeMap<>();
    try (Stream<Path> tasks = Files.list(Path.of("/proc", Long.toString(pid), "task"))) {
      tasks.forEach(task -> {
        try {
          String name = read(task.resolve("comm")).trim()
              // Numbered pool threads count under one name.
              .replaceAll("-\\d+$", "-N");
          names.merge(name, 1, Integer::sum);
        } catch (UncheckedIOException e) {
          // The thread ended while being listed.
        }
      });
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return names;
  }

  /**
   * The committed kB of the NMT summary's heap, class metadata (metaspace and class space),
   * code cache, thread stacks, collector, shared class archive, NMT's own overhead and total, and the loaded classes. Attaching
   * starts an "Attach Listener" thread in the process: count threads before calling this.
   */
  static Map<String, Double> nativeMemory(long pid) throws IOException, InterruptedException {
    String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
    Process p = new ProcessBuilder(jcmd, Long.toString(pid), "VM.native_memory", "summary")
        .redirectErrorStream(true).start();
    String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (p.waitFor() != 0 || !text.contains("Native Memory Tracking")) {
      throw new IllegalStateException("jcmd VM.native_memory failed: " + text);
    }
    Map<String, Double> kb = new LinkedHashMap<>();
    Matcher category = NMT_CATEGORY.matcher(text);
    while (category.find()) {
      kb.put(category.group(1).trim(), Double.parseDouble(category.group(3)));
    }
    Map<String, Double> facts = new LinkedHashMap<>();
    facts.put("heap", kb.getOrDefault("Java Heap", 0.0));
    // Class metadata: the "Metaspace" category holds its chunks, "Class" its class space and
    // the class loaders' own records.
    facts.put("class", kb.getOrDefault("Class", 0.0) + kb.getOrDefault("Metaspace", 0.0));
    facts.put("code", kb.getOrDefault("Code", 0.0));
    facts.put("thread", kb.getOrDefault("Thread", 0.0));
    facts.put("gc", kb.getOrDefault("GC", 0.0));
    facts.put("cds", kb.getOrDefault("Shared class space", 0.0));
    facts.put("nmt", first(NMT_TRACKING, text));
    facts.put("committed", first(NMT_TOTAL, text, 2));
    facts.put("classes", first(NMT_CLASSES, text));
    return facts;
  }

  private static double first(Pattern pattern, String text) {
    return first(pattern, text, 1);
  }

  private static double first(Pattern pattern, String text, int group) {
    Matcher m = pattern.matcher(text);
    return m.find() ? Double.parseDouble(m.group(group)) : Double.NaN;
  }

  private static String read(Path file) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new UncheckedIOException("the process is gone: " + file, e);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
