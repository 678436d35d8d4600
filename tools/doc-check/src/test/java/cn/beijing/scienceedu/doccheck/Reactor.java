package cn.beijing.scienceedu.doccheck;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

/**
 * The Maven reactor of the checkout, read from the POMs: each module's path and the other modules it depends
 * on — what {@code -pl} without {@code -am} must find in the local repository instead of in this checkout.
 */
final class Reactor {

    private final Path repo;
    /** module path (as -pl takes it) → artifactId */
    private final Map<String, String> artifactIds = new LinkedHashMap<>();
    /** module path → module paths it depends on directly (any scope) */
    private final Map<String, Set<String>> dependsOn = new LinkedHashMap<>();

    Reactor(Path repo) {
        this.repo = repo;
        Document root = pom(repo.resolve("pom.xml"));
        String groupId = text(root.getDocumentElement(), "groupId");
        for (Element m : children(child(root.getDocumentElement(), "modules"), "module")) {
            String path = m.getTextContent().trim();
            artifactIds.put(path, text(pom(repo.resolve(path).resolve("pom.xml")).getDocumentElement(), "artifactId"));
        }
        Map<String, String> byArtifact = new LinkedHashMap<>();
        artifactIds.forEach((path, a) -> byArtifact.put(a, path));
        for (String path : artifactIds.keySet()) {
            Set<String> deps = new LinkedHashSet<>();
            Element project = pom(repo.resolve(path).resolve("pom.xml")).getDocumentElement();
            Element dependencies = child(project, "dependencies");
            if (dependencies != null) {
                for (Element d : children(dependencies, "dependency")) {
                    String g = text(d, "groupId");
                    String a = text(d, "artifactId");
                    if ((groupId.equals(g) || "${project.groupId}".equals(g)) && byArtifact.containsKey(a)) {
                        deps.add(byArtifact.get(a));
                    }
                }
            }
            dependsOn.put(path, deps);
        }
    }

    Set<String> modules() {
        return artifactIds.keySet();
    }

    /** Every module {@code module} needs from the reactor, directly or not. */
    Set<String> upstream(String module) {
        Set<String> out = new LinkedHashSet<>();
        Deque<String> todo = new ArrayDeque<>(dependsOn.getOrDefault(module, Set.of()));
        while (!todo.isEmpty()) {
            String m = todo.pop();
            if (out.add(m)) {
                todo.addAll(dependsOn.getOrDefault(m, Set.of()));
            }
        }
        return out;
    }

    /** Whether a test class of that simple name exists in the module's test sources. */
    boolean hasTestClass(String module, String simpleName) {
        Path tests = repo.resolve(module).resolve("src/test/java");
        if (!Files.isDirectory(tests)) {
            return false;
        }
        try (var files = Files.walk(tests)) {
            return files.anyMatch(p -> p.getFileName().toString().equals(simpleName + ".java"));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static Document pom(Path file) {
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            return f.newDocumentBuilder().parse(file.toFile());
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Element child(Element parent, String name) {
        for (Node n = parent.getFirstChild(); n != null; n = n.getNextSibling()) {
            if (n instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static List<Element> children(Element parent, String name) {
        List<Element> out = new java.util.ArrayList<>();
        if (parent == null) {
            return out;
        }
        NodeList all = parent.getChildNodes();
        for (int i = 0; i < all.getLength(); i++) {
            if (all.item(i) instanceof Element e && e.getTagName().equals(name)) {
                out.add(e);
            }
        }
        return out;
    }

    private static String text(Element parent, String name) {
        Element e = child(parent, name);
        return e == null ? null : e.getTextContent().trim();
    }
}
