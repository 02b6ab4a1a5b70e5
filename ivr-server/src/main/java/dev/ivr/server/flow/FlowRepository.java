package dev.ivr.server.flow;

import dev.ivr.server.flow.hours.Calendars;
import dev.ivr.server.flow.load.FlowCompiler;
import dev.ivr.server.flow.load.FlowLoader;
import dev.ivr.server.flow.model.Flow;
import dev.ivr.server.flow.model.FlowSet;
import dev.ivr.server.flow.yaml.Problem;
import dev.ivr.server.prompt.PromptCatalog;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The flows the server serves, reloaded without a restart. Each reload reads the directory
 * again (flows, prompt catalogs, calendars) and builds a new {@link FlowSet}: a valid file
 * replaces its flow; an invalid edit is refused with its problems in the log and in
 * {@link #statuses()}, and the previous version keeps serving. Calls in progress keep the
 * snapshot they started with. A watcher thread reloads on file changes.
 */
public final class FlowRepository implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FlowRepository.class);

    private final FlowLoader.Sources sources;
    private final Clock clock;
    private final AtomicReference<FlowSet> current = new AtomicReference<>(FlowSet.empty());
    private final Map<String, FlowStatus> statuses = new LinkedHashMap<>();
    private volatile List<Problem> globalProblems = List.of();
    private WatchService watcher;
    private Thread watchThread;

    private FlowRepository(FlowLoader.Sources sources, Clock clock) {
        this.sources = sources;
        this.clock = clock;
    }

    /** Loads everything once (problems are logged, not thrown: the server serves what is valid). */
    public static FlowRepository open(FlowLoader.Sources sources, Clock clock) {
        FlowRepository r = new FlowRepository(sources, clock);
        r.reload();
        return r;
    }

    /** The snapshot new calls start on. */
    public FlowSet current() {
        return current.get();
    }

    public Optional<Flow> flow(String name) {
        return current().flow(name);
    }

    public synchronized List<FlowStatus> statuses() {
        return List.copyOf(statuses.values());
    }

    public synchronized Optional<FlowStatus> status(String name) {
        return Optional.ofNullable(statuses.get(name));
    }

    /** Problems of the prompt catalogs and calendars at the last reload. */
    public List<Problem> globalProblems() {
        return globalProblems;
    }

    /** Reads the directory again and swaps in what is valid. Returns the statuses after it. */
    public synchronized List<FlowStatus> reload() {
        FlowLoader.Loaded loaded = FlowLoader.load(sources);
        FlowSet old = current.get();
        List<Problem> global = new ArrayList<>(loaded.problems());
        PromptCatalog prompts = loaded.prompts();
        if (prompts == null) {
            LOG.error("prompt catalogs refused, keeping the previous ones:");
            global.stream().filter(Problem::isError).forEach(p -> LOG.error("  {}", p));
            prompts = old.prompts();
        }
        Calendars calendars = loaded.calendars();
        loaded.problems().stream().filter(p -> p.file().toString().equals(String.valueOf(sources.calendarsFile())))
                .forEach(p -> LOG.error("calendars: {}", p));
        globalProblems = List.copyOf(global);

        Map<String, Flow> flows = new LinkedHashMap<>();
        Map<String, FlowStatus> next = new LinkedHashMap<>();
        for (Map.Entry<String, FlowCompiler.Result> e : loaded.flows().entrySet()) {
            String name = e.getKey();
            FlowCompiler.Result r = e.getValue();
            Flow before = old.flows().get(name);
            FlowStatus prevStatus = statuses.get(name);
            String fileVersion = r.ok() ? r.flow().version() : YamlDocVersions.of(FlowLoader.flowFiles(sources.flowsDir()).get(name));
            if (r.ok()) {
                Flow f = r.flow();
                flows.put(name, f);
                boolean changed = before == null || !before.version().equals(f.version());
                next.put(name, new FlowStatus(name, f.version(), "ok", changed || prevStatus == null ? clock.instant()
                        : prevStatus.loadedAt(), f.version(), r.problems()));
                if (changed) {
                    LOG.info("flow '{}' loaded: version {}{} ({} nodes)", name, f.version(),
                            before == null ? "" : " (was " + before.version() + ")", f.nodes().size());
                }
                r.problems().forEach(p -> {
                    if (changed && p.severity() == Problem.Severity.NOTE) {
                        LOG.info("flow '{}': {}", name, p);
                    } else if (changed) {
                        LOG.warn("flow '{}': {}", name, p);
                    }
                });
            } else {
                boolean alreadyReported = prevStatus != null && "error".equals(prevStatus.state())
                        && prevStatus.problems().equals(r.problems());
                if (before != null) {
                    flows.put(name, before);
                    next.put(name, new FlowStatus(name, before.version(), "error", prevStatus == null ? clock.instant()
                            : prevStatus.loadedAt(), fileVersion, r.problems()));
                    if (!alreadyReported) {
                        LOG.error("flow '{}': edit refused, still serving version {}:", name, before.version());
                    }
                } else {
                    next.put(name, new FlowStatus(name, null, "error", null, fileVersion, r.problems()));
                    if (!alreadyReported) {
                        LOG.error("flow '{}' refused (not served):", name);
                    }
                }
                if (!alreadyReported) {
                    r.problems().forEach(p -> LOG.error("  {}", p));
                }
            }
        }
        for (String gone : old.flows().keySet()) {
            if (!loaded.flows().containsKey(gone)) {
                LOG.warn("flow '{}' removed: its file is gone; calls in progress finish on version {}", gone,
                        old.flows().get(gone).version());
            }
        }
        statuses.clear();
        statuses.putAll(next);
        current.set(new FlowSet(flows, prompts, calendars));
        return List.copyOf(statuses.values());
    }

    /** The version (hash) of a file on disk, without parsing it; null when unreadable or too large. */
    private static final class YamlDocVersions {
        static String of(Path file) {
            try {
                if (file == null || Files.size(file) > dev.ivr.server.flow.yaml.YamlDoc.MAX_BYTES) {
                    return null;
                }
                return dev.ivr.server.flow.yaml.YamlDoc.hash(Files.readString(file));
            } catch (IOException | RuntimeException e) {
                return null;
            }
        }
    }

    // ------------------------------------------------------------- watching

    /** Starts reloading on changes of the flows, prompts and calendars (a daemon thread). */
    public synchronized void watch() throws IOException {
        if (watcher != null) {
            return;
        }
        watcher = FileSystems.getDefault().newWatchService();
        register();
        watchThread = Thread.ofPlatform().daemon().name("flow-watcher").start(this::watchLoop);
        LOG.info("watching {} for flow changes", sources.flowsDir());
    }

    private void register() throws IOException {
        List<Path> dirs = new ArrayList<>();
        dirs.add(sources.flowsDir());
        if (sources.promptsDir() != null && Files.isDirectory(sources.promptsDir())) {
            dirs.add(sources.promptsDir());
            try (var s = Files.list(sources.promptsDir())) {
                s.filter(Files::isDirectory).forEach(dirs::add);
            }
        }
        if (sources.calendarsFile() != null && sources.calendarsFile().toAbsolutePath().getParent() != null) {
            dirs.add(sources.calendarsFile().toAbsolutePath().getParent());
        }
        for (Path d : dirs) {
            if (Files.isDirectory(d)) {
                d.register(watcher, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
            }
        }
    }

    private void watchLoop() {
        try {
            while (true) {
                WatchKey key = watcher.take();
                key.pollEvents();
                key.reset();
                // let an editor finish writing (several events per save), then reload once
                WatchKey more;
                while ((more = watcher.poll(200, TimeUnit.MILLISECONDS)) != null) {
                    more.pollEvents();
                    more.reset();
                }
                try {
                    register();
                    reload();
                } catch (RuntimeException | IOException e) {
                    LOG.error("reloading flows failed: {}", e.toString(), e);
                }
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // closing
        }
    }

    @Override
    public synchronized void close() {
        if (watcher != null) {
            try {
                watcher.close();
            } catch (IOException e) {
                // closing anyway
            }
            watchThread.interrupt();
            watcher = null;
        }
    }
}
