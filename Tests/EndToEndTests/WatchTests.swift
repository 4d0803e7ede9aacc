import Foundation
import Glibc
import Testing

/// `regen watch --json` as a real process on a temporary project, with the real kernel: every
/// test edits files the way people and tools do and waits for the daemon's JSON events and the
/// outputs (generous timeouts, no fixed sleeps). Serialized: each test runs a daemon, and some
/// stop one with SIGSTOP or count events.
@Suite(.serialized) struct WatchTests {
    static func project() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("watch.yaml", "watch:\n  settle_ms: 20\n")
        try sandbox.write("templates/partials/head.jinja", "head:")
        try sandbox.write("templates/page.jinja", "{% include 'partials/head.jinja' %}{{ title }}\n")
        try sandbox.write("templates/other.jinja", "other {{ title }}\n")
        try sandbox.write("configs/a.json", #"{"template": "page.jinja", "context": {"title": "A"}, "output": "a.md"}"#)
        try sandbox.write("configs/b.json", #"{"template": "other.jinja", "context": {"title": "B"}, "output": "b.md"}"#)
        return sandbox
    }

    static func errors(_ daemon: WatchDaemon) -> [[String: Any]] { daemon.events("error") }

    @Test func startsWithACatchUpAndStopsCleanlyOnSIGTERM() throws {
        let sandbox = try Self.project()
        let daemon = try WatchDaemon(sandbox)
        #expect(sandbox.read("output/a.md") == "head:A\n")
        #expect(sandbox.read("output/b.md") == "other B\n")
        let started = try #require(daemon.events("started").first)
        #expect((started["watched_folders"] as? Int ?? 0) >= 3, "\(started)")
        #expect(sandbox.exists(".regen/daemon.sock"))
        #expect(daemon.stop() == 0)
        #expect(!sandbox.exists(".regen/daemon.sock"))
        #expect(sandbox.exists(".regen/build-state"))
        #expect(daemon.wait(for: "stopped"))
        // The state is what `regen build` reads: nothing is out of date.
        let build = try RegenProcess.run(["build"], in: sandbox.path)
        #expect(build.output.contains("0 written, 0 unchanged, 0 failed, 2 skipped"), "\(build.all)")
    }

    @Test func catchesUpOnWhatChangedWhileItWasNotRunning() throws {
        let sandbox = try Self.project()
        _ = try RegenProcess.run(["build"], in: sandbox.path)
        try sandbox.write("templates/other.jinja", "other, edited while no daemon ran {{ title }}\n")
        let daemon = try WatchDaemon(sandbox)
        let catchUp = try #require(daemon.runs().first)
        #expect(catchUp["written"] as? [String] == ["b.md"], "\(catchUp)")
        #expect(catchUp["items"] as? Int == 1)
        #expect(daemon.stop() == 0)
        // --once: catch up and exit, with build's exit status.
        try sandbox.write("templates/page.jinja", "{{ title }} again\n")
        let once = try RegenProcess.run(["watch", "--once", "--json"], in: sandbox.path)
        #expect(once.status == 0, "\(once.all)")
        #expect(once.output.contains("\"written\": [\"a.md\"]"), "\(once.output)")
        #expect(sandbox.read("output/a.md") == "A again\n")
        try sandbox.write("templates/page.jinja", "{{ missing_variable }}\n")
        let failing = try RegenProcess.run(["watch", "--once"], in: sandbox.path)
        #expect(failing.status == 1, "\(failing.all)")
    }

    enum EditorSave: String, CaseIterable, Sendable {
        case inPlace, vim, emacs, jetBrains, sedInPlace
    }

    /// Each editor's sequence of system calls, replayed (sed is the real one).
    @Test(arguments: EditorSave.allCases)
    func everyEditorsSaveEndsInTheNewOutput(_ editor: EditorSave) throws {
        let sandbox = try Self.project()
        let daemon = try WatchDaemon(sandbox)
        let file = "templates/other.jinja"
        let new = "other v2 {{ title }}\n"
        switch editor {
        case .inPlace:
            try sandbox.write(file, new)
        case .vim:
            try sandbox.write("templates/4913", "")
            try sandbox.remove("templates/4913")
            try sandbox.write("templates/.other.jinja.swp", "swap")
            try sandbox.move(file, to: file + "~")
            try sandbox.write(file, new)
            try sandbox.remove(file + "~")
            try sandbox.remove("templates/.other.jinja.swp")
        case .emacs:
            try sandbox.link("templates/.#other.jinja", to: "user@host.1234:1700000000")
            try sandbox.write("templates/#other.jinja#", new)
            try sandbox.move(file, to: file + "~")
            try sandbox.write(file, new)
            try sandbox.remove("templates/#other.jinja#")
            try sandbox.remove("templates/.#other.jinja")
        case .jetBrains:
            try sandbox.write(file + "___jb_tmp___", new)
            try sandbox.move(file, to: file + "___jb_old___")
            try sandbox.move(file + "___jb_tmp___", to: file)
            try sandbox.remove(file + "___jb_old___")
        case .sedInPlace:
            #expect(try sandbox.shell("sed -i 's/other /other v2 /' \(file)") == 0)
        }
        #expect(daemon.waitForContent("output/b.md", "other v2 B\n"), "\(daemon.log)\n\(daemon.stderr)")
        #expect(daemon.waitForWrite("b.md", after: 1) != nil)
        #expect(Self.errors(daemon).isEmpty, "\(daemon.log)")
        // Editor leftovers are never inputs: no run names them.
        let named = daemon.events("change").flatMap { ($0["changed"] as? [String]) ?? [] }
        #expect(named.allSatisfy { $0 == file }, "\(named)")
        #expect(sandbox.read("output/a.md") == "head:A\n")
        #expect(daemon.stop() == 0)
    }

    @Test func aTouchOrASaveOfTheSameBytesRegeneratesNothing() throws {
        let sandbox = try Self.project()
        let daemon = try WatchDaemon(sandbox)
        let before = sandbox.modificationTime("output/b.md")
        #expect(try sandbox.shell("touch templates/other.jinja") == 0)
        // The same bytes over the old ones, not truncated first: between a truncating save's open
        // and its write the file is empty, and when the test is descheduled there for longer than
        // settle_ms (a loaded machine), the daemon rightly sees a change, and then another.
        let same = Array("other {{ title }}\n".utf8)
        let descriptor = open(sandbox.path + "/templates/other.jinja", O_WRONLY | O_CLOEXEC)
        #expect(pwrite(descriptor, same, same.count, 0) == same.count)
        close(descriptor)
        #expect(daemon.wait { events in
            events.contains { ($0["unchanged"] as? [String])?.contains("templates/other.jinja") == true }
        }, "\(daemon.log)")
        // A real change afterwards is the next run: nothing ran for the touch.
        try sandbox.write("templates/page.jinja", "{% include 'partials/head.jinja' %}{{ title }}!\n")
        #expect(daemon.waitForWrite("a.md", after: 1) != nil, "\(daemon.log)")
        #expect(daemon.runs(after: 1).count == 1, "\(daemon.log)")
        #expect(daemon.runs(after: 1).first?["changed"] as? [String] == ["templates/page.jinja"])
        let after = sandbox.modificationTime("output/b.md")
        #expect(before?.tv_sec == after?.tv_sec && before?.tv_nsec == after?.tv_nsec)
        #expect(daemon.stop() == 0)
    }

    @Test func aNewTemplateInNewFoldersMadeWithMkdirP() throws {
        let sandbox = try Self.project()
        try sandbox.write("configs/deep.json", #"{"template": "x/y/z/deep.jinja", "context": {"title": "D"}, "output": "deep.md"}"#)
        let daemon = try WatchDaemon(sandbox)
        let catchUp = try #require(daemon.runs().first)
        #expect((catchUp["failed"] as? [[String: Any]])?.count == 1, "\(catchUp)")
        #expect(try sandbox.shell("mkdir -p templates/x/y/z && printf 'deep {{ title }}\\n' > templates/x/y/z/deep.jinja") == 0)
        #expect(daemon.waitForContent("output/deep.md", "deep D\n"), "\(daemon.log)\n\(daemon.stderr)")
        // And the new folders are watched: a later edit there is seen too.
        try sandbox.write("templates/x/y/z/deep.jinja", "deeper {{ title }}\n")
        #expect(daemon.waitForContent("output/deep.md", "deeper D\n"), "\(daemon.log)")
        #expect(daemon.stop() == 0)
    }

    @Test func aFolderOfTemplatesMovedOutAndBackIn() throws {
        let sandbox = try Self.project()
        try sandbox.write("templates/set/one.jinja", "one {{ title }}\n")
        try sandbox.write("templates/set/two.jinja", "two {{ title }}\n")
        try sandbox.write("configs/one.json", #"{"template": "set/one.jinja", "context": {"title": "1"}, "output": "one.md"}"#)
        try sandbox.write("configs/two.json", #"{"template": "set/two.jinja", "context": {"title": "2"}, "output": "two.md"}"#)
        let daemon = try WatchDaemon(sandbox)
        let outside = try Sandbox()
        try sandbox.move("templates/set", to: outside.path + "/set")
        // Both dependents fail (their template is gone) and say so.
        #expect(daemon.wait { _ in
            let failed = daemon.runs(after: 1).flatMap { ($0["failed"] as? [[String: Any]]) ?? [] }
            return Set(failed.compactMap { $0["id"] as? String }) == ["one", "two"]
        }, "\(daemon.log)")
        let failingRuns = daemon.runs().count
        try FileManager.default.moveItem(atPath: outside.path + "/set", toPath: sandbox.path + "/templates/set")
        try sandbox.write("templates/set/one.jinja", "one, back {{ title }}\n")
        #expect(daemon.waitForContent("output/one.md", "one, back 1\n"), "\(daemon.log)")
        // An item writes its output before its run is logged: until then the last run is a failing one.
        #expect(daemon.waitForWrite("one.md", after: failingRuns) != nil, "\(daemon.log)")
        #expect(sandbox.read("output/two.md") == "two 2\n")
        #expect(daemon.events("run").last.map { ($0["failed"] as? [[String: Any]])?.isEmpty == true } == true, "\(daemon.log)")
        #expect(daemon.stop() == 0)
    }

    @Test func aTemplateDeletedThenCreatedAgain() throws {
        let sandbox = try Self.project()
        let daemon = try WatchDaemon(sandbox)
        try sandbox.remove("templates/other.jinja")
        #expect(daemon.wait { _ in
            daemon.runs(after: 1).contains { (($0["failed"] as? [[String: Any]]) ?? []).contains { $0["id"] as? String == "b" } }
        }, "\(daemon.log)")
        let failingRuns = daemon.runs().count
        try sandbox.write("templates/other.jinja", "other, reborn {{ title }}\n")
        #expect(daemon.waitForContent("output/b.md", "other, reborn B\n"), "\(daemon.log)")
        // The output is written before the daemon takes the item's result in: until its run is
        // logged, status may still name b as failing.
        #expect(daemon.waitForWrite("b.md", after: failingRuns) != nil, "\(daemon.log)")
        // The daemon is still fine: status answers and names no failing item.
        let status = try RegenProcess.run(["status", "--json"], in: sandbox.path)
        #expect(status.status == 0, "\(status.all)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        #expect((json["failing"] as? [Any])?.isEmpty == true, "\(json)")
        #expect(daemon.stop() == 0)
    }

    /// 500 templates, each with its config; a branch that changes all of them.
    static func bigRepository() throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("watch.yaml", "watch:\n  settle_ms: 20\n")
        try sandbox.write(".gitignore", "output/\n.regen/\n")
        for index in 0..<500 {
            let name = String(format: "t%03d", index)
            try sandbox.write("templates/\(name).jinja", "\(name) {{ n }} main\n")
            try sandbox.write("configs/\(name).json", "{\"template\": \"\(name).jinja\", \"context\": {\"n\": \(index)}, \"output\": \"\(name).md\"}")
        }
        let git = "git -c user.email=t@e -c user.name=t"
        #expect(try sandbox.shell("git init -q -b main . && \(git) add -A && \(git) commit -qm main") == 0)
        #expect(try sandbox.shell("git checkout -q -b other") == 0)
        for index in 0..<500 {
            let name = String(format: "t%03d", index)
            try sandbox.write("templates/\(name).jinja", "\(name) {{ n }} other branch\n")
        }
        #expect(try sandbox.shell("\(git) commit -qam other && git checkout -q main") == 0)
        return sandbox
    }

    /// The outputs the daemon left, then those of a clean `regen build --all`: the same.
    static func expectSameAsCleanBuild(_ sandbox: Sandbox, sourceLocation: SourceLocation = #_sourceLocation) throws {
        let daemonOutputs = sandbox.tree("output")
        try sandbox.remove("output")
        let build = try RegenProcess.run(["build", "--all"], in: sandbox.path)
        #expect(build.status == 0, "\(build.all)", sourceLocation: sourceLocation)
        #expect(daemonOutputs == sandbox.tree("output"), sourceLocation: sourceLocation)
    }

    @Test func fiveHundredFilesChangedByAGitCheckout() throws {
        let sandbox = try Self.bigRepository()
        let daemon = try WatchDaemon(sandbox)
        #expect(sandbox.read("output/t499.md") == "t499 499 main\n")
        #expect(try sandbox.shell("git checkout -q other") == 0)
        #expect(daemon.wait(timeout: 60) { _ in
            daemon.runs(after: 1).reduce(0) { $0 + (($1["written"] as? [String])?.count ?? 0) } == 500
        }, "\(daemon.log.suffix(2000))")
        #expect(sandbox.read("output/t000.md") == "t000 0 other branch\n")
        #expect(sandbox.read("output/t499.md") == "t499 499 other branch\n")
        // git writes while it holds index.lock: the whole checkout is one batch, one run.
        #expect(daemon.runs(after: 1).count == 1, "\(daemon.runs(after: 1).map { $0["items"] ?? 0 })")
        #expect(daemon.stop() == 0)
        try Self.expectSameAsCleanBuild(sandbox)
    }

    /// More events than the kernel queue holds: the daemon is stopped (SIGSTOP) while more than
    /// `fs.inotify.max_queued_events` events happen, so the queue overflows for certain, without
    /// lowering a limit that every other test's watchers share.
    @Test func aQueueOverflowEndsInTheOutputsOfACleanBuild() throws {
        let sandbox = try Self.bigRepository()
        let daemon = try WatchDaemon(sandbox)
        let limit = Int((try? String(contentsOfFile: "/proc/sys/fs/inotify/max_queued_events", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "") ?? 16384
        kill(daemon.pid, SIGSTOP)
        var resumed = false
        defer { if !resumed { kill(daemon.pid, SIGCONT) } }
        // SIGSTOP takes effect asynchronously: wait until the process is really stopped, so that
        // its reader thread cannot drain part of the queue while it fills.
        #expect(Self.waitUntilStopped(daemon.pid), "the daemon did not stop")
        // Two files written alternately (the kernel merges identical neighbouring events), twice
        // as many times as the queue holds ...
        let a = open(sandbox.path + "/templates/t000.jinja", O_WRONLY | O_CLOEXEC)
        let b = open(sandbox.path + "/templates/t001.jinja", O_WRONLY | O_CLOEXEC)
        for index in 0...(2 * limit) { _ = pwrite(index % 2 == 0 ? a : b, "t", 1, 0) }
        close(a)
        close(b)
        // ... and changes that are lost with the overflow: new content, a new config, a deletion.
        try sandbox.write("templates/t002.jinja", "t002 {{ n }} written during the overflow\n")
        try sandbox.write("configs/late.json", #"{"template": "t003.jinja", "context": {"n": 3}, "output": "late.md"}"#)
        try sandbox.remove("configs/t004.json")
        kill(daemon.pid, SIGCONT)
        resumed = true
        #expect(daemon.wait(timeout: 60) { events in events.contains { $0["rescan"] as? Bool == true } }, "\(daemon.log.suffix(3000))")
        #expect(daemon.wait(timeout: 60) { _ in daemon.runs().contains { $0["reason"] as? String == "rescan" } }, "\(daemon.log.suffix(3000))")
        #expect(sandbox.read("output/t002.md") == "t002 2 written during the overflow\n")
        #expect(sandbox.read("output/late.md") == "t003 3 main\n")
        #expect(daemon.stop() == 0)
        try sandbox.remove("output/t004.md")  // a removed config's output stays, as with regen build
        try Self.expectSameAsCleanBuild(sandbox)
    }

    /// Waits (up to 5 s) until /proc says the process is stopped (state `T`).
    static func waitUntilStopped(_ pid: pid_t) -> Bool {
        let deadline = Date().addingTimeInterval(5)
        while Date() < deadline {
            if let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
               let close = stat.lastIndex(of: ")"),
               stat[stat.index(close, offsetBy: 2)...].hasPrefix("T") {
                return true
            }
            usleep(1000)
        }
        return false
    }

    @Test func aBrokenWatchYamlIsReportedAndTheLastGoodSettingsStay() throws {
        let sandbox = try Self.project()
        let daemon = try WatchDaemon(sandbox)
        try sandbox.write("watch.yaml", "watch:\n  settle_ms: 20\n  ignore: [unclosed\n")
        #expect(daemon.wait { events in events.contains { ($0["error"] as? [String: Any])?["file"] as? String == "watch.yaml" } },
                "\(daemon.log)")
        let error = try #require(Self.errors(daemon).compactMap { $0["error"] as? [String: Any] }.first { $0["file"] as? String == "watch.yaml" })
        #expect(error["line"] as? Int != nil && error["column"] as? Int != nil, "\(error)")
        // Still running, still regenerating with the last good settings.
        try sandbox.write("templates/other.jinja", "other while broken {{ title }}\n")
        #expect(daemon.waitForContent("output/b.md", "other while broken B\n"), "\(daemon.log)")
        let status = try RegenProcess.run(["status", "--json"], in: sandbox.path)
        #expect(status.output.contains("watch.yaml"), "\(status.all)")
        // Fixed: taken again (a settings change that decides outputs rebuilds them).
        try sandbox.write("watch.yaml", "watch:\n  settle_ms: 20\njinja:\n  keep_trailing_newline: false\n")
        #expect(daemon.waitForContent("output/b.md", "other while broken B"), "\(daemon.log)")
        #expect(daemon.stop() == 0)
    }

    @Test func sigtermMidBatchCancelsSlowItemsSavesStateAndExitsZero() throws {
        let sandbox = try Sandbox()
        try sandbox.write("watch.yaml", "generators:\n  command:\n    enabled: true\n")
        try sandbox.write("templates/fast.jinja", "fast {{ title }}\n")
        try sandbox.write("configs/fast.json", #"{"template": "fast.jinja", "context": {"title": "F"}, "output": "fast.md"}"#)
        for index in 0..<3 {
            try sandbox.write("configs/slow\(index).json",
                              #"{"generator": "command", "command": ["sh", "-c", "sleep 60; echo late"], "context": {}, "output": "slow\#(index).md"}"#)
        }
        let daemon = try WatchDaemon(sandbox, waitForCatchUp: false)
        #expect(daemon.waitForContent("output/fast.md", "fast F\n"))
        // The slow items are running: status says so.
        var running: [String] = []
        #expect(daemon.wait { _ in
            guard let status = try? RegenProcess.run(["status", "--json"], in: sandbox.path),
                  let json = try? JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any] else { return false }
            running = json["running"] as? [String] ?? []
            return running.count == 3
        }, "\(running)")
        let start = Date()
        #expect(daemon.stop(SIGTERM) == 0, "\(daemon.stderr)")
        #expect(Date().timeIntervalSince(start) < 8)
        #expect(!sandbox.exists(".regen/daemon.sock"))
        #expect(!sandbox.exists("output/slow0.md"))
        // The finished item is in the saved state; the cancelled ones are not (built next time).
        let state = try #require(FileManager.default.contents(atPath: sandbox.path + "/.regen/build-state"))
        let text = String(decoding: state, as: UTF8.self)
        #expect(text.contains("fast#-") && !text.contains("slow0#-"))
        #expect(daemon.events("stopped").first?["signal"] as? String == "SIGTERM")
    }

    @Test func notifyWaitsForTheRegenerationWithAndWithoutADaemon() throws {
        let sandbox = try Self.project()
        // No daemon: regenerated in this process.
        try sandbox.write("templates/other.jinja", "other, notified {{ title }}\n")
        let alone = try RegenProcess.run(["notify", "templates/other.jinja", "--wait"], in: sandbox.path)
        #expect(alone.status == 0, "\(alone.all)")
        #expect(sandbox.read("output/b.md") == "other, notified B\n")
        #expect(sandbox.read("output/a.md") == nil)  // not a dependent
        try sandbox.write("templates/other.jinja", "{{ nope }}\n")
        let failing = try RegenProcess.run(["notify", "../templates/other.jinja", "--project", ".."], in: sandbox.path + "/configs")
        #expect(failing.status == 1, "\(failing.all)")
        try sandbox.write("templates/other.jinja", "other {{ title }}\n")

        let daemon = try WatchDaemon(sandbox)
        try sandbox.write("templates/partials/head.jinja", "HEAD:")
        let waited = try RegenProcess.run(["notify", "templates/partials/head.jinja", "--wait", "--json"], in: sandbox.path)
        #expect(waited.status == 0, "\(waited.all)")
        // When notify --wait returns, the output is there.
        #expect(sandbox.read("output/a.md") == "HEAD:A\n")
        try sandbox.write("templates/page.jinja", "{{ undefined_thing }}\n")
        let failed = try RegenProcess.run(["notify", "templates/page.jinja", "--wait"], in: sandbox.path)
        #expect(failed.status == 1, "\(failed.all)")
        #expect(failed.errors.contains("undefined_thing"), "\(failed.all)")
        #expect(daemon.stop() == 0)
    }

    @Test func statusDescribesTheDaemonAndSaysWhenNoneRuns() throws {
        let sandbox = try Self.project()
        let none = try RegenProcess.run(["status", "--json"], in: sandbox.path)
        #expect(none.status == 1)
        #expect(none.output.contains("\"running\": false"), "\(none.all)")
        let daemon = try WatchDaemon(sandbox)
        let status = try RegenProcess.run(["status", "--json"], in: sandbox.path)
        #expect(status.status == 0, "\(status.all)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(status.output.utf8)) as? [String: Any])
        #expect(json["pid"] as? Int == Int(daemon.pid))
        #expect((json["watched_folders"] as? Int ?? 0) >= 3)
        #expect(json["queued"] as? [String] == [])
        #expect(json["running"] as? [String] == [])
        #expect((json["last_run"] as? [String: Any])?["reason"] as? String == "catch-up")
        #expect(json["uptime_s"] as? Double != nil)
        let text = try RegenProcess.run(["status"], in: sandbox.path)
        #expect(text.output.contains("daemon pid \(daemon.pid)"), "\(text.all)")
        // A second daemon for the same project is refused.
        let second = try RegenProcess.run(["watch"], in: sandbox.path, timeout: 20)
        #expect(second.status == 2)
        #expect(second.errors.contains("already running"), "\(second.all)")
        #expect(daemon.stop() == 0)
    }

    @Test func aStaleSocketFromADeadDaemonIsReplaced() throws {
        let sandbox = try Self.project()
        let first = try WatchDaemon(sandbox)
        #expect(first.stop(SIGKILL) != nil)
        #expect(sandbox.exists(".regen/daemon.sock"))
        // notify finds nobody listening and works alone; a new daemon takes the socket over.
        let alone = try RegenProcess.run(["notify", "templates/other.jinja"], in: sandbox.path)
        #expect(alone.status == 0, "\(alone.all)")
        let second = try WatchDaemon(sandbox)
        let status = try RegenProcess.run(["status", "--json"], in: sandbox.path)
        #expect(status.output.contains("\"pid\": \(second.pid)"), "\(status.all)")
        #expect(second.stop() == 0)
    }
}
