package dev.ivr.server.docs;

import dev.ivr.server.flow.load.FlowReference;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/** The README and the guides in docs/: short README, links that resolve, generated pages current. */
class DocsTest {
    static final Path REPO = Path.of("..").toAbsolutePath().normalize();
    static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");
    /** Written by the architecture work on its own branch (issue 15); linked from the developers' guide. */
    static final Set<String> COMING = Set.of("docs/architecture.md");

    static List<Path> pages() throws IOException {
        List<Path> out = new ArrayList<>(List.of(REPO.resolve("README.md")));
        try (Stream<Path> s = Files.list(REPO.resolve("docs"))) {
            s.filter(p -> p.toString().endsWith(".md")).sorted().forEach(out::add);
        }
        return out;
    }

    /** GitHub's anchor of a heading. */
    static String slug(String heading) {
        return heading.strip().toLowerCase(Locale.ROOT).replaceAll("[`*]", "").replaceAll("[^\\p{L}\\p{N}\\- _]", "")
                .replace(' ', '-');
    }

    static Set<String> anchors(Path page) throws IOException {
        Set<String> out = new HashSet<>();
        boolean code = false;
        for (String line : Files.readAllLines(page)) {
            if (line.startsWith("```")) {
                code = !code;
            } else if (!code && line.matches("^#{1,6} .*")) {
                out.add(slug(line.replaceFirst("^#+ ", "")));
            }
        }
        return out;
    }

    @Test
    void theReadmeIsShortWithTheTwoCommandsAndATour() throws IOException {
        List<String> readme = Files.readAllLines(REPO.resolve("README.md"));
        assertThat(readme.size()).as("README lines").isLessThan(120);
        assertThat(String.join("\n", readme)).contains("./ivr run", "./ivr test", "## A five-minute tour", "### Without Asterisk",
                "### With Asterisk", "docs/flow-designers.md", "docs/pbx-admins.md", "docs/supervisors-and-agents.md",
                "docs/operators.md", "docs/developers.md");
        // no heading twice in a page (the old README had Try it, HTTP API, Configuration, Tests twice each at one level)
        for (Path p : pages()) {
            List<String> h2 = Files.readAllLines(p).stream().filter(l -> l.startsWith("## ")).toList();
            assertThat(h2).as(p + ": second-level headings").doesNotHaveDuplicates();
        }
    }

    @Test
    void everyRelativeLinkResolves() throws IOException {
        List<String> broken = new ArrayList<>();
        for (Path page : pages()) {
            boolean code = false;
            int n = 0;
            for (String line : Files.readAllLines(page)) {
                n++;
                if (line.startsWith("```")) {
                    code = !code;
                }
                if (code) {
                    continue;
                }
                Matcher m = LINK.matcher(line);
                while (m.find()) {
                    String target = m.group(1);
                    if (target.matches("^[a-z]+:.*")) {
                        continue;
                    }
                    String file = target.contains("#") ? target.substring(0, target.indexOf('#')) : target;
                    String anchor = target.contains("#") ? target.substring(target.indexOf('#') + 1) : null;
                    Path resolved = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
                    if (COMING.contains(REPO.relativize(resolved).toString())) {
                        continue;
                    }
                    if (!Files.exists(resolved)) {
                        broken.add(REPO.relativize(page) + ":" + n + ": " + target + " (no such file)");
                    } else if (anchor != null && resolved.toString().endsWith(".md") && !anchors(resolved).contains(anchor)) {
                        broken.add(REPO.relativize(page) + ":" + n + ": " + target + " (no such heading)");
                    }
                }
            }
        }
        assertThat(broken).isEmpty();
    }

    /** docs/flow-reference.md is generated: ./ivr flow-reference > docs/flow-reference.md */
    @Test
    void theFlowReferenceIsCurrentAndCoversEveryNodeType() throws IOException {
        String md = FlowReference.markdown();
        assertThat(Files.readString(REPO.resolve("docs/flow-reference.md")))
                .as("docs/flow-reference.md is stale: run ./ivr flow-reference > docs/flow-reference.md").isEqualTo(md);
        for (String type : List.of("say", "menu", "collect", "listen", "route", "authenticate", "hangup")) {
            assertThat(md).contains("\n### " + type + "\n");
        }
    }

    /** Issue 18 (15): the README listed 4 of the 6 components of /health. */
    @Test
    void theDocsNameEveryHealthComponent() throws IOException {
        String server = Files.readString(REPO.resolve("ivr-server/src/main/java/dev/ivr/server/IvrServer.java"));
        Matcher m = Pattern.compile("register\\(\"([a-z]+)\"").matcher(server);
        Set<String> components = new HashSet<>();
        while (m.find()) {
            components.add(m.group(1));
        }
        assertThat(components).contains("agi", "database", "hazelcast", "tts");
        String ops = Files.readString(REPO.resolve("docs/operators.md"));
        for (String c : components) {
            assertThat(ops).as("docs/operators.md names the /health component " + c).contains("`" + c + "`");
        }
    }
}
