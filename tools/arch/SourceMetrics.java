import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompilationUnitTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.Tree;
import com.sun.source.util.JavacTask;
import com.sun.source.util.SourcePositions;
import com.sun.source.util.TreePathScanner;
import com.sun.source.util.Trees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

/**
 * Largest classes and longest methods of a source tree, measured with javac's own parser
 * (com.sun.source tree API; parse only, no classpath needed).
 *
 * Usage: java SourceMetrics.java [--top N] [--all] DIR...
 *   DIR: source roots (e.g. ivr-server/src/main/java); every *.java under them is parsed.
 *   --all: list every class/method (tab-separated) instead of the top N.
 *
 * Lines are physical lines from the first to the last line of the declaration (Javadoc
 * excluded, annotations included), so a 1-line method counts 1. Classes are all type
 * declarations (top-level and nested; a nested class's lines count in its outer class too).
 * Methods are methods and constructors (lambda bodies count in their enclosing method).
 */
public class SourceMetrics {
  record Item(String kind, String name, String file, int line, int lines, boolean nested) {}

  public static void main(String[] args) throws IOException {
    int top = 15;
    boolean all = false;
    List<Path> roots = new ArrayList<>();
    for (int i = 0; i < args.length; i++) {
      switch (args[i]) {
        case "--top" -> top = Integer.parseInt(args[++i]);
        case "--all" -> all = true;
        default -> roots.add(Path.of(args[i]));
      }
    }
    if (roots.isEmpty()) {
      System.err.println("usage: java SourceMetrics.java [--top N] [--all] SRC_ROOT...");
      System.exit(2);
    }
    List<Path> files = new ArrayList<>();
    for (Path root : roots) {
      try (Stream<Path> s = Files.walk(root)) {
        s.filter(p -> p.toString().endsWith(".java")).sorted().forEach(files::add);
      }
    }
    JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
    List<Item> classes = new ArrayList<>();
    List<Item> methods = new ArrayList<>();
    try (StandardJavaFileManager fm = javac.getStandardFileManager(null, null, null)) {
      Iterable<? extends JavaFileObject> units = fm.getJavaFileObjectsFromPaths(files);
      JavacTask task = (JavacTask) javac.getTask(null, fm, null, List.of("-proc:none"), null, units);
      SourcePositions pos = Trees.instance(task).getSourcePositions();
      for (CompilationUnitTree cu : task.parse()) {
        String file = Path.of(cu.getSourceFile().toUri()).toString();
        String rel = relativize(roots, file);
        new TreePathScanner<Void, String>() {
          int lines(Tree t) {
            long start = pos.getStartPosition(cu, t);
            long end = pos.getEndPosition(cu, t);
            return (int) (cu.getLineMap().getLineNumber(end) - cu.getLineMap().getLineNumber(start) + 1);
          }

          int line(Tree t) {
            return (int) cu.getLineMap().getLineNumber(pos.getStartPosition(cu, t));
          }

          @Override
          public Void visitClass(ClassTree c, String outer) {
            String name = outer == null ? pkg(cu) + c.getSimpleName() : outer + "." + c.getSimpleName();
            if (c.getSimpleName().length() > 0) { // anonymous classes are not counted as classes
              classes.add(new Item("class", name, rel, line(c), lines(c), outer != null));
            }
            return super.visitClass(c, c.getSimpleName().length() > 0 ? name : outer);
          }

          @Override
          public Void visitMethod(MethodTree m, String owner) {
            if (m.getBody() != null) {
              String n = m.getName().contentEquals("<init>") ? "<init>" : m.getName().toString();
              methods.add(new Item("method", owner + "#" + n, rel, line(m), lines(m), true));
            }
            return super.visitMethod(m, owner);
          }
        }.scan(cu, null);
      }
    }
    Comparator<Item> bySize = Comparator.comparingInt(Item::lines).reversed().thenComparing(Item::name);
    classes.sort(bySize);
    methods.sort(bySize);
    if (all) {
      classes.forEach(SourceMetrics::tsv);
      methods.forEach(SourceMetrics::tsv);
      return;
    }
    System.out.printf("files parsed: %d, type declarations: %d, methods+constructors: %d%n", files.size(), classes.size(), methods.size());
    List<Integer> topLevel = classes.stream().filter(c -> !c.nested()).map(Item::lines).sorted().toList();
    System.out.printf("median top-level type: %d lines; median method: %d lines%n",
        topLevel.get(topLevel.size() / 2), methods.stream().map(Item::lines).sorted().toList().get(methods.size() / 2));
    System.out.printf("%n%d largest classes (lines of the declaration)%n", top);
    System.out.println("| lines | class | file:line |\n|---:|---|---|");
    classes.stream().limit(top).forEach(i -> System.out.printf("| %d | %s | %s:%d |%n", i.lines(), i.name(), i.file(), i.line()));
    System.out.printf("%n%d longest methods (lines of the declaration)%n", top);
    System.out.println("| lines | method | file:line |\n|---:|---|---|");
    methods.stream().limit(top).forEach(i -> System.out.printf("| %d | %s | %s:%d |%n", i.lines(), i.name(), i.file(), i.line()));
  }

  static void tsv(Item i) {
    System.out.printf("%s\t%d\t%s\t%s:%d%n", i.kind(), i.lines(), i.name(), i.file(), i.line());
  }

  static String pkg(CompilationUnitTree cu) {
    return cu.getPackageName() == null ? "" : cu.getPackageName() + ".";
  }

  static String relativize(List<Path> roots, String file) {
    Path cwd = Path.of("").toAbsolutePath();
    Path p = Path.of(file);
    return p.startsWith(cwd) ? cwd.relativize(p).toString() : file;
  }
}
