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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes a run's results: CSV, a PNG of latency and memory against concurrency, a Markdown table. */
public final class Report {
    private Report() {
    }

    public static void csv(List<StepResult> rows, Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        lines.add(StepResult.CSV_HEADER);
        rows.forEach(r -> lines.add(r.csv()));
        Files.write(file, lines);
    }

    /** Reads back a {@link #csv} file, to draw the plot and the table again. */
    public static List<StepResult> readCsv(Path file) throws IOException {
        List<StepResult> rows = new ArrayList<>();
        List<String> lines = Files.readAllLines(file);
        for (String line : lines.subList(1, lines.size())) {
            String[] f = line.split(",", -1);
            Map<String, Long> failures = new LinkedHashMap<>();
            if (!f[7].isEmpty()) {
                for (String kv : f[7].split(";")) {
                    String[] p = kv.split("=");
                    failures.put(p[0], Long.parseLong(p[1]));
                }
            }
            rows.add(new StepResult(f[0], Integer.parseInt(f[1]), Integer.parseInt(f[2]), Double.parseDouble(f[3]),
                    Long.parseLong(f[4]), Long.parseLong(f[5]), failures, Long.parseLong(f[8]), Long.parseLong(f[9]),
                    Long.parseLong(f[10]), Long.parseLong(f[11]), Long.parseLong(f[12]), Long.parseLong(f[13]),
                    Long.parseLong(f[14]), Long.parseLong(f[15]), Long.parseLong(f[16]), Long.parseLong(f[17]),
                    Long.parseLong(f[18]), f.length > 19 ? Long.parseLong(f[19]) : -1, f.length > 20 ? Long.parseLong(f[20]) : -1));
        }
        return rows;
    }

    public static String markdown(List<StepResult> rows) {
        StringBuilder sb = new StringBuilder();
        sb.append("| server | target calls | reached | calls/s | failed | p50 ms | p99 ms | p99.9 ms | max ms "
                + "| in-server p50 / p99 ms | heap/call KB | RSS/call KB |\n");
        sb.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        for (StepResult r : rows) {
            sb.append(String.format("| %s | %,d | %,d | %.0f | %s | %s | %s | %s | %s | %s | %s | %s |%n", r.server(),
                    r.target(), r.reached(), r.callsPerSecond(), failedText(r), ms(r.p50Micros()), ms(r.p99Micros()),
                    ms(r.p999Micros()), ms(r.maxMicros()), inServer(r), kb(r.heapPerCall()), kb(r.rssPerCall())));
        }
        return sb.toString();
    }

    private static String failedText(StepResult r) {
        if (r.failed() == 0) {
            return "0";
        }
        StringBuilder sb = new StringBuilder(String.format("%,d (", r.failed()));
        r.failures().forEach((k, v) -> sb.append(k).append(' ').append(v).append(", "));
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

    private static String bound(long micros) {
        return micros == Long.MAX_VALUE ? "∞" : String.format("%.2f", micros / 1000.0);
    }

    private static String ms(long micros) {
        return micros < 0 ? "-" : String.format("%.2f", micros / 1000.0);
    }

    private static String kb(long bytes) {
        return bytes < 0 ? "-" : String.format("%.1f", bytes / 1024.0);
    }

    /** Two panels: p99 (and p50) response time, and heap per call, against concurrent calls, one line per server. */
    public static void png(List<StepResult> rows, Path file) throws IOException {
        Map<String, List<StepResult>> byServer = new LinkedHashMap<>();
        rows.forEach(r -> byServer.computeIfAbsent(r.server(), k -> new ArrayList<>()).add(r));

        XYChart latency = chart("Server response time per AGI command", "ms");
        XYChart memory = chart("Heap per call in progress (after full GC)", "KB");
        Color[] colors = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c)};
        int i = 0;
        for (Map.Entry<String, List<StepResult>> e : byServer.entrySet()) {
            List<StepResult> ok = e.getValue().stream().filter(r -> r.reached() > 0 && r.p99Micros() >= 0).toList();
            if (ok.isEmpty()) {
                continue;
            }
            double[] x = ok.stream().mapToDouble(StepResult::reached).toArray();
            Color c = colors[i++ % colors.length];
            var p99 = latency.addSeries(e.getKey() + " p99", x, ok.stream().mapToDouble(r -> r.p99Micros() / 1000.0).toArray());
            p99.setLineColor(c);
            p99.setMarkerColor(c);
            p99.setMarker(SeriesMarkers.CIRCLE);
            var p50 = latency.addSeries(e.getKey() + " p50", x, ok.stream().mapToDouble(r -> r.p50Micros() / 1000.0).toArray());
            p50.setLineColor(c.brighter());
            p50.setMarkerColor(c.brighter());
            p50.setMarker(SeriesMarkers.DIAMOND);
            p50.setLineStyle(new java.awt.BasicStroke(1.5f, java.awt.BasicStroke.CAP_BUTT, java.awt.BasicStroke.JOIN_MITER,
                    10f, new float[]{6f, 4f}, 0f));
            List<StepResult> inServer = ok.stream()
                    .filter(r -> r.serverP99Micros() >= 0 && r.serverP99Micros() != Long.MAX_VALUE).toList();
            if (!inServer.isEmpty()) {
                var s = latency.addSeries(e.getKey() + " p99 in server (bucket bound)",
                        inServer.stream().mapToDouble(StepResult::reached).toArray(),
                        inServer.stream().mapToDouble(r -> r.serverP99Micros() / 1000.0).toArray());
                s.setLineColor(c.darker());
                s.setMarkerColor(c.darker());
                s.setMarker(SeriesMarkers.SQUARE);
            }
            var mem = memory.addSeries(e.getKey(), x, ok.stream().mapToDouble(r -> Math.max(0, r.heapPerCall()) / 1024.0).toArray());
            mem.setLineColor(c);
            mem.setMarkerColor(c);
            mem.setMarker(SeriesMarkers.CIRCLE);
        }
        sideBySide(latency, memory, file);
    }

    /** Two charts next to each other in one PNG. */
    private static void sideBySide(XYChart left, XYChart right, Path file) throws IOException {
        BufferedImage a = BitmapEncoder.getBufferedImage(left);
        BufferedImage b = BitmapEncoder.getBufferedImage(right);
        BufferedImage out = new BufferedImage(a.getWidth() + b.getWidth(), Math.max(a.getHeight(), b.getHeight()),
                BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.drawImage(a, 0, 0, null);
        g.drawImage(b, a.getWidth(), 0, null);
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
        sideBySide(memory, os, file);
    }

    private static XYChart soakChart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("minutes").yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideSW);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setYAxisMin(0.0);
        return c;
    }

    private static XYChart chart(String title, String yTitle) {
        XYChart c = new XYChartBuilder().width(640).height(420).title(title).xAxisTitle("concurrent calls")
                .yAxisTitle(yTitle).build();
        c.getStyler().setLegendPosition(Styler.LegendPosition.InsideNW);
        c.getStyler().setChartBackgroundColor(Color.WHITE);
        c.getStyler().setPlotBackgroundColor(Color.WHITE);
        c.getStyler().setXAxisLogarithmic(true);
        c.getStyler().setXAxisDecimalPattern("#,###");
        return c;
    }
}
