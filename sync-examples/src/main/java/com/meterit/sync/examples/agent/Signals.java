package com.meterit.sync.examples.agent;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;

/**
 * SIGTERM and SIGINT as a callback. Handling the signals, rather than a shutdown hook, lets the
 * agent stop gracefully and then exit 0; after a hook the JVM exits 143 on SIGTERM. The JDK's
 * signal API lives in {@code jdk.unsupported}; reaching it reflectively keeps the build free of
 * proprietary-API warnings.
 */
final class Signals {
  private Signals() {}

  /** Runs {@code action} on SIGTERM and SIGINT; falls back to a shutdown hook without the API. */
  static void onTermination(Runnable action) {
    try {
      Class<?> signal = Class.forName("sun.misc.Signal");
      Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
      Object handler = Proxy.newProxyInstance(handlerType.getClassLoader(),
          new Class<?>[] {handlerType}, (proxy, method, args) -> {
            switch (method.getName()) {
              case "handle":
                action.run();
                return null;
              case "hashCode":
                return System.identityHashCode(proxy);
              case "equals":
                return proxy == args[0];
              default:
                return "meter-sync-agent signal handler";
            }
          });
      Method handle = signal.getMethod("handle", signal, handlerType);
      for (String name : new String[] {"TERM", "INT"}) {
        handle.invoke(null, signal.getConstructor(String.class).newInstance(name), handler);
      }
    } catch (ReflectiveOperationException | RuntimeException e) {
      Runtime.getRuntime().addShutdownHook(new Thread(action, "meter-sync-agent-stop"));
    }
  }
}
