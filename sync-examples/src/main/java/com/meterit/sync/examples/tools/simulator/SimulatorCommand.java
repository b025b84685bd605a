package com.meterit.sync.examples.tools.simulator;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.BindException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/** The command line of {@link SimulatedClientSystem#main}. */
final class SimulatorCommand {
  /** The port when none is given: {@value}. */
  static final int DEFAULT_PORT = 8080;

  private SimulatorCommand() {}

  /** Parses the options, serves until stdin closes or the process is stopped; the exit code. */
  static int run(String[] args, InputStream in, PrintStream out, PrintStream err)
      throws InterruptedException {
    int port = DEFAULT_PORT;
    String key = null;
    Fault fault = Fault.NONE;
    boolean compact = false;
    for (String arg : args) {
      String[] kv = arg.split("=", 2);
      try {
        if (arg.equals("--compact")) {
          compact = true;
        } else if (kv.length == 2 && kv[0].equals("--port")) {
          port = Integer.parseInt(kv[1]);
        } else if (kv.length == 2 && kv[0].equals("--key") && !kv[1].isBlank()) {
          key = kv[1];
        } else if (kv.length == 2 && kv[0].equals("--fault")) {
          fault = fault(kv[1]);
        } else {
          err.println("simulator: unknown option '" + arg + "'; use --port=8080, --key=KEY, "
              + "--compact, --fault=" + faults());
          return 2;
        }
      } catch (IllegalArgumentException e) {
        err.println("simulator: " + arg + ": " + e.getMessage());
        return 2;
      }
    }
    if (key == null) {
      byte[] bytes = new byte[12];
      new SecureRandom().nextBytes(bytes);
      key = "sim-" + java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
    SimulatedClientSystem server;
    try {
      server = SimulatedClientSystem.start(key, port);
    } catch (BindException e) {
      err.println("simulator: port " + port + " is taken; choose another with --port=");
      return 2;
    } catch (IOException | IllegalArgumentException e) {
      err.println("simulator: " + e.getMessage());
      return 2;
    }
    server.setFault(fault);
    server.setCompactUploads(compact);
    out.println("Simulated Client System (API v1) listening on loopback");
    out.println("  CLIENT_API_URL=" + server.url());
    // A throwaway key for a server on loopback; printing it is the point.
    out.println("  CLIENT_API_KEY=" + key);
    if (compact) {
      out.println("  announces and accepts the compact upload encoding (" + SimColumns.MEDIA_TYPE
          + ")");
    }
    out.println("fault: " + fault + ". Type " + faults() + " and Enter to switch; Ctrl-C stops.");
    ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
      Thread t = new Thread(r, "simulator-report");
      t.setDaemon(true);
      return t;
    });
    ticker.scheduleWithFixedDelay(new Report(server, out), 2, 2, TimeUnit.SECONDS);
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        try {
          server.setFault(fault(line));
          out.println("fault: " + fault(line));
        } catch (IllegalArgumentException e) {
          out.println("unknown fault '" + line.trim() + "'; one of " + faults());
        }
      }
    } catch (IOException e) {
      err.println("simulator: stdin: " + e.getMessage());
    }
    // Without a terminal (stdin closed at once, as under nohup), serve until stopped.
    if (!Thread.currentThread().isInterrupted()) {
      Thread.currentThread().join();
    }
    return 0;
  }

  private static Fault fault(String name) {
    return Fault.valueOf(name.trim().toUpperCase(Locale.ROOT));
  }

  private static String faults() {
    return Arrays.stream(Fault.values()).map(Enum::name).collect(Collectors.joining(", "));
  }

  /** Prints what changed on the server every two seconds, and nothing when nothing did. */
  private static final class Report implements Runnable {
    private final SimulatedClientSystem server;
    private final PrintStream out;
    private int accepted;
    private int rejected;
    private int heartbeats;

    Report(SimulatedClientSystem server, PrintStream out) {
      this.server = server;
      this.out = out;
    }

    @Override
    public void run() {
      int a = server.acceptedCount();
      int r = server.rejected().size();
      int h = server.heartbeatCount();
      if (a != accepted || r != rejected || h != heartbeats) {
        out.println("accepted " + a + " readings (+" + (a - accepted) + "), rejected " + r
            + ", heartbeats " + h);
        accepted = a;
        rejected = r;
        heartbeats = h;
      }
    }
  }
}
