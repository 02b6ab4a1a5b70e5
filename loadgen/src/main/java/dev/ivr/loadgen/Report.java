package dev.ivr.loadgen;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * Writes a run's results: CSV, PNGs of latency, CPU and memory against the load, Markdown
 * tables (each plateau side by side; ivr against the stock server at equal load; the highest
 * load held with p99 under the bound).
 */
public final class Report {
    /** The p99 bound of "held" (20 ms), microseconds. */
    static final long P99_BOUND_MICROS = 20_000;

    private Report() {
    }

    public static void csv(List<StepResult> rows, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(StepResult.CSV_HEADER);
        rows.forEach(r -> lines.add(r.csv()));
        Files.write(file, lines);
    }

    /** Reads back a {@link #csv} file, to draw the plots and tables again. */
    public static List<StepResult> readCsv(Path file) throws IOException {
        List<StepResult> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        String[] header = lines.getFirst().split(",", -1);
        for (String line : lines.subList(1, lines.size())) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split(",", -1);
            Map<String, String> row = new HashMap<>();
            for (int i = 0; i < header.length && i < f.length; i++) {
                row.put(header[i], f[i]);
            }
            rows.add(StepResult.fromCsv(row));
        }
        return rows;
    }

    /** Every plateau, one row each, ordered as measured. */
    public static String markdown(List<StepResult> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| server | calls | reached | failed | commands/s | p50 ms | p99 ms | p99.9 ms | max ms "
                + "| in-server p50 / p99 ms | server CPU % | CPU ms per 1,000 commands | of which JIT compilers | heap/call KB | RSS/call KB "
                + "| threads | load generator lag p99 / max ms | load average | other processes' CPU % |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StepResult r : rows) {
            sb.append(String.format(Locale.ROOT, "| %s | %,d | %,d | %s | %,.0f | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n",
                    r.server(), r.target(), r.reached(), failedText(r), r.commandsPerSecond(), ms(r.p50Micros()),
                    ms(r.p99Micros()), ms(r.p999Micros()), ms(r.maxMicros()), inServer(r), pct(r.serverCpuPercent()),
                    num(r.cpuMillisPer1000Commands()), num(r.jitMillisPer1000Commands()), kb(r.heapPerCall()), kb(r.rssPerCall()), count(r.threads()),
                    lag(r), r.loadAverage() < 0 ? "-" : String.format(Locale.ROOT, "%.1f", r.loadAverage()),
                    pct(r.otherCpuPercent())));
        }
        return sb.toString();
    }

    /**
     * ivr against a reference server at the same number of calls: ratios of CPU per 1,000
     * commands, p99, heap and resident memory per call (ivr ÷ reference; under 1 is ivr's advantage).
     */
    public static String ratios(List<StepResult> rows, String ivr, String reference) {
        Map<Integer, StepResult> a = byTarget(rows, ivr);
        Map<Integer, StepResult> b = byTarget(rows, reference);
        StringBuilder sb = new StringBuilder();
        sb.append("| calls | CPU per 1,000 commands: ").append(ivr).append(" / ").append(reference)
                .append(" | p99 | heap per call | RSS per call |\n|---:|---|---|---|---|\n");
        for (var e : a.entrySet()) {
            StepResult x = e.getValue();
            StepResult y = b.get(e.getKey());
            if (y == null) {
                continue;
            }
            sb.append(String.format(Locale.ROOT, "| %,d | %s | %s | %s | %s |%n", e.getKey(),
                    ratio(x.cpuMillisPer1000Commands(), y.cpuMillisPer1000Commands(), "%.0f / %.0f ms"),
                    ratio(x.p99Micros() / 1000.0, y.p99Micros() / 1000.0, "%.2f / %.2f ms"),
                    ratio(x.heapPerCall() / 1024.0, y.heapPerCall() / 1024.0, "%.1f / %.1f KB"),
                    ratio(x.rssPerCall() / 1024.0, y.rssPerCall() / 1024.0, "%.1f / %.1f KB")));
        }
        return sb.toString();
    }

    /** Per server: the highest number of calls held with p99 ≤ 20 ms and no failure, and the lowest that was not. */
    public static String ceilings(List<StepResult> rows) {
        Map<String, List<StepResult>> byServer = byServer(rows);
        StringBuilder sb = new StringBuilder("| server | most calls held (p99 ≤ 20 ms, none failed) | first level not held | levels measured |\n"
                + "|---|---:|---:|---|\n");
        byServer.forEach((server, rs) -> {
            CeilingSearch s = new CeilingSearch(List.of(), 1, Integer.MAX_VALUE, 0, 1, Integer.MAX_VALUE);
            rs.forEach(r -> s.result(r.target(), r.holds(P99_BOUND_MICROS)));
            StringBuilder levels = new StringBuilder();
            rs.stream().map(StepResult::target).distinct().sorted().forEach(l -> levels.append(levels.isEmpty() ? "" : ", ")
                    .append(String.format(Locale.ROOT, "%,d", l)).append(rs.stream().filter(r -> r.target() == l)
                            .allMatch(r -> r.holds(P99_BOUND_MICROS)) ? " ✓" : " ✗"));
            sb.append(String.format(Locale.ROOT, "| %s | %s | %s | %s |%n", server,
                    s.highestHeld() < 0 ? "none" : String.format(Locale.ROOT, "%,d", s.highestHeld()),
                    s.lowestFailed() < 0 ? "none up to the highest measured" : String.format(Locale.ROOT, "%,d", s.lowestFailed()),
                    levels));
        });
        return sb.toString();
    }

    /** The call-setup ramp: each rate of new calls offered, what started, and the response times. */
    public static String setupMarkdown(List<StepResult> rows) {
        StringBuilder sb = new StringBuilder("| new calls/s offered | started/s | calls in progress | failed | p50 ms | p99 ms "
                + "| p99.9 ms | max ms | in-server p99 ms | server CPU % | load generator lag p99 / max ms | other processes' CPU % |\n"
                + "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StepResult r : rows) {
            sb.append(String.format(Locale.ROOT, "| %,d | %.1f | %,d | %s | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.target(),
                    r.callsPerSecond(), r.reached(), failedText(r), ms(r.p50Micros()), ms(r.p99Micros()), ms(r.p999Micros()),
                    ms(r.maxMicros()), r.serverP99Micros() < 0 ? "-" : "≤ " + bound(r.serverP99Micros()),
                    pct(r.serverCpuPercent()), lag(r), pct(r.otherCpuPercent())));
        }
        return sb.toString();
    }

    private static Map<Integer, StepResult> byTarget(List<StepResult> rows, String server) {
        Map<Integer, StepResult> m = new java.util.TreeMap<>();
        rows.stream().filter(r -> r.server().equals(server)).forEach(r -> m.put(r.target(), r));
        return m;
    }

    private static Map<String, List<StepResult>> byServer(List<StepResult> rows) {
        Map<String, List<StepResult>> m = new LinkedHashMap<>();
        rows.forEach(r -> m.computeIfAbsent(r.server(), k -> new ArrayList<>()).add(r));
        return m;
    }

    private static String ratio(double a, double b, String format) {
        if (a < 0 || b <= 0) {
            return "-";
        }
        return String.format(Locale.ROOT, "**%.2f×** (" + format + ")", a / b, a, b);
    }

    private static String failedText(StepResult r) {
        if (r.failed() == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%,d (", r.failed()));
        r.failures().entrySet().stream().sorted(Map.Entry.comparingByKey())
                .forEach(e -> sb.append(e.getKey()).append(' ').append(e.getValue()).append(", "));
        sb.setLength(sb.length() - 2);
        return sb.append(')').toString();
    }

    /** The server's own histogram: each figure is the upper bound of its bucket. */
    private static String inServer(StepResult r) {
        if (r.serverP99Micros() < 0) {
            return "-";
        }
        return "≤ " + bound(r.serverP50Micros()) + " / ≤ " + bound(r.serverP99Micros());
    }

    private static String lag(StepResult r) {
        return r.lagP99Micros() < 0 ? "-" : ms(r.lagP99Micros()) + " / " + ms(r.lagMaxMicros());
    }

    private static String bound(long micros) {
        return micros == Long.MAX_VALUE ? "∞" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    private static String ms(long micros) {
        return micros < 0 ? "-" : String.format(Locale.ROOT, "%.2f", micros / 1000.0);
    }

    private static String kb(long bytes) {
        return bytes < 0 ? "-" : String.format(Locale.ROOT, "%.1f", bytes / 1024.0);
    }

    private static String pct(double p) {
        return p < 0 ? "-" : String.format(Locale.ROOT, "%.0f", p);
    }

    private static String num(double x) {
        return x < 0 ? "-" : String.format(Locale.ROOT, "%.0f", x);
    }

    private static String count(long n) {
        return n < 0 ? "-" : String.format(Locale.ROOT, "%,d", n);
    }

    private static final Color[] COLORS = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd)};

    /** Three panels against calls in progress, one line per server: p99 (and p50), CPU per 1,000 commands, heap per call. */
    public static void png(List<StepResult> rows, Path file) throws IOException {
        XYChart latency = chart("Response time per AGI command (PBX side)", "calls in progress", "ms", true);
        XYChart cpu = chart("Server CPU per 1,000 commands", "calls in progress", "ms", true);
        XYChart memory = chart("Heap per call in progress (after full GC)", "calls in progress", "KB", true);
        int i = 0;
        for (Map.Entry<String, List<StepResult>> e : byServer(rows).entrySet()) {
            List<StepResult> ok = new ArrayList<>(byTarget(e.getValue(), e.getKey()).values().stream()
                    .filter(r -> r.reached() > 0 && r.p99Micros() >= 0).toList());
            if (ok.isEmpty()) {
                continue;
            }
            Color c = COLORS[i++ % COLORS.length];
            series(latency, e.getKey() + " p99", ok, r -> r.p99Micros() / 1000.0, c, SeriesMarkers.CIRCLE, false);
            series(latency, e.getKey() + " p50", ok, r -> r.p50Micros() / 1000.0, c.brighter(), SeriesMarkers.DIAMOND, true);
            List<StepResult> inServer = ok.stream()
                    .filter(r -> r.serverP99Micros() >= 0 && r.serverP99Micros() != Long.MAX_VALUE).toList();
            if (!inServer.isEmpty()) {
                series(latency, e.getKey() + " p99 in server (bucket bound)", inServer, r -> r.serverP99Micros() / 1000.0,
                        c.darker(), SeriesMarkers.SQUARE, false);
            }
            List<StepResult> withCpu = ok.stream().filter(r -> r.cpuMillisPer1000Commands() >= 0).toList();
            if (!withCpu.isEmpty()) {
                series(cpu, e.getKey(), withCpu, StepResult::cpuMillisPer1000Commands, c, SeriesMarkers.CIRCLE, false);
            }
            series(memory, e.getKey(), ok, r -> Math.max(0, r.heapPerCall()) / 1024.0, c, SeriesMarkers.CIRCLE, false);
        }
        sideBySide(file, latency, cpu, memory);
    }

    /** The call-setup ramp: p99 and p50 against new calls per second offered, with the 20 ms bound. */
    public static void setupPng(List<StepResult> rows, Path file) throws IOException {
        XYChart latency = chart("Call setup: response time per AGI command", "new calls per second", "ms", false);
        List<StepResult> ok = new ArrayList<>(rows.stream().filter(r -> r.p99Micros() >= 0)
                .sorted(java.util.Comparator.comparingInt(StepResult::target)).toList());
        if (!ok.isEmpty()) {
            series(latency, "p99", ok, r -> r.p99Micros() / 1000.0, COLORS[0], SeriesMarkers.CIRCLE, false);
            series(latency, "p50", ok, r -> r.p50Micros() / 1000.0, COLORS[0].brighter(), SeriesMarkers.DIAMOND, true);
            double[] x = {ok.getFirst().target(), ok.getLast().target()};
            var bound = latency.addSeries("20 ms", x, new double[]{20, 20});
            bound.setLineColor(Color.GRAY);
            bound.setMarker(SeriesMarkers.NONE);
        }
        XYChart cpu = chart("Call setup: server CPU", "new calls per second", "% of one CPU", false);
        if (!ok.isEmpty()) {
            series(cpu, "server", ok, StepResult::serverCpuPercent, COLORS[1], SeriesMarkers.CIRCLE, false);
            series(cpu, "load generator", ok, StepResult::loadgenCpuPercent, COLORS[2], SeriesMarkers.DIAMOND, true);
        }
        sideBySide(file, latency, cpu);
    }

    private static void series(XYChart chart, String name, List<StepResult> rows, ToDoubleFunction<StepResult> y, Color c,
                               org.knowm.xchart.style.markers.Marker marker, boolean dashed) {
        var s = chart.addSeries(name, rows.stream().mapToDouble(StepResult::target).toArray(),
                rows.stream().mapToDouble(y).toArray());
        s.setLineColor(c);
        s.setMarkerColor(c);
        s.setMarker(marker);
        if (dashed) {
            s.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[]{6f, 4f}, 0f));
        }
    }

    /** Charts next to each other in one PNG. */
    private static void sideBySide(Path file, XYChart... charts) throws IOException {
        List<BufferedImage> images = new ArrayList<>();
        for (XYChart c : charts) {
            images.add(BitmapEncoder.getBufferedImage(c));
        }
        int width = images.stream().mapToInt(BufferedImage::getWidth).sum();
        int height = images.stream().mapToInt(BufferedImage::getHeight).max().orElse(1);
        BufferedImage out = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        int x = 0;
        for (BufferedImage img : images) {
            g.drawImage(img, x, 0, null);
            x += img.getWidth();
        }
        g.dispose();
        javax.imageio.ImageIO.write(out, "png", file.toFile());
    }

    /**
     * The soak's plot: heap after full GC and resident memory (MB), threads and open files, against
     * minutes elapsed; flat lines are the point.
     */
    public static void soakPng(List<double[]> samples, Path file) throws IOException {
        // each sample: minutes, heap MB, RSS MB, threads, open files
        double[] x = samples.stream().mapToDouble(r -> r[0]).toArray();
        XYChart memory = soakChart("Server memory during the soak", "MB");
        memory.addSeries("heap after full GC", x, samples.stream().mapToDouble(r -> r[1]).toArray()).setMarker(SeriesMarkers.CIRCLE);
        memory.addSeries("resident (RSS)", x, samples.stream().mapToDouble(r -> r[2]).toArray()).setMarker(SeriesMarkers.DIAMOND);
        XYChart os = soakChart("Server threads and file descriptors", "count");
        os.addSeries("threads", x, samples.stream().mapToDouble(r -> r[3]).toArray()).setMarker(SeriesMarkers.CIRCLE);
        os.addSeries("open files", x, samples.stream().mapToDouble(r -> r[4]).toArray()).setMarker(SeriesMarkers.DIAMOND);
        sideBySide(file, memory, os);
    }

    /** The legend goes under the plot, never over it: inside the plot it hid data points (issue 18, defect 9). */
    private static void legendBelow(XYChart c) {
        c.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        c.getStyler().setLegendLayout(Styler.LegendLayout.Vertical);
    }

    static XYChart soakChart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(520).title(title).xAxisTitle("minutes").yAxisTitle(yTitle).build();
        legendBelow(c);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    static XYChart chart(String title, String xTitle, String yTitle, boolean logX) {
        XYChart c = new XYChartBuilder().width(560).height(600).title(title).xAxisTitle(xTitle).yAxisTitle(yTitle).build();
        legendBelow(c);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisLogarithmic(logX);
        c.getStyler().setXAxisDecimalPattern("#,###");
        return c;
    }
}
