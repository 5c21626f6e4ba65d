package dev.bakecache.jobs.bench.report;

import dev.bakecache.engine.bench.BenchReport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

/** Writes report.html, report.md and report.json into a directory, each atomically. */
public final class ReportFiles {

    public static final String HTML = "report.html";
    public static final String MARKDOWN = "report.md";
    public static final String JSON = "report.json";

    private ReportFiles() {
    }

    /** @return the files written */
    public static List<Path> write(BenchReport report, Path dir) throws IOException {
        Files.createDirectories(dir);
        return List.of(write(dir.resolve(HTML), HtmlReport.render(report)),
                write(dir.resolve(MARKDOWN), MarkdownReport.render(report)),
                write(dir.resolve(JSON), ReportJson.write(report)));
    }

    private static Path write(Path file, String content) throws IOException {
        Path partial = file.resolveSibling(file.getFileName() + ".partial");
        Files.writeString(partial, content);
        return Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
