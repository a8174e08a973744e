package dev.strata.query.ast;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.strata.query.parser.Parser;
import org.junit.jupiter.api.Test;

/**
 * Multi-line printing as Prometheus's format_query does it. Most cases use a 10-character line
 * limit so short expressions exercise the splitting rules.
 */
class PrettierTest {
    private static String pretty10(String q) {
        return Prettier.pretty(Parser.parse(q), 10);
    }

    @Test
    void shortExpressionsStayOnOneLineInCanonicalForm() {
        assertEquals("sum by (job) (rate(http_requests_total[5m]))",
                Prettier.pretty(Parser.parse("sum(rate(http_requests_total[5m]))by(job)")));
        assertEquals("a + b", pretty10("a+b"));
        assertEquals("max(x)", pretty10("max (x)"));
    }

    @Test
    void aggregationsPutOperatorAndGroupingFirstAndTheParameterOnItsOwnLine() {
        assertEquals("count without (pod) (\n  kube_pod_info{ns=\"a\"}\n)", pretty10("count(kube_pod_info{ns=\"a\"}) without (pod)"));
        assertEquals("avg(\n  node_load1\n)", pretty10("avg by () (node_load1)"));
        assertEquals("bottomk(\n  3,\n  node_load15\n)", pretty10("bottomk(3, node_load15)"));
        assertEquals("max by (a) (\n  min by (a) (\n    some_metric\n  )\n)", pretty10("max by (a) (min by (a) (some_metric))"));
    }

    @Test
    void binaryExpressionsPutTheOperatorAndItsModifiersBetweenIndentedOperands() {
        assertEquals("  metric_a\n* on (x) group_left (y)\n  metric_b", pretty10("metric_a * on(x) group_left(y) metric_b"));
        assertEquals("  errors\n> bool\n  10", pretty10("errors > bool 10"));
        // Left-associative: the nested left operand is one level deeper.
        assertEquals("    aaaa\n  -\n    bbbb\n-\n  cccc", pretty10("aaaa - bbbb - cccc"));
        assertEquals("  up + up\nunless\n  down", pretty10("up + up unless down"));
    }

    @Test
    void callsPutOneArgumentPerLine() {
        assertEquals("irate(\n  cpu_seconds[2m]\n)", pretty10("irate(cpu_seconds[2m])"));
        assertEquals("clamp_min(\n  free_bytes,\n  0\n)", pretty10("clamp_min(free_bytes, 0)"));
        assertEquals("label_join(\n  up,\n  \"dst\",\n  \",\",\n  \"a\"\n)", pretty10("label_join(up, \"dst\", \",\", \"a\")"));
    }

    @Test
    void parenthesesUnaryAndSubqueries() {
        assertEquals("(\n  long_name\n)", pretty10("(long_name)"));
        assertEquals("(\n    aaaaa\n  /\n    bbbbb\n)", pretty10("(aaaaa / bbbbb)"));
        assertEquals("-abs(\n  delta_x\n)", pretty10("-abs(delta_x)"));
        // A subquery that fits is printed without indentation, as Prometheus does.
        assertEquals("deriv(\nx[5m:1m]\n)", pretty10("deriv(x[5m:1m])"));
        assertEquals("min_over_time(\n  rate(\n    requests[1m]\n  )[10m:1m] offset 5m\n)",
                pretty10("min_over_time(rate(requests[1m])[10m:1m] offset 5m)"));
    }

    @Test
    void selectorsAndLiteralsNeverSplit() {
        assertEquals("node_filesystem_avail_bytes{fstype!=\"tmpfs\",mountpoint=\"/\"}[5m]",
                pretty10("node_filesystem_avail_bytes{mountpoint=\"/\", fstype!=\"tmpfs\"}[5m]"));
        assertEquals("\"a long string literal\"", pretty10("\"a long string literal\""));
    }

    @Test
    void theRealLimitIsOneHundredCharacters() {
        String q = "sum by (namespace, pod) (rate(container_cpu_usage_seconds_total{container!=\"\",image!=\"\",job=\"kubelet\"}[5m])) "
                + "/ on (namespace, pod) group_left () sum by (namespace, pod) (kube_pod_container_resource_requests{resource=\"cpu\"})";
        assertEquals("""
                  sum by (namespace, pod) (
                    rate(container_cpu_usage_seconds_total{container!="",image!="",job="kubelet"}[5m])
                  )
                / on (namespace, pod) group_left ()
                  sum by (namespace, pod) (kube_pod_container_resource_requests{resource="cpu"})""",
                Prettier.pretty(Parser.parse(q)));
    }
}
