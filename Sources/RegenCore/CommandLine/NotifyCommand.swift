import Documents

/// `regen notify PATH… [--wait]`: an editor's save hook. Tells the running daemon that these
/// files changed; without a daemon, regenerates their dependents here and now.
enum NotifyCommand {
    static let usage = """
        usage: regen notify PATH... [--wait] [--json] [--project DIR]
          Tells the daemon that the files at PATH changed (paths as the shell sees them). With
          --wait, returns when the regeneration they cause is over (exit 1 if an item failed).
          Without a running daemon, regenerates their dependents in this process.
        """

    static func run(_ arguments: [String], output: inout some TextOutputStream) throws -> Int32 {
        let scanner = try ArgumentScanner(arguments, flags: ["--wait", "--json"], options: [ProjectOptions.option])
        guard !scanner.positional.isEmpty else { throw UsageError("give the paths that changed") }
        let root = ProjectPath.absolute(scanner.value(ProjectOptions.option) ?? ".")
        let paths = scanner.positional.map { ProjectPath.absolute($0) }
        let wait = scanner.flag("--wait")
        do {
            let response = try ControlClient.request(ControlProtocol.notify(paths: paths, wait: wait),
                                                     socket: StatusCommand.socketPath(root: root), timeout: nil)
            if scanner.flag("--json") { output.write(response.jsonText + "\n") }
            if case .bool(false, _)? = response["ok"] {
                var errors = StandardStream.error
                errors.write("regen notify: error: \(response["error"]?.stringValue ?? "the daemon refused the request")\n")
                return 2
            }
            guard wait else { return 0 }
            if !scanner.flag("--json") { output.write(summary(response)) }
            if case .int(let failed, _)? = response["failed"], failed > 0 {
                var errors = StandardStream.error
                if case .array(let failures, _)? = response["failures"] {
                    for failure in failures { errors.write("failed \(failure["id"]?.stringValue ?? "?"): \(failure["message"]?.stringValue ?? "")\n") }
                }
                return 1
            }
            return 0
        } catch ControlClient.Failure.noDaemon {
            return try inProcess(scanner, paths: paths, output: &output)
        } catch {
            throw Diagnostic("regen notify: \(error)")
        }
    }

    /// `wrote 2, 1 unchanged, 0 failed in 12 ms`
    static func summary(_ response: Document) -> String {
        func int(_ key: String) -> Int { if case .int(let value, _)? = response[key] { return value } else { return 0 } }
        var written: [String] = []
        if case .array(let items, _)? = response["written"] { written = items.compactMap(\.stringValue) }
        var seconds = 0.0
        if case .float(let value, _)? = response["seconds"] { seconds = value }
        var text = written.map { "wrote  \($0)\n" }.joined()
        text += "\(written.count) written, \(int("unchanged")) unchanged, \(int("failed")) failed"
        text += " in " + DaemonLog.milliseconds(seconds) + " (by the daemon)\n"
        return text
    }

    /// No daemon: the dependents of the paths, rendered here, the state updated as `regen build`
    /// updates it.
    static func inProcess(_ scanner: ArgumentScanner, paths: [String], output: inout some TextOutputStream) throws -> Int32 {
        let project = try ProjectOptions.load(scanner)
        let index = DependencyIndex.build(project: project)
        var ids: Set<String> = []
        var standardError = StandardStream.error
        for path in paths {
            guard let relative = ProjectPath.relative(path, to: project.root) else {
                standardError.write("regen notify: warning: \(path) is not inside the project \(project.root); ignored\n")
                continue
            }
            ids.formUnion(index.dependents(ofPath: relative))
        }
        guard !ids.isEmpty else {
            output.write("nothing depends on \(paths.count == 1 ? paths[0] : "these files")\n")
            return 0
        }
        let (items, missing) = Builder.items(project, ids: ids.sorted())
        var incremental = IncrementalBuild(project: project)
        if let warning = incremental.warning { standardError.write("warning: \(warning)\n") }
        incremental.prepare(items)
        return RunPresenter.run(project, items: items, missing: missing, mode: .write, json: scanner.flag("--json"),
                                command: "build", output: &output) { results in
            do {
                try incremental.save(after: results)
            } catch {
                standardError.write("warning: cannot save the build state: \(error)\n")
            }
        }
    }
}
