package dev.strata.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The module dependency rule, store <- index <- ingest/query <- node, checked from the poms and the
 * sources themselves, so it holds even if someone drops the enforcer block. Each layer may use only
 * lower layers (ingest and query, on the same layer, not each other); modules outside the layers
 * (testkit, runtimes, launcher tools) may use none of them.
 */
class ModuleRuleTest {
    /** Layer of each Strata code module, by artifactId and by package. */
    private static final Map<String, Integer> LAYER = Map.of(
            "strata-store", 0, "strata-index", 1, "strata-ingest", 2, "strata-query", 2, "strata-node", 3,
            "strata-benchmarks", 4);
    private static final Map<String, String> PACKAGE_MODULE = Map.of(
            "store", "strata-store", "index", "strata-index", "ingest", "strata-ingest", "query", "strata-query",
            "node", "strata-node");
    private static final Pattern REFERENCE = Pattern.compile("\\bdev\\.strata\\.(store|index|ingest|query|node)\\.");

    private final Path root = Path.of(System.getProperty("strata.root", ".."));

    @Test
    void pomsFollowTheRule() throws Exception {
        List<String> modules = modules(read(root.resolve("pom.xml")));
        assertTrue(modules.containsAll(List.of("store", "index", "ingest", "query", "node")), modules.toString());
        List<String> violations = new ArrayList<>();
        for (String m : modules) {
            violations.addAll(pomViolations(Files.readString(root.resolve(m).resolve("pom.xml"))));
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void sourcesFollowTheRule() throws Exception {
        List<String> violations = new ArrayList<>();
        for (Map.Entry<String, String> e : PACKAGE_MODULE.entrySet()) {
            Path src = root.resolve(e.getKey()).resolve("src");
            if (!Files.isDirectory(src)) {
                continue;
            }
            int layer = LAYER.get(e.getValue());
            try (Stream<Path> files = Files.walk(src)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = REFERENCE.matcher(Files.readString(f));
                    while (m.find()) {
                        String used = PACKAGE_MODULE.get(m.group(1));
                        if (!used.equals(e.getValue()) && LAYER.get(used) >= layer) {
                            violations.add(root.relativize(f) + " uses dev.strata." + m.group(1));
                        }
                    }
                }
            }
        }
        assertEquals(List.of(), violations);
    }

    @Test
    void theCheckCatchesAnUpwardDependency() throws Exception {
        String bad = """
                <project><artifactId>strata-index</artifactId><dependencies>
                  <dependency><groupId>dev.strata</groupId><artifactId>strata-store</artifactId></dependency>
                  <dependency><groupId>dev.strata</groupId><artifactId>strata-query</artifactId><scope>test</scope></dependency>
                </dependencies></project>""";
        assertEquals(List.of("strata-index depends on strata-query (scope test)"), pomViolations(bad));
        String sideways = """
                <project><artifactId>strata-ingest</artifactId><dependencies>
                  <dependency><groupId>dev.strata</groupId><artifactId>strata-query</artifactId></dependency>
                </dependencies></project>""";
        assertEquals(List.of("strata-ingest depends on strata-query (scope compile)"), pomViolations(sideways));
        String tool = """
                <project><artifactId>strata-testkit</artifactId><dependencies>
                  <dependency><groupId>dev.strata</groupId><artifactId>strata-store</artifactId></dependency>
                </dependencies></project>""";
        assertEquals(List.of("strata-testkit depends on strata-store (scope compile)"), pomViolations(tool));
        Matcher m = REFERENCE.matcher("import dev.strata.query.Engine;");
        assertTrue(m.find() && m.group(1).equals("query"));
    }

    /** Violations in one pom: Strata code modules it may not depend on, at any scope. */
    static List<String> pomViolations(String pomXml) throws Exception {
        Document pom = parse(pomXml);
        String self = childText(pom.getDocumentElement(), "artifactId");
        Integer selfLayer = LAYER.get(self);
        List<String> violations = new ArrayList<>();
        Element deps = child(pom.getDocumentElement(), "dependencies");
        if (deps == null) {
            return violations;
        }
        for (Element d : children(deps, "dependency")) {
            if (!"dev.strata".equals(childText(d, "groupId"))) {
                continue;
            }
            String artifact = childText(d, "artifactId");
            Integer usedLayer = LAYER.get(artifact);
            if (usedLayer == null) {
                continue; // testkit, runtimes, tools: usable by anyone
            }
            boolean allowed = selfLayer != null && usedLayer < selfLayer;
            if (!allowed) {
                String scope = childText(d, "scope");
                violations.add(self + " depends on " + artifact + " (scope " + (scope == null ? "compile" : scope) + ")");
            }
        }
        return violations;
    }

    private static List<String> modules(Document rootPom) {
        List<String> out = new ArrayList<>();
        Element modules = child(rootPom.getDocumentElement(), "modules");
        for (Element m : children(modules, "module")) {
            out.add(m.getTextContent().trim());
        }
        return out;
    }

    private static Document read(Path pom) throws Exception {
        return parse(Files.readString(pom));
    }

    private static Document parse(String xml) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        return f.newDocumentBuilder().parse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new ArrayList<>();
        NodeList nodes = parent.getChildNodes();
        for (int i = 0; i < nodes.getLength(); i++) {
            Node n = nodes.item(i);
            if (n instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static Element child(Element parent, String name) {
        List<Element> c = children(parent, name);
        return c.isEmpty() ? null : c.get(0);
    }

    private static String childText(Element parent, String name) {
        Element c = child(parent, name);
        return c == null ? null : c.getTextContent().trim();
    }
}
