import Documents

/// The outcome of a build or check, as people read it and as programs read it (`--json`).
struct BuildReport {
    var results: [ItemResult]
    var problems: [Diagnostic]
    var seconds: Double
    /// Items left alone because they were up to date.
    var skipped = 0

    func count(_ wanted: (ItemResult.Status) -> Bool) -> Int { results.filter { wanted($0.status) }.count }
    var written: Int { count { if case .written = $0 { return true } else { return false } } }
    var unchanged: Int { count { if case .unchanged = $0 { return true } else { return false } } }
    var rendered: Int { count { if case .rendered = $0 { return true } else { return false } } }
    var failed: Int { results.filter { $0.failure != nil }.count }

    /// 2 when configuration is broken, 1 when an item failed, else 0 (DESIGN.md).
    var exitStatus: Int32 { !problems.isEmpty ? 2 : failed > 0 ? 1 : 0 }

    /// Lines for standard output: what was written, what failed, then one summary line. The
    /// failures' diagnostics, with the source line and caret, go to standard error separately.
    func text(checking: Bool) -> String {
        var lines: [String] = []
        for result in results {
            switch result.status {
            case .written: lines.append("wrote  \(result.item?.target.output ?? "")")
            case .failed(let diagnostic): lines.append("failed \(result.item?.name ?? "-"): \(Self.summary(diagnostic, result.item))")
            default: continue
            }
        }
        var parts: [String] = checking ? ["\(rendered) rendered"] : ["\(written) written", "\(unchanged) unchanged"]
        parts.append("\(failed) failed")
        if skipped > 0 { parts.append("\(skipped) skipped (up to date)") }
        if !problems.isEmpty { parts.append("\(problems.count) config\(problems.count == 1 ? "" : "s") unreadable") }
        lines.append(parts.joined(separator: ", ") + " in " + String(format: "%.2f s", seconds))
        return lines.joined(separator: "\n") + "\n"
    }

    /// A failure in one line: its message, after its place when that is not the config itself
    /// (a data file, a template).
    static func summary(_ failure: Diagnostic, _ item: BuildItem?) -> String {
        guard let item, let file = failure.file, file != item.config.file else { return failure.message }
        return failure.location + failure.message
    }

    /// The diagnostics of the failed items, for standard error, each followed by the config it
    /// failed when it points elsewhere.
    var failureDiagnostics: String {
        results.compactMap { result -> String? in
            guard let failure = result.failure else { return nil }
            guard let item = result.item, failure.file != item.config.file else { return "\(failure)\n" }
            return "\(failure)\nnote: while building \(item.name) (\(item.config.file))\n"
        }.joined()
    }

    var json: Document {
        let items: [Document] = results.map { result in
            let status: String
            switch result.status {
            case .written: status = "written"
            case .unchanged: status = "unchanged"
            case .rendered: status = "rendered"
            case .failed: status = "failed"
            }
            return .record([
                ("id", .text(result.item?.config.id)),
                ("variant", result.item?.target.variant.map { .number($0) } ?? .text(nil)),
                ("output", .text(result.item?.target.output)),
                ("status", .text(status)),
                ("error", result.failure.map { .diagnostic($0) } ?? .text(nil)),
                ("seconds", .number(result.seconds)),
            ])
        }
        return .record([
            ("written", .number(written)), ("unchanged", .number(unchanged)), ("rendered", .number(rendered)),
            ("failed", .number(failed)), ("skipped", .number(skipped)), ("seconds", .number(seconds)),
            ("problems", .list(problems.map { .diagnostic($0) })), ("items", .list(items)),
        ])
    }
}
