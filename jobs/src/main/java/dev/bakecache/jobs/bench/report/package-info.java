/**
 * The bench job's reports: report.html, report.md and report.json rendered from the engine's
 * {@link dev.bakecache.engine.bench.BenchReport}. The engine measures and returns plain records;
 * how the numbers are worded, charted and laid out is the job's business, so it lives here and
 * the engine library carries no HTML, SVG or Markdown.
 */
package dev.bakecache.jobs.bench.report;
