package org.searchkit.node;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.opensearch.analysis.common.CommonAnalysisPlugin;
import org.opensearch.common.logging.LogConfigurator;
import org.opensearch.common.settings.Settings;
import org.opensearch.env.Environment;
import org.opensearch.node.InternalSettingsPreparer;
import org.opensearch.node.Node;
import org.opensearch.plugins.Plugin;
import org.opensearch.transport.Netty4Plugin;

/**
 * One OpenSearch node in this JVM, with the REST API on 127.0.0.1 and no security plugin.
 *
 * <p>The server jars come from Maven Central, so there is no distribution to download and no plugins
 * folder: the plugins a node needs (Netty for HTTP and transport, the common analysers for stemming)
 * are handed to it as classes, as OpenSearch's own MockNode does. Several of these processes with
 * the same --cluster and --seeds form one cluster.
 *
 * <p>Usage: Launcher --http-port P --transport-port T --data DIR [--name N] [--cluster C]
 * [--seeds host:port,...] [--managers name,...] [--role cluster_manager|data] [--setting key=value ...].
 * The node stops when standard input closes or on SIGTERM. It prints one line "searchkit-node started ..." when it serves.
 */
public final class Launcher {

    /** The node with its plugins given as classes (the constructor that takes them is protected). */
    static final class EmbeddedNode extends Node {
        EmbeddedNode(Environment environment, List<Class<? extends Plugin>> plugins) {
            super(environment, plugins, true);
        }
    }

    private Launcher() {}

    /** Extra node settings given as --setting key=value (repeatable), e.g. a small write queue in a test. */
    private static final List<String> settingArgs = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        Map<String, String> opts = parse(args);
        String data = require(opts, "data");
        String name = opts.getOrDefault("name", "searchkit-1");
        Settings.Builder settings = Settings.builder()
            .put("cluster.name", opts.getOrDefault("cluster", "searchkit"))
            .put("node.name", name)
            .put("path.home", data)
            .put("path.data", Path.of(data, name, "data").toString())
            .put("path.logs", Path.of(data, name, "logs").toString())
            .put("network.host", "127.0.0.1")
            .put("http.port", require(opts, "http-port"))
            .put("transport.port", require(opts, "transport-port"))
            .put("http.type", "netty4")
            .put("transport.type", "netty4")
            // a developer's nearly full disk must not turn indexes read-only
            .put("cluster.routing.allocation.disk.threshold_enabled", false)
            .put("action.auto_create_index", false);
        for (String setting : settingArgs) {
            int eq = setting.indexOf('=');
            if (eq <= 0) {
                usage("--setting takes key=value, not " + setting);
            }
            settings.put(setting.substring(0, eq), setting.substring(eq + 1));
        }
        String seeds = opts.get("seeds");
        if (seeds == null) {
            settings.put("discovery.type", "single-node");
        } else {
            settings.putList("discovery.seed_hosts", List.of(seeds.split(",")));
            settings.putList("cluster.initial_cluster_manager_nodes", List.of(require(opts, "managers").split(",")));
            String role = opts.getOrDefault("role", "cluster_manager");
            settings.putList("node.roles", role.equals("data") ? List.of("data") : List.of("cluster_manager", "data"));
        }
        Settings built = settings.build();
        LogConfigurator.configureWithoutConfig(built);
        Environment environment = InternalSettingsPreparer.prepareEnvironment(built, Collections.emptyMap(), null, () -> name);
        Node node = new EmbeddedNode(environment, List.of(Netty4Plugin.class, CommonAnalysisPlugin.class));

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> close(node, stopped), "searchkit-node-shutdown"));
        long started = System.nanoTime();
        node.start();
        System.out.printf(
            "searchkit-node started name=%s http=127.0.0.1:%s in %d ms%n",
            name, opts.get("http-port"), TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started)
        );
        System.out.flush();
        waitForStdinEnd(System.in);
        close(node, stopped);
        stopped.await();
        System.exit(0);
    }

    private static void close(Node node, CountDownLatch stopped) {
        if (stopped.getCount() == 0) {
            return;
        }
        synchronized (Launcher.class) {
            if (stopped.getCount() == 0) {
                return;
            }
            try {
                node.close();
                node.awaitClose(30, TimeUnit.SECONDS);
            } catch (IOException | InterruptedException e) {
                System.err.println("searchkit-node: error while stopping: " + e);
            } finally {
                stopped.countDown();
            }
        }
    }

    /** Blocks until the parent closes our standard input (or dies), so a node never outlives its starter. */
    private static void waitForStdinEnd(InputStream in) {
        byte[] buffer = new byte[256];
        try {
            while (in.read(buffer) >= 0) {
                // anything written is ignored; only the end matters
            }
        } catch (IOException e) {
            // a broken pipe is an end too
        }
    }

    private static Map<String, String> parse(String[] args) {
        Map<String, String> opts = new LinkedHashMap<>();
        List<String> rest = new ArrayList<>(List.of(args));
        for (int i = 0; i < rest.size(); i++) {
            String arg = rest.get(i);
            if (!arg.startsWith("--") || i + 1 >= rest.size()) {
                usage("unexpected argument " + arg);
            }
            if (arg.equals("--setting")) {
                settingArgs.add(rest.get(++i));
            } else {
                opts.put(arg.substring(2), rest.get(++i));
            }
        }
        return opts;
    }

    private static String require(Map<String, String> opts, String key) {
        String value = opts.get(key);
        if (value == null) {
            usage("missing --" + key);
        }
        return value;
    }

    private static void usage(String problem) {
        System.err.println("searchkit-node: " + problem
            + "; usage: --http-port P --transport-port T --data DIR [--name N] [--cluster C]"
            + " [--seeds host:port,...] [--managers name,...] [--role cluster_manager|data] [--setting key=value]");
        System.exit(2);
    }
}
