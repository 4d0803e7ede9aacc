import Dispatch

/// What `build`, `check`, `batch` and `retry` share once they know their items: run them on the
/// executor with progress (a bar on a terminal, JSON Lines events with `--json`), print the
/// summary, and save the run for `regen retry`.
enum RunPresenter {
    /// Returns the exit status: 2 when configuration is broken, 1 when an item failed, else 0.
    static func run(_ project: Project, items: [BuildItem], missing: [ItemResult], mode: Builder.Mode, json: Bool,
                    command: String?, skipped: Int = 0, started: UInt64 = DispatchTime.now().uptimeNanoseconds,
                    output: inout some TextOutputStream,
                    recordResults: (([ItemResult]) -> Void)? = nil) -> Int32 {
        let reporter = RunReporter(total: items.count, style: RunReporter.style(json: json))
        let runStart = DispatchTime.now().uptimeNanoseconds
        let results = missing + Builder.run(project, items: items, mode: mode, observer: reporter)
        recordResults?(results)
        let now = DispatchTime.now().uptimeNanoseconds
        let report = BuildReport(results: results, problems: project.problems, seconds: Double(now - started) / 1e9,
                                 skipped: skipped, runSeconds: Double(now - runStart) / 1e9)
        reporter.close(report)
        var standardError = StandardStream.error
        standardError.write(report.failureDiagnostics)
        if !json { output.write(report.text(checking: mode == .check)) }
        if let command {
            do {
                try LastRun(command: command, report: report).save(project)
            } catch {
                standardError.write("\(error)\n")
            }
        }
        return report.exitStatus
    }
}
