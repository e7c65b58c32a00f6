package se.kunskapsplattformen.searchnode;

import java.util.concurrent.CountDownLatch;

import org.codelibs.opensearch.runner.OpenSearchRunner;

/**
 * One OpenSearch node in this JVM, until the process is stopped.
 *
 * <pre>
 * java -cp 'target/lib/*:target/classes' se.kunskapsplattformen.searchnode.Node \
 *     BASE_PATH CLUSTER_NAME NODE_NAME HTTP_PORT TRANSPORT_PORT [SEED_PORTS [CLUSTER_MANAGERS]]
 * </pre>
 *
 * Without SEED_PORTS the node is a single-node cluster. With them (comma-separated transport
 * ports on 127.0.0.1) it joins the others; CLUSTER_MANAGERS (comma-separated node names) are the
 * nodes that elect the first cluster manager. One node per JVM so that a node can be killed.
 */
public final class Node {
    private Node() {
    }

    public static void main(final String[] args) throws Exception {
        if (args.length < 5) {
            System.err.println("usage: Node BASE_PATH CLUSTER_NAME NODE_NAME HTTP_PORT "
                    + "TRANSPORT_PORT [SEED_PORTS [CLUSTER_MANAGERS]]");
            System.exit(2);
        }
        final String nodeName = args[2];
        final int httpPort = Integer.parseInt(args[3]);
        final String transportPort = args[4];
        final String seeds = args.length > 5 ? args[5] : "";
        final String managers = args.length > 6 ? args[6] : nodeName;

        final OpenSearchRunner runner = new OpenSearchRunner();
        runner.onBuild((number, settings) -> {
            settings.put("node.name", nodeName);
            settings.put("network.host", "127.0.0.1");
            settings.put("http.port", String.valueOf(httpPort));
            settings.put("transport.port", transportPort);
            settings.put("node.processors", "1");
            settings.put("cluster.routing.allocation.disk.threshold_enabled", "false");
            settings.put("action.auto_create_index", "true");
            if (seeds.isEmpty()) {
                settings.put("discovery.type", "single-node");
            } else {
                final String[] ports = seeds.split(",");
                final String[] hosts = new String[ports.length];
                for (int i = 0; i < ports.length; i++) {
                    hosts[i] = "127.0.0.1:" + ports[i].trim();
                }
                settings.putList("discovery.seed_hosts", hosts);
                settings.putList("cluster.initial_cluster_manager_nodes", managers.split(","));
            }
        }).build(OpenSearchRunner.newConfigs()
                .basePath(args[0])
                .clusterName(args[1])
                .numOfNode(1)
                .baseHttpPort(httpPort - 1));

        final CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                runner.close();
            } catch (final Exception e) {
                e.printStackTrace();
            }
            stopped.countDown();
        }));
        System.out.println("search-node " + nodeName + " up: http://127.0.0.1:" + httpPort);
        stopped.await();
    }
}
