package dev.strata.node.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.strata.node.ui.Browser;
import dev.strata.query.engine.QueryOptions;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;

/**
 * The UI's cluster page in headless Chromium against a 3-node in-process cluster whose nodes talk over
 * real HTTP: with every node up each shard is served; after node 2's server is closed (the node is
 * gone for its peers and for the page), node 2 shows as down, and the shards it owned show as served
 * by their other owner (2 replicas) or as missing (1 replica).
 */
class ClusterPageBrowserTest {
    @Test
    void aKilledNodesShardsAreServedByTheReplicaOrMissing() throws Exception {
        try (Browser browser = new Browser()) {
            for (int replicas : new int[] {2, 1}) {
                try (InProcessCluster cluster = new InProcessCluster(3, 8, replicas, QueryOptions.defaults())) {
                    String page = "http://127.0.0.1:" + cluster.nodes.get(0).server.port() + "/#/cluster";
                    browser.driver.get(page);
                    Map<Integer, String> served = servedBy(browser, 8, false);
                    for (int s = 0; s < 8; s++) {
                        assertEquals(Integer.toString(cluster.ownership.owners(s)[0]), served.get(s), "shard " + s + " " + served);
                    }
                    if (replicas == 2) browser.screenshot("cluster-3-nodes");

                    cluster.nodes.get(2).server.close();
                    served = servedBy(browser, 8, true);
                    for (int s = 0; s < 8; s++) {
                        int[] owners = cluster.ownership.owners(s);
                        List<Integer> alive = java.util.Arrays.stream(owners).filter(o -> o != 2).boxed().toList();
                        String expected = alive.isEmpty() ? "missing" : Integer.toString(alive.get(0));
                        assertEquals(expected, served.get(s), "R=" + replicas + " shard " + s + " owners "
                                + java.util.Arrays.toString(owners) + " page " + served);
                    }
                    String node2 = browser.await(d -> d.findElement(By.cssSelector("#nodes tr[data-node='2']")).getText());
                    assertTrue(node2.contains("down"), node2);
                    if (replicas == 1) {
                        assertTrue(served.containsValue("missing"), served.toString());
                        browser.screenshot("cluster-node-killed-r1");
                    } else {
                        assertTrue(!served.containsValue("missing"), served.toString());
                        browser.screenshot("cluster-node-killed-r2");
                    }
                }
            }
        }
    }

    /**
     * Waits until the page's shard table has {@code shards} rows and (when {@code nodeDown}) shows some
     * node down, or (when not) every node up; answers shard -> served-by ("missing" or the ordinal).
     */
    private static Map<Integer, String> servedBy(Browser browser, int shards, boolean nodeDown) {
        return browser.await(d -> {
            List<WebElement> rows = d.findElements(By.cssSelector("#shards tbody tr"));
            String summary = d.findElements(By.id("cluster-summary")).isEmpty() ? ""
                    : d.findElement(By.id("cluster-summary")).getText();
            if (rows.size() != shards || summary.contains("3 of 3 nodes up") == nodeDown) return null;
            Map<Integer, String> m = new HashMap<>();
            for (WebElement r : rows) m.put(Integer.parseInt(r.getAttribute("data-shard")), r.getAttribute("data-served-by"));
            return m;
        });
    }
}
