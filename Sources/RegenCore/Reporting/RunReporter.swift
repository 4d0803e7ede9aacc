import Dispatch
import Documents
import FoundationEssentials
import Glibc
import Synchronization

/// Shows a run while it goes: a progress bar on standard error when that is a terminal
/// (`[████░░░░░░] 40% (8/20) 4.2s`, updated in place), JSON Lines events on standard output with
/// `--json`, or nothing until the summary.
final class RunReporter: RunObserver {
    enum Style: Sendable {
        case silent
        /// The bar; `color` paints its filled part (off under `NO_COLOR`).
        case bar(color: Bool)
        case jsonLines
    }

    private struct State {
        var done = 0
        var failed = 0
        var lastDraw: UInt64 = 0
        var drawn = false
        var closed = false
        /// JSON Lines not yet written, and when they last were.
        var pending = ""
        var lastFlush: UInt64 = 0
    }

    let style: Style
    let total: Int
    private let start: UInt64
    private let state = Mutex(State())
    private let output: @Sendable (String) -> Void
    private let errors: @Sendable (String) -> Void
    /// Redraws the bar so that its clock moves while long items run.
    // nonisolated(unsafe): set once in init; DispatchSource objects are thread-safe, only their
    // protocol is not marked Sendable.
    private nonisolated(unsafe) let ticker: DispatchSourceTimer?

    /// The bar is redrawn at most this often (every item of a 2,000-config build would be wasted).
    static let redrawNanoseconds: UInt64 = 100_000_000
    /// JSON Lines are written at most this long after they happen, in one write: a write per
    /// event, under the lock that keeps lines whole, held the render slots back.
    static let flushNanoseconds: UInt64 = 50_000_000

    init(total: Int, style: Style, output: @escaping @Sendable (String) -> Void = { var s = StandardStream.output; s.write($0) },
         errors: @escaping @Sendable (String) -> Void = { var s = StandardStream.error; s.write($0) }) {
        self.total = total
        self.style = style
        self.output = output
        self.errors = errors
        start = DispatchTime.now().uptimeNanoseconds
        switch style {
        case .silent:
            ticker = nil
        case .bar:
            ticker = DispatchSource.makeTimerSource(queue: .global())
            ticker?.schedule(deadline: .now() + .milliseconds(250), repeating: .milliseconds(250))
            ticker?.setEventHandler { @Sendable [weak self] in self?.draw(force: true) }
        case .jsonLines:
            let period = Int(Self.flushNanoseconds / 1_000_000)
            ticker = DispatchSource.makeTimerSource(queue: .global())
            ticker?.schedule(deadline: .now() + .milliseconds(period), repeating: .milliseconds(period))
            ticker?.setEventHandler { @Sendable [weak self] in self?.flush(force: true) }
        }
        ticker?.resume()
    }

    /// The style for this process: events with `--json`; the bar when standard error is a
    /// terminal (`TERM` not `dumb`), painted unless `NO_COLOR` is set; else nothing.
    static func style(json: Bool, environment: [String: String] = ProcessInfo.processInfo.environment) -> Style {
        if json { return .jsonLines }
        guard isatty(2) == 1, environment["TERM"] != "dumb" else { return .silent }
        let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
        return .bar(color: !noColor)
    }

    var elapsed: Double { Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }

    func started(_ scheduled: ScheduledItem) {
        guard case .jsonLines = style else { return }
        var fields = Self.itemFields(scheduled.item)
        fields.append(("tier", .text(scheduled.tier.rawValue)))
        fields.append(("chunk", .number(scheduled.chunk + 1)))
        emit("started", fields)
    }

    func finished(_ scheduled: ScheduledItem, _ result: ItemResult) {
        var itemEvent: String?
        if case .jsonLines = style {
            var fields = Self.itemFields(scheduled.item)
            switch result.status {
            case .failed(let diagnostic):
                fields += [("error", .diagnostic(diagnostic)), ("message", .text(diagnostic.message)),
                           ("seconds", .number(result.seconds))]
                itemEvent = Self.line("failed", fields)
            case .written, .unchanged, .rendered:
                fields += [("status", .text(BuildReport.statusName(result.status))), ("bytes", .number(result.bytes)),
                           ("seconds", .number(result.seconds))]
                itemEvent = Self.line("finished", fields)
            }
        }
        // Counted and queued under one lock: items finish on several threads at once, and a count
        // taken in one critical section and queued in the next could go out after a later one
        // (the last progress event saying 2 of 3, or a finished event after 3 of 3).
        let done = state.withLock { state -> Int in
            state.done += 1
            if result.failure != nil { state.failed += 1 }
            if let itemEvent {
                state.pending += itemEvent + Self.line("progress", [("done", .number(state.done)), ("total", .number(total)),
                                                                    ("failed", .number(state.failed)), ("seconds", .number(elapsed))])
                write(&state, force: false)
            }
            return state.done
        }
        if case .bar = style { draw(force: done == total) }
    }

    /// Ends the display: the bar's line is cleared so that the summary starts on a clean line;
    /// with `--json`, the summary event is printed.
    func close(_ report: BuildReport) {
        ticker?.cancel()
        let wasDrawn = state.withLock { state -> Bool in
            state.closed = true
            return state.drawn
        }
        switch style {
        case .silent: return
        case .bar: if wasDrawn { errors("\r\u{1B}[K") }
        case .jsonLines:
            flush(force: true)
            output(report.summaryEvent.jsonText + "\n")
        }
    }

    /// `[████░░░░░░] 40% (8/20) 4.2s`, over the line the bar is on.
    static func bar(done: Int, total: Int, seconds: Double, color: Bool, width: Int = 20) -> String {
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        let filled = min(width, Int((fraction * Double(width)).rounded(.down)))
        let full = String(repeating: "█", count: filled), empty = String(repeating: "░", count: width - filled)
        let cells = color ? "\u{1B}[32m\(full)\u{1B}[0m\(empty)" : full + empty
        return "[\(cells)] \(Int((fraction * 100).rounded(.down)))% (\(done)/\(total)) " + String(cFormat: "%.1fs", seconds)
    }

    private func draw(force: Bool) {
        guard case .bar(let color) = style else { return }
        let now = DispatchTime.now().uptimeNanoseconds
        let line = state.withLock { state -> String? in
            guard !state.closed, force || now - state.lastDraw >= Self.redrawNanoseconds else { return nil }
            state.lastDraw = now
            state.drawn = true
            return "\r" + Self.bar(done: state.done, total: total, seconds: Double(now - start) / 1e9, color: color) + "\u{1B}[K"
        }
        if let line { errors(line) }
    }

    /// Lines are written whole and in order, so that they never interleave: the first at once,
    /// then together every `flushNanoseconds`.
    private func emit(_ event: String, _ fields: [(String, Document)]) {
        let line = Self.line(event, fields)
        state.withLock { state in
            state.pending += line
            write(&state, force: false)
        }
    }

    private static func line(_ event: String, _ fields: [(String, Document)]) -> String {
        Document.record([("event", .text(event))] + fields).jsonText + "\n"
    }

    private func flush(force: Bool) {
        state.withLock { write(&$0, force: force) }
    }

    private func write(_ state: inout State, force: Bool) {
        let now = DispatchTime.now().uptimeNanoseconds
        guard !state.pending.isEmpty, force || now - state.lastFlush >= Self.flushNanoseconds else { return }
        output(state.pending)
        state.pending = ""
        state.lastFlush = now
    }

    static func itemFields(_ item: BuildItem) -> [(String, Document)] {
        [("id", .text(item.config.id)),
         ("variant", item.target.variant.map { .number($0) } ?? .text(nil)),
         ("output", .text(item.target.output))]
    }
}
