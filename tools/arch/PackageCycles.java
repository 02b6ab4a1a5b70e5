import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.spi.ToolProvider;

/**
 * Package-level dependency cycles in compiled classes: runs the JDK's jdeps (as a ToolProvider,
 * so the JDK that runs this file is the one used) with -verbose:class, folds the class edges
 * into package edges, finds strongly connected components with Tarjan's algorithm and prints
 * every component of more than one package with the class-level edges that hold it together.
 *
 * Usage: java PackageCycles.java [--include REGEX] [--dot FILE] CLASSES_DIR_OR_JAR...
 *   --include: packages to analyse (default dev\.ivr\..*); edges to other packages are ignored.
 *   --dot: also write the package graph (Graphviz) to FILE.
 * Exit code: 0 when no cycle is found, 1 otherwise (usable as a CI check).
 */
public class PackageCycles {
  // "   dev.ivr.a.Foo      -> dev.ivr.b.Bar     classes" (jdeps -verbose:class)
  static final Pattern EDGE = Pattern.compile("^\\s+(\\S+)\\s+->\\s+(\\S+)\\s+.*$");

  public static void main(String[] args) throws Exception {
    String include = "dev\\.ivr\\..*";
    String dot = null;
    List<String> inputs = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--include" -> include = args[++i];
        case "--dot" -> dot = args[++i];
        default -> inputs.add(args[i]);
      }
    }
    if (inputs.isEmpty()) {
      System.err.println("usage: java PackageCycles.java [--include REGEX] [--dot FILE] CLASSES...");
      System.exit(2);
    }
    ToolProvider jdeps = ToolProvider.findFirst("jdeps").orElseThrow();
    List<String> cmd = new ArrayList<>(List.of("-verbose:class", "-filter:none", "-e", include));
    cmd.addAll(inputs);
    StringWriter out = new StringWriter();
    int rc = jdeps.run(new PrintWriter(out), new PrintWriter(System.err), cmd.toArray(String[]::new));
    if (rc != 0) {
      System.err.println("jdeps failed: " + rc);
      System.exit(3);
    }
    Pattern inc = Pattern.compile(include);
    Map<String, Set<String>> graph = new TreeMap<>();
    Map<String, Set<String>> classEdges = new TreeMap<>(); // "pkgA -> pkgB" -> "A.Foo -> B.Bar"
    for (String line : out.toString().split("\n")) {
      Matcher m = EDGE.matcher(line);
      if (!m.matches()) continue;
      String from = outer(m.group(1)), to = outer(m.group(2));
      String pf = pkg(from), pt = pkg(to);
      if (!inc.matcher(pf).matches() || !inc.matcher(pt).matches()) continue;
      graph.computeIfAbsent(pf, k -> new TreeSet<>());
      graph.computeIfAbsent(pt, k -> new TreeSet<>());
      if (pf.equals(pt)) continue;
      graph.get(pf).add(pt);
      classEdges.computeIfAbsent(pf + " -> " + pt, k -> new TreeSet<>())
          .add(simple(from) + " -> " + simple(to));
    }
    List<List<String>> sccs = new Tarjan(graph).run();
    int edges = graph.values().stream().mapToInt(Set::size).sum();
    List<List<String>> cycles = sccs.stream().filter(c -> c.size() > 1).toList();
    System.out.printf("packages: %d, package edges: %d, package cycles (SCCs > 1): %d%n",
        graph.size(), edges, cycles.size());
    int n = 0;
    for (List<String> scc : cycles) {
      Set<String> members = new TreeSet<>(scc);
      System.out.printf("%ncycle %d: %d packages: %s%n", ++n, members.size(), String.join(", ", members));
      for (String p : members) {
        for (String q : graph.get(p)) {
          if (!members.contains(q)) continue;
          Set<String> why = classEdges.get(p + " -> " + q);
          System.out.printf("  %s -> %s  (%d class edges) e.g. %s%n", p, q, why.size(),
              String.join("; ", why.stream().limit(4).toList()) + (why.size() > 4 ? "; ..." : ""));
        }
      }
    }
    if (dot != null) {
      StringBuilder sb = new StringBuilder("digraph packages {\n  rankdir=BT;\n");
      for (var e : graph.entrySet())
        for (String q : e.getValue()) sb.append("  \"").append(e.getKey()).append("\" -> \"").append(q).append("\";\n");
      java.nio.file.Files.writeString(java.nio.file.Path.of(dot), sb.append("}\n"));
    }
    System.exit(cycles.isEmpty() ? 0 : 1);
  }

  static String outer(String cls) {
    int d = cls.indexOf('$');
    return d < 0 ? cls : cls.substring(0, d);
  }

  static String pkg(String cls) {
    int d = cls.lastIndexOf('.');
    return d < 0 ? "" : cls.substring(0, d);
  }

  static String simple(String cls) {
    return cls.substring(cls.lastIndexOf('.') + 1);
  }

  /** Tarjan's strongly connected components (iterative enough for package graphs). */
  static final class Tarjan {
    final Map<String, Set<String>> g;
    final Map<String, Integer> index = new HashMap<>(), low = new HashMap<>();
    final Deque<String> stack = new ArrayDeque<>();
    final Set<String> onStack = new java.util.HashSet<>();
    final List<List<String>> out = new ArrayList<>();
    int next = 0;

    Tarjan(Map<String, Set<String>> g) {
      this.g = g;
    }

    List<List<String>> run() {
      for (String v : g.keySet()) if (!index.containsKey(v)) connect(v);
      return out;
    }

    void connect(String v) {
      index.put(v, next);
      low.put(v, next++);
      stack.push(v);
      onStack.add(v);
      for (String w : g.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          connect(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        List<String> scc = new ArrayList<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          scc.add(w);
        } while (!w.equals(v));
        out.add(scc);
      }
    }
  }
}
