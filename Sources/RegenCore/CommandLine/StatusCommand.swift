import Documents

/// `regen status [--json]`: what the daemon of this project is doing.
enum StatusCommand {
    static let usage = """
        usage: regen status [--json] [--project DIR]
          Shows the running daemon: pid, uptime, watched folders, queued and running items, the
          last run and current errors. Exit status 1 when no daemon runs.
        """

    /// The control socket of the project at `root` (`state:` of its watch.yaml, `.regen` when
    /// that does not read).
    static func socketPath(root: String) -> String {
        let settings = (try? Project.loadSettings(root: root)) ?? ProjectSettings()
        return root + "/" + settings.state + "/" + ControlSocket.fileName
    }

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: ["--json"], options: [ProjectOptions.option])
        guard scanner.positional.isEmpty else { throw UsageError("status takes no arguments") }
        let root = ProjectPath.absolute(scanner.value(ProjectOptions.option) ?? ".")
        let json = scanner.flag("--json")
        let response: Document
        do {
            response = try ControlClient.request(ControlProtocol.status, socket: socketPath(root: root))
        } catch ControlClient.Failure.noDaemon {
            if json {
                output.write(Document.record([("ok", .bool(true, Mark(line: 0, column: 0))),
                                              ("running", .bool(false, Mark(line: 0, column: 0))),
                                              ("project", .text(root))]).jsonText + "\n")
            } else {
                output.write("no daemon is running for \(root)\n")
            }
            return 1
        } catch {
            throw Diagnostic("regen status: \(error)")
        }
        if json {
            output.write(response.jsonText + "\n")
            return 0
        }
        output.write(text(response))
        return 0
    }

    static func text(_ status: Document) -> String {
        func int(_ key: String) -> Int { if case .int(let value, _)? = status[key] { return value } else { return 0 } }
        func strings(_ key: String, in document: Document? = nil) -> [String] {
            guard case .array(let items, _)? = (document ?? status)[key] else { return [] }
            return items.compactMap(\.stringValue)
        }
        var uptime = 0.0
        if case .float(let value, _)? = status["uptime_s"] { uptime = value }
        var lines = ["daemon pid \(int("pid")) watching \(status["project"]?.stringValue ?? "?")",
                     "up \(Int(uptime)) s, \(int("watched_folders")) folders, \(int("configs")) configs, \(int("runs")) runs"]
        let queued = strings("queued"), running = strings("running")
        lines.append("queued: \(queued.isEmpty ? "nothing" : DaemonLog.list(queued, limit: 10))")
        lines.append("running: \(running.isEmpty ? "nothing" : DaemonLog.list(running, limit: 10))")
        if let last = status["last_run"], case .object = last {
            var seconds = 0.0
            if case .float(let value, _)? = last["seconds"] { seconds = value }
            var failed = 0
            if case .int(let value, _)? = last["failed"] { failed = value }
            lines.append("last run: \(last["reason"]?.stringValue ?? "?") → \(strings("written", in: last).count) written, "
                         + "\(failed) failed in \(DaemonLog.milliseconds(seconds))")
        }
        if case .array(let failing, _)? = status["failing"], !failing.isEmpty {
            lines.append("failing:")
            for item in failing { lines.append("  \(item["item"]?.stringValue ?? "?"): \(item["error"]?["message"]?.stringValue ?? "")") }
        }
        if case .array(let errors, _)? = status["errors"], !errors.isEmpty {
            lines.append("errors:")
            for error in errors {
                var place = error["file"]?.stringValue ?? ""
                if case .int(let line, _)? = error["line"], case .int(let column, _)? = error["column"] { place += ":\(line):\(column)" }
                lines.append("  \(place.isEmpty ? "" : place + ": ")\(error["message"]?.stringValue ?? "")")
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }
}
