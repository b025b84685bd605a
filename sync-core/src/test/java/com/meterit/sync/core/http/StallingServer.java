package com.meterit.sync.core.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A raw HTTP/1.1 server on loopback that answers each "METHOD /path" as scripted, or sends the
 * headers and then stalls: before the body, or halfway through it. A stalled connection stays
 * open until the client closes it or the server is closed. TCP_NODELAY is on, so what was sent
 * before a stall really left.
 */
final class StallingServer implements AutoCloseable {
  enum Mode { ANSWER, STALL_BEFORE_BODY, STALL_MID_BODY }

  private static final class Script {
    final int status;
    final String body;

    Script(int status, String body) {
      this.status = status;
      this.body = body;
    }
  }

  private final ServerSocket server;
  private final ExecutorService pool = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "stalling-server");
    t.setDaemon(true);
    return t;
  });
  private final Map<String, Script> scripts = new ConcurrentHashMap<>();
  private final Map<String, Mode> modes = new ConcurrentHashMap<>();
  private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();
  private volatile boolean closed;

  StallingServer() throws IOException {
    server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    pool.execute(this::acceptLoop);
  }

  URI base() {
    return URI.create("http://127.0.0.1:" + server.getLocalPort() + "/api");
  }

  /** Answers {@code "POST /api/v1/auth/token"} (say) with this status and body. */
  void answer(String request, int status, String body) {
    scripts.put(request, new Script(status, body));
  }

  void mode(String request, Mode mode) {
    modes.put(request, mode);
  }

  void answerAll() {
    modes.clear();
  }

  int requests(String request) {
    AtomicInteger n = requests.get(request);
    return n == null ? 0 : n.get();
  }

  private void acceptLoop() {
    while (!closed) {
      try {
        Socket socket = server.accept();
        socket.setTcpNoDelay(true);
        sockets.add(socket);
        pool.execute(() -> serve(socket));
      } catch (IOException e) {
        return;
      }
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      InputStream in = socket.getInputStream();
      OutputStream out = socket.getOutputStream();
      while (!closed) {
        String head = readHead(in);
        if (head == null) {
          return;
        }
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        String key = requestLine[0] + " " + requestLine[1];
        in.readNBytes(contentLength(lines));
        requests.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
        Script script = scripts.getOrDefault(key, new Script(404, "{}"));
        byte[] body = script.body.getBytes(StandardCharsets.UTF_8);
        Mode mode = modes.getOrDefault(key, Mode.ANSWER);
        // A stalled answer promises a body, so that the client has something to wait for.
        int promised = mode == Mode.ANSWER ? body.length : Math.max(body.length, 64);
        out.write(("HTTP/1.1 " + script.status + " Scripted\r\nContent-Type: application/json\r\n"
            + "Content-Length: " + promised + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
        if (mode == Mode.ANSWER) {
          out.write(body);
          out.flush();
          continue;
        }
        if (mode == Mode.STALL_MID_BODY) {
          out.write(body, 0, Math.min(body.length, promised) / 2);
        }
        out.flush();
        // Hold the connection until the client gives up on it (or we close).
        while (in.read() != -1) {
          // discard
        }
        return;
      }
    } catch (IOException e) {
      // The client closed the connection, or we did.
    }
  }

  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
          ? matched + 1 : 0;
      if (matched == 4) {
        return head.toString(StandardCharsets.ISO_8859_1);
      }
    }
    return null;
  }

  private static int contentLength(String[] lines) {
    for (String line : lines) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        return Integer.parseInt(line.substring(15).trim());
      }
    }
    return 0;
  }

  @Override
  public void close() throws IOException {
    closed = true;
    server.close();
    for (Socket socket : sockets) {
      socket.close();
    }
    pool.shutdownNow();
  }
}
