import Documents

/// The outcome of a build or check, as people read it and as programs read it (`--json`).
struct BuildReport {
    var results: [ItemResult]
    var problems: [Diagnostic]
    /// Wall time of the whole run.
    var seconds: Double
    /// Items not run at all because their outputs were up to date (their configs may not even
    /// have been read, so only the count is known).
    var skipped = 0
    /// Wall time of the items alone, from the first submitted to the last finished (no loading).
    var runSeconds: Double = 0

    /// Counted by index: `filter` would copy every result, and with it every config it names.
    func count(_ wanted: (ItemResult.Status) -> Bool) -> Int {
        var total = 0
        for index in results.indices where wanted(results[index].status) { total += 1 }
        return total
    }
    var written: Int { count { if case .written = $0 { return true } else { return false } } }
    var unchanged: Int { count { if case .unchanged = $0 { return true } else { return false } } }
    var rendered: Int { count { if case .rendered = $0 { return true } else { return false } } }
    var failed: Int { count { if case .failed = $0 { return true } else { return false } } }
    var succeeded: Int { results.count - failed }
    /// The sum of the items' own times: what one slot would have taken.
    var itemSeconds: Double { results.reduce(0) { $0 + $1.seconds } }
    /// The sum of item times over the wall time: how much the slots gained.
    var speedup: Double { seconds > 0 ? itemSeconds / seconds : 1 }

    /// 2 when configuration is broken, 1 when an item failed, else 0 (DESIGN.md).
    var exitStatus: Int32 { !problems.isEmpty ? 2 : failed > 0 ? 1 : 0 }

    /// Lines for standard output: what was written, what failed, then one summary line. The
    /// failures' diagnostics, with the source line and caret, go to standard error separately.
    func text(checking: Bool) -> String {
        var lines: [String] = []
        for result in results {
            switch result.status {
            case .written: lines.append("wrote  \(result.item?.target.output ?? "") (\(Self.size(result.bytes)))")
            case .failed(let diagnostic): lines.append("failed \(result.item?.name ?? "-"): \(Self.summary(diagnostic, result.item))")
            default: continue
            }
        }
        var parts: [String] = checking ? ["\(rendered) rendered"] : ["\(written) written", "\(unchanged) unchanged"]
        parts.append("\(failed) failed")
        if skipped > 0 { parts.append("\(skipped) skipped as up to date") }
        if !problems.isEmpty { parts.append("\(problems.count) config\(problems.count == 1 ? "" : "s") unreadable") }
        var summary = parts.joined(separator: ", ") + " in " + String(cFormat: "%.2f s", seconds)
        if !results.isEmpty { summary += String(cFormat: " (items %.2f s, speedup %.1f×)", itemSeconds, speedup) }
        lines.append(summary)
        return lines.joined(separator: "\n") + "\n"
    }

    /// `812 bytes`, `4.2 kB`, `1.3 MB`.
    static func size(_ bytes: Int) -> String {
        if bytes < 1_000 { return "\(bytes) byte\(bytes == 1 ? "" : "s")" }
        if bytes < 1_000_000 { return String(cFormat: "%.1f kB", Double(bytes) / 1e3) }
        return String(cFormat: "%.1f MB", Double(bytes) / 1e6)
    }

    static func statusName(_ status: ItemResult.Status) -> String {
        switch status {
        case .written: return "written"
        case .unchanged: return "unchanged"
        case .rendered: return "rendered"
        case .failed: return "failed"
        }
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

    /// The last JSON Lines event of a run: the counts, each failure with its message, the wall
    /// time, the sum of item times and the speedup, the files written with their sizes, the
    /// outputs left unchanged, the items skipped as up to date, and every item.
    var summaryEvent: Document {
        func identity(_ item: BuildItem?) -> [(String, Document)] {
            [("id", .text(item?.config.id)), ("variant", item?.target.variant.map { .number($0) } ?? .text(nil)),
             ("output", .text(item?.target.output))]
        }
        let items: [Document] = results.map { result in
            .record(identity(result.item) + [
                ("status", .text(Self.statusName(result.status))),
                ("error", result.failure.map { .diagnostic($0) } ?? .text(nil)),
                ("bytes", .number(result.bytes)),
                ("seconds", .number(result.seconds)),
            ])
        }
        let failures: [Document] = results.compactMap { result in
            result.failure.map { .record(identity(result.item) + [("message", .text($0.message)), ("error", .diagnostic($0))]) }
        }
        let files: [Document] = results.compactMap { result in
            guard case .written = result.status else { return nil }
            return .record([("path", .text(result.item?.target.output)), ("bytes", .number(result.bytes))])
        }
        let unchangedOutputs: [Document] = results.compactMap { result in
            guard case .unchanged = result.status else { return nil }
            return .text(result.item?.target.output)
        }
        return .record([
            ("event", .text("summary")),
            ("succeeded", .number(succeeded)), ("failed", .number(failed)),
            ("written", .number(written)), ("unchanged", .number(unchanged)), ("rendered", .number(rendered)),
            ("skipped", .number(skipped)),
            ("seconds", .number(seconds)), ("run_seconds", .number(runSeconds)), ("item_seconds", .number(itemSeconds)),
            ("speedup", .number(speedup)),
            ("failures", .list(failures)), ("files", .list(files)), ("unchanged_outputs", .list(unchangedOutputs)),
            ("problems", .list(problems.map { .diagnostic($0) })), ("items", .list(items)),
        ])
    }
}
