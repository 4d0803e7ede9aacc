import Documents
import Glibc

/// The daemon's log on standard output: one line per event on a terminal (or any plain output),
/// JSON Lines with `--json` (`started`, `change`, `run`, `error`, `stopped`; docs/daemon.md).
/// Full diagnostics (source line and caret) go to standard error in plain mode.
struct DaemonLog: Sendable {
    let json: Bool

    private static let nowhere = Mark(line: 0, column: 0)

    func emit(_ event: String, _ fields: [(String, Document)], text: @autoclosure () -> String?) {
        if json {
            var output = StandardStream.output
            output.write(Document.record([("event", .text(event))] + fields).jsonText + "\n")
        } else if let line = text() {
            var output = StandardStream.output
            output.write(Self.clock() + " " + line + "\n")
        }
    }

    func error(_ diagnostic: Diagnostic, context: String? = nil) {
        var fields: [(String, Document)] = [("error", .diagnostic(diagnostic)), ("message", .text(diagnostic.description))]
        if let context { fields.append(("context", .text(context))) }
        if json {
            emit("error", fields, text: nil)
        } else {
            var errors = StandardStream.error
            errors.write(Self.clock() + " " + (context.map { $0 + ": " } ?? "") + diagnostic.description + "\n")
        }
    }

    func error(_ message: String) { error(Diagnostic(message)) }

    static func bool(_ value: Bool) -> Document { .bool(value, nowhere) }
    static func strings(_ values: [String]) -> Document { .list(values.map { .text($0) }) }

    /// `14:02:31`
    static func clock() -> String {
        var now = time(nil)
        var parts = tm()
        localtime_r(&now, &parts)
        return String(cFormat: "%02d:%02d:%02d", parts.tm_hour, parts.tm_min, parts.tm_sec)
    }

    /// `templates/a.jinja`, `templates/a.jinja and 3 more`.
    static func list(_ items: [String], limit: Int = 3) -> String {
        guard items.count > limit else { return items.joined(separator: ", ") }
        return items.prefix(limit).joined(separator: ", ") + " and \(items.count - limit) more"
    }

    static func milliseconds(_ seconds: Double) -> String {
        seconds < 1 ? String(cFormat: "%.0f ms", seconds * 1000) : String(cFormat: "%.2f s", seconds)
    }
}
