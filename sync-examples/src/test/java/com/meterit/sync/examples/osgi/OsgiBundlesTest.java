package com.meterit.sync.examples.osgi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.meterit.sync.api.ReadingSource;
import com.meterit.sync.core.SyncManager;
import com.meterit.sync.examples.tools.simulator.SimulatedClientSystem;
import com.meterit.sync.jdbc.JdbcReadingSource;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.function.Function;
import java.util.stream.Stream;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.Version;
import org.osgi.framework.launch.FrameworkFactory;

/**
 * sync-api, sync-core and sync-jdbc are OSGi bundles: in a real framework (Apache Felix) with
 * Jackson, SLF4J and H2 as bundles and no Micrometer or HikariCP, every bundle resolves and
 * starts, and a host bundle that imports only the exported packages syncs readings to a Client
 * System on loopback. It runs with the build's own Jackson and again with each Jackson 2 that
 * the pom copies for it (the lowest the bundles' import range admits, and the newest), so that
 * the range in the manifest is one that was tried.
 */
class OsgiBundlesTest {
  private static final String KEY = "osgi-key";
  private static final int READINGS = 1_500;
  /** The Jackson on the test class path, which the build compiles against. */
  private static final String BUILD_JACKSON = "build";

  @TempDir
  Path dir;
  private Framework framework;

  @AfterEach
  void stopFramework() throws Exception {
    if (framework != null) {
      framework.stop();
      framework.waitForStop(Duration.ofSeconds(10).toMillis());
    }
  }

  /** Where a class on the test class path comes from: a jar, or a module's target/classes. */
  private static Path origin(Class<?> type) throws URISyntaxException {
    return Path.of(type.getProtectionDomain().getCodeSource().getLocation().toURI());
  }

  private Bundle install(Path jarOrClasses) throws BundleException {
    // A reactor build that stops before packaging hands over target/classes, where bnd wrote
    // the manifest; Felix installs such a directory in place.
    String location = "reference:" + jarOrClasses.toUri();
    return framework.getBundleContext().installBundle(location);
  }

  /** The host bundle: {@link OsgiHost}, importing only our exported packages and H2's. */
  private Path hostBundle() throws IOException {
    Manifest manifest = new Manifest();
    Attributes main = manifest.getMainAttributes();
    main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
    main.putValue(Constants.BUNDLE_MANIFESTVERSION, "2");
    main.putValue(Constants.BUNDLE_SYMBOLICNAME, "com.meterit.sync.examples.osgi.host");
    main.putValue(Constants.BUNDLE_VERSION, "1.0.0");
    main.putValue(Constants.IMPORT_PACKAGE, "com.meterit.sync.api,com.meterit.sync.core,"
        + "com.meterit.sync.core.http,com.meterit.sync.jdbc,org.h2.jdbcx,javax.sql");
    Path jar = dir.resolve("host.jar");
    String entry = OsgiHost.class.getName().replace('.', '/') + ".class";
    try (OutputStream out = Files.newOutputStream(jar);
        JarOutputStream jarOut = new JarOutputStream(out, manifest);
        InputStream classFile = OsgiHost.class.getClassLoader().getResourceAsStream(entry)) {
      jarOut.putNextEntry(new JarEntry(entry));
      classFile.transferTo(jarOut);
      jarOut.closeEntry();
    }
    return jar;
  }

  /** {@link #BUILD_JACKSON}, then each version the pom copied (see its osgi-jackson execution). */
  static Stream<String> jacksonVersions() {
    String versions = System.getProperty("meter.sync.osgi.jackson.versions", "");
    assertTrue(!versions.isEmpty(), "run through Maven: meter.sync.osgi.jackson.versions is unset");
    return Stream.concat(Stream.of(BUILD_JACKSON), Stream.of(versions.split(",")));
  }

  /** The three Jackson bundles to install: the build's own, or the jars copied for a version. */
  private static List<Path> jacksonBundles(String version) throws IOException, URISyntaxException {
    if (version.equals(BUILD_JACKSON)) {
      return List.of(origin(JsonProperty.class), origin(JsonFactory.class),
          origin(ObjectMapper.class));
    }
    Path dir = Path.of(System.getProperty("meter.sync.osgi.jackson.dir")).resolve(version);
    List<Path> jars = new ArrayList<>();
    for (String name : List.of("jackson-annotations", "jackson-core", "jackson-databind")) {
      try (Stream<Path> files = Files.list(dir)) {
        jars.add(files.filter(f -> f.getFileName().toString().startsWith(name + "-"))
            .findFirst().orElseThrow(() -> new AssertionError(name + " missing in " + dir)));
      }
    }
    return jars;
  }

  @ParameterizedTest(name = "Jackson {0}")
  @MethodSource("jacksonVersions")
  void theLibraryBundlesResolveStartAndSyncInAnOsgiFramework(String jackson) throws Exception {
    Map<String, String> config = new HashMap<>();
    config.put(Constants.FRAMEWORK_STORAGE, dir.resolve("felix-cache").toString());
    config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
    // slf4j-api 2 finds its provider through the OSGi Service Loader Mediator (Apache Aries
    // SPI Fly in a full framework). None is installed here, so the framework declares the two
    // extender capabilities to let slf4j-api and slf4j-simple resolve; without the mediator
    // SLF4J falls back to no-operation logging, which is all this test needs.
    config.put(Constants.FRAMEWORK_SYSTEMCAPABILITIES_EXTRA,
        "osgi.extender;osgi.extender=\"osgi.serviceloader.processor\";version:Version=\"1.0\","
            + "osgi.extender;osgi.extender=\"osgi.serviceloader.registrar\";version:Version=\"1.0\"");
    framework = ServiceLoader.load(FrameworkFactory.class).iterator().next().newFramework(config);
    framework.start();

    List<Bundle> bundles = new ArrayList<>();
    for (Path jar : jacksonBundles(jackson)) {
      bundles.add(install(jar));
    }
    if (!jackson.equals(BUILD_JACKSON)) {
      assertEquals(Version.parseVersion(jackson), bundles.get(2).getVersion(),
          "not the Jackson under test: " + bundles.get(2).getSymbolicName());
    }
    for (Class<?> type : List.of(org.slf4j.LoggerFactory.class,
        org.slf4j.simple.SimpleLogger.class, org.h2.Driver.class, ReadingSource.class,
        SyncManager.class, JdbcReadingSource.class)) {
      bundles.add(install(origin(type)));
    }
    Bundle host = framework.getBundleContext().installBundle(hostBundle().toUri().toString());
    bundles.add(host);
    for (Bundle bundle : bundles) {
      bundle.start();
      assertEquals(Bundle.ACTIVE, bundle.getState(), bundle.getSymbolicName() + " did not start");
    }
    List<String> ours = new ArrayList<>();
    for (Bundle bundle : bundles) {
      if (bundle.getSymbolicName().startsWith("com.meterit.sync.")
          && !bundle.getSymbolicName().endsWith(".host")) {
        ours.add(bundle.getSymbolicName());
      }
    }
    assertEquals(List.of("com.meterit.sync.api", "com.meterit.sync.core", "com.meterit.sync.jdbc"),
        ours);

    try (SimulatedClientSystem server = SimulatedClientSystem.start(KEY)) {
      @SuppressWarnings("unchecked")
      Function<String, String> hostCode = (Function<String, String>) host
          .loadClass(OsgiHost.class.getName()).getConstructor().newInstance();
      // Kept open between connections, as a DbService keeps it: a plain H2 DataSource otherwise
      // closes and reopens the file around every transaction.
      String h2 = "jdbc:h2:file:" + dir.resolve("sync")
          + ";NON_KEYWORDS=VALUE;DB_CLOSE_DELAY=-1;WRITE_DELAY=0";
      String answer = hostCode.apply(server.url() + " " + KEY + " " + h2 + " " + READINGS);

      String[] parts = answer.split(" ");
      assertEquals("SUCCEEDED", parts[0], answer);
      assertEquals("0", parts[1], answer);
      assertEquals("HEALTHY", parts[2], answer);
      assertTrue(parts[3].startsWith("org.apache.felix."), "loaded outside the framework: "
          + answer);
      assertEquals(READINGS, server.acceptedCount());
    }
  }
}
