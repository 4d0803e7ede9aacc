import Foundation
import Testing

/// `regen batch`, `regen retry`, timeouts, tiers and events, run through the built `regen` with
/// real external programs.
@Suite struct BatchTests {
    /// A project whose configs run shell commands (the `command` generator).
    static func project(_ configs: [String: String], settings: String = "") throws -> Sandbox {
        let sandbox = try Sandbox()
        try sandbox.write("watch.yaml", "generators:\n  command:\n    enabled: true\n" + settings)
        try sandbox.write("templates/page.md.jinja", "# {{ title }}\n")
        for (id, json) in configs { try sandbox.write("configs/\(id).json", json) }
        return sandbox
    }

    static func command(_ script: String, output: String? = nil, priority: String? = nil) -> String {
        let quoted = script.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
        var json = "{\"generator\": \"command\", \"command\": [\"sh\", \"-c\", \"\(quoted)\"], \"context\": {\"title\": \"T\"}"
        if let output { json += ", \"output\": \"\(output)\"" }
        if let priority { json += ", \"priority\": \"\(priority)\"" }
        return json + "}"
    }

    static func events(_ output: String, sourceLocation: SourceLocation = #_sourceLocation) throws -> [[String: Any]] {
        try output.split(separator: "\n").map { line in
            try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                         "not a JSON object: \(line)", sourceLocation: sourceLocation)
        }
    }

    @Test func oneCrashingHangingOrFailingProgramHarmsOnlyItsOwnItem() throws {
        let sandbox = try Self.project([
            "good": Self.command("cat >/dev/null; echo fine", output: "good.txt"),
            "crash": Self.command("kill -SEGV $$", output: "crash.txt"),
            "fails": Self.command("echo 'bad input' >&2; exit 3", output: "fails.txt"),
            "hangs": Self.command("sleep 30", output: "hangs.txt"),
            "page": "{\"template\": \"page.md.jinja\", \"context\": {\"title\": \"Hello\"}}",
        ], settings: "batch:\n  item_timeout_s: 10\n")
        // 10 s: while the whole suite runs in parallel on two cores (dozens of regen processes
        // at once), even `sh -c "kill -SEGV $$"` once took more than 4 s to be scheduled.
        let start = Date()
        let result = try RegenProcess.run(["batch", "good", "crash", "fails", "hangs", "page"], in: sandbox.path)
        #expect(Date().timeIntervalSince(start) < 28)
        #expect(result.status == 1, "\(result.all)")
        #expect(!result.crashed)
        #expect(sandbox.read("output/good.txt") == "fine\n")
        #expect(sandbox.read("output/page.md") == "# Hello\n")
        #expect(result.errors.contains("Command 'sh' was killed by signal 11"))
        #expect(result.errors.contains("Command 'sh' failed with exit status 3: bad input"))
        #expect(result.errors.contains("Command 'sh' timed out after 10 s and was killed"))
        #expect(result.output.contains("2 written, 0 unchanged, 3 failed"))
    }

    @Test func anItemTimeoutKillsTheProgramsWholeProcessGroup() throws {
        let sandbox = try Self.project([
            "slow": Self.command("sleep 60 & echo $! > child.pid; wait", output: "slow.txt"),
        ], settings: "batch:\n  item_timeout_s: 1.5\n")
        let result = try RegenProcess.run(["batch", "slow", "--json"], in: sandbox.path)
        #expect(result.status == 1)
        let summary = try #require(Self.events(result.output).last)
        let failures = try #require(summary["failures"] as? [[String: Any]])
        #expect(failures.first?["message"] as? String == "Command 'sh' timed out after 1.5 s and was killed")
        let pid = try #require(Int32(sandbox.read("child.pid")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
        // The grandchild is gone (or a zombie awaiting its new parent's wait: dead either way).
        Thread.sleep(forTimeInterval: 0.2)
        let state = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8))?.split(separator: " ")
        #expect(kill(pid, 0) != 0 || state?[2] == "Z", "the grandchild \(pid) survived the timeout")
    }

    @Test func aBatchTimeoutStopsWhatIsLeftAndKeepsWhatFinished() throws {
        let sandbox = try Self.project([
            "a": Self.command("sleep 0.2; echo a", output: "a.txt"),
            "b": Self.command("sleep 0.2; echo b", output: "b.txt"),
            "c": Self.command("sleep 30; echo c", output: "c.txt"),
            "d": Self.command("echo d", output: "d.txt"),
        ])
        try sandbox.write("watch.yaml", "generators:\n  command:\n    enabled: true\n    concurrency: 1\nbatch:\n  batch_timeout_s: 4\n")
        let start = Date()
        let result = try RegenProcess.run(["batch", "a", "b", "c", "d", "--json"], in: sandbox.path)
        #expect(Date().timeIntervalSince(start) < 12)
        #expect(result.status == 1)
        #expect(sandbox.read("output/a.txt") == "a\n")
        #expect(sandbox.read("output/b.txt") == "b\n")
        #expect(!sandbox.exists("output/c.txt"))
        #expect(!sandbox.exists("output/d.txt"))
        let summary = try #require(Self.events(result.output).last)
        let messages = (summary["failures"] as? [[String: Any]] ?? []).compactMap { $0["message"] as? String }
        #expect(messages.contains("Command 'sh' was killed: the batch timed out after 4 s"))
        #expect(messages.contains("not started: the batch timed out after 4 s"))
    }

    @Test func highTierOutputsAreWrittenBeforeAnyLowTierItemStarts() throws {
        // Low items record when they start; high items take a while. Four slots: without tiers,
        // everything would start at once.
        let sandbox = try Self.project([
            "h1": Self.command("sleep 0.3; echo h1", output: "h1.txt", priority: "high"),
            "h2": Self.command("sleep 0.3; echo h2", output: "h2.txt", priority: "high"),
            "l1": Self.command("date +%s.%N > l1.start; echo l1", output: "l1.txt", priority: "low"),
            "l2": Self.command("date +%s.%N > l2.start; echo l2", output: "l2.txt", priority: "low"),
        ])
        try sandbox.write("watch.yaml", "generators:\n  command:\n    enabled: true\n    concurrency: 4\n")
        let result = try RegenProcess.run(["batch", "l1", "l2", "h1", "h2", "--json"], in: sandbox.path)
        #expect(result.status == 0, "\(result.all)")
        let events = try Self.events(result.output)
        let lastHighDone = try #require(events.lastIndex { $0["event"] as? String == "finished" && ($0["id"] as? String)?.hasPrefix("h") == true })
        let firstLowStart = try #require(events.firstIndex { $0["event"] as? String == "started" && ($0["id"] as? String)?.hasPrefix("l") == true })
        #expect(lastHighDone < firstLowStart)
        let modified = { (name: String) throws -> Double in
            let attributes = try FileManager.default.attributesOfItem(atPath: sandbox.path + "/output/" + name)
            return try #require(attributes[.modificationDate] as? Date).timeIntervalSince1970
        }
        let highWritten = max(try modified("h1.txt"), try modified("h2.txt"))
        for low in ["l1", "l2"] {
            let started = try #require(Double(sandbox.read("\(low).start")?.trimmingCharacters(in: .whitespacesAndNewlines) ?? ""))
            #expect(highWritten <= started + 0.005, "\(low) started before a high output was written")
        }
    }

    @Test func aBatchAboveTheLimitIsRefusedUnlessChunked() throws {
        var configs: [String: String] = [:]
        for n in 1...12 { configs["p\(n)"] = "{\"template\": \"page.md.jinja\", \"context\": {\"title\": \"P\(n)\"}}" }
        let sandbox = try Self.project(configs)
        try sandbox.write("watch.yaml", "batch:\n  max_batch_size: 5\n")
        let ids = (1...12).map { "p\($0)" }
        let refused = try RegenProcess.run(["batch"] + ids, in: sandbox.path)
        #expect(refused.status == 2)
        #expect(refused.errors.contains("the batch has 12 items, more than batch.max_batch_size (5); pass --chunk"))
        #expect(!sandbox.exists("output"))

        let chunked = try RegenProcess.run(["batch", "--chunk", "--json"] + ids, in: sandbox.path)
        #expect(chunked.status == 0, "\(chunked.all)")
        let started = try Self.events(chunked.output).filter { $0["event"] as? String == "started" }
        let chunks = started.compactMap { $0["chunk"] as? Int }
        #expect(chunks.sorted() == [1, 1, 1, 1, 1, 2, 2, 2, 2, 2, 3, 3])
        #expect(sandbox.read("output/p12.md") == "# P12\n")
    }

    @Test func retryRunsOnlyWhatFailedWithItsBatchOutputs() throws {
        let sandbox = try Self.project([
            "flaky": Self.command("test -f ready || { echo 'not ready' >&2; exit 1; }; echo ok", output: "flaky.txt"),
            "steady": Self.command("echo steady", output: "steady.txt"),
        ])
        let first = try RegenProcess.run(["batch", "flaky", "steady", "--output-dir", "output/run"], in: sandbox.path)
        #expect(first.status == 1)
        #expect(sandbox.read("output/run/steady.txt") == "steady\n")
        #expect(sandbox.read(".regen/last-run.json")?.contains("\"status\": \"failed\"") == true)
        try sandbox.write("ready", "")
        let retry = try RegenProcess.run(["retry", "--json"], in: sandbox.path)
        #expect(retry.status == 0, "\(retry.all)")
        let summary = try #require(Self.events(retry.output).last)
        #expect(summary["succeeded"] as? Int == 1)
        #expect((summary["files"] as? [[String: Any]])?.first?["path"] as? String == "run/flaky.txt")
        #expect(sandbox.read("output/run/flaky.txt") == "ok\n")
        let again = try RegenProcess.run(["retry"], in: sandbox.path)
        #expect(again.status == 0)
        #expect(again.output.contains("nothing to retry"))
    }

    @Test func jsonEventsParseAndAgreeWithTheSummary() throws {
        let sandbox = try Self.project([
            "one": "{\"template\": \"page.md.jinja\", \"context\": {\"title\": \"One\"}}",
            "two": "{\"template\": \"page.md.jinja\", \"context\": {\"title\": \"Two\"}, \"variants\": [{\"context\": {\"title\": \"Dos\"}, \"output\": \"es/two.md\"}]}",
            "bad": "{\"template\": \"page.md.jinja\", \"context\": {}}",
        ])
        let result = try RegenProcess.run(["build", "--json"], in: sandbox.path)
        #expect(result.status == 1)
        let events = try Self.events(result.output)
        let kinds = events.compactMap { $0["event"] as? String }
        #expect(kinds.last == "summary")
        // one.md, es/two.md (a config with only variants writes only them), bad.md.
        #expect(kinds.filter { $0 == "started" }.count == 3)
        #expect(kinds.filter { $0 == "progress" }.count == 3)
        let summary = try #require(events.last)
        #expect(summary["succeeded"] as? Int == kinds.filter { $0 == "finished" }.count)
        #expect(summary["failed"] as? Int == kinds.filter { $0 == "failed" }.count)
        #expect(summary["failed"] as? Int == 1)
        let failure = try #require((summary["failures"] as? [[String: Any]])?.first)
        #expect(failure["id"] as? String == "bad")
        #expect((failure["message"] as? String)?.contains("'title' is undefined") == true)
        for file in summary["files"] as? [[String: Any]] ?? [] {
            let path = try #require(file["path"] as? String)
            #expect(sandbox.read("output/" + path)?.utf8.count == file["bytes"] as? Int)
        }
        let seconds = try #require(summary["seconds"] as? Double)
        let itemSeconds = try #require(summary["item_seconds"] as? Double)
        #expect(abs((summary["speedup"] as? Double ?? 0) - itemSeconds / seconds) < 1e-6)
        let progress = try #require(events.last { $0["event"] as? String == "progress" })
        #expect(progress["done"] as? Int == 3 && progress["total"] as? Int == 3)
    }

    @Test func operationsCarryTheirOwnContextAndOutputPath() throws {
        let sandbox = try Self.project(["report": "{\"template\": \"page.md.jinja\", \"context\": {\"title\": \"Base\"}}"])
        try sandbox.write("request.json", """
            {"operations": [
              {"content_config_id": "report", "context": {"title": "Engineering"}, "output_path": "output/reports/eng.md"},
              {"content_config_id": "report", "context": {"title": "Sales"}, "output_path": "output/reports/sales.md"}
            ]}
            """)
        let result = try RegenProcess.run(["batch", "--file", "request.json"], in: sandbox.path)
        #expect(result.status == 0, "\(result.all)")
        #expect(sandbox.read("output/reports/eng.md") == "# Engineering\n")
        #expect(sandbox.read("output/reports/sales.md") == "# Sales\n")
        #expect(!sandbox.exists("output/report.md"))
    }

    @Test(arguments: [
        ("not JSON", "{\"content_config_ids\": [\"a\",", "request.json:1:"),
        ("empty batch", "{\"content_config_ids\": []}", "the batch is empty"),
        ("duplicate ids", "{\"content_config_ids\": [\"a\", \"a\"]}", "request.json:1:30: error: 'a' is named twice in the batch"),
        ("outside the output root", "{\"operations\": [{\"content_config_id\": \"a\", \"output_path\": \"templates/x.md\"}]}",
         "'output_path' must be inside the output folder output/"),
        ("escaping output_dir", "{\"content_config_ids\": [\"a\"], \"output_dir\": \"output/../..\"}", "leaves its folder"),
        ("two items on one path", "{\"content_config_ids\": [\"a\", \"b\"], \"output_dir\": \"output/x\"}",
         "two items of the batch land on output/x/page.md: a and b"),
        ("unknown key", "{\"content_config_ids\": [\"a\"], \"outputdir\": \"output\"}", "unknown key 'outputdir'; did you mean 'output_dir'?"),
        ("neither shape", "{\"ids\": [\"a\"]}", "a batch request needs 'content_config_ids'"),
    ])
    func badRequestsAreClearErrors(name: String, request: String, expected: String) throws {
        let sandbox = try Self.project([
            "a": "{\"template\": \"page.md.jinja\", \"context\": {\"title\": \"A\"}, \"output\": \"a/page.md\"}",
            "b": "{\"template\": \"page.md.jinja\", \"context\": {\"title\": \"B\"}, \"output\": \"b/page.md\"}",
        ])
        try sandbox.write("request.json", request)
        let result = try RegenProcess.run(["batch", "--file", "request.json"], in: sandbox.path)
        #expect(result.status == 2, "\(name): \(result.all)")
        #expect(!result.crashed)
        #expect(result.errors.contains(expected), "\(name): \(result.errors)")
        #expect(!sandbox.exists("output"), "\(name): nothing is written")
    }

    @Test func unknownIdsFailTheirItemAndTheRestRuns() throws {
        let sandbox = try Self.project(["a": "{\"template\": \"page.md.jinja\", \"context\": {\"title\": \"A\"}}"])
        let result = try RegenProcess.run(["batch", "a", "nope"], in: sandbox.path)
        #expect(result.status == 1)
        #expect(result.errors.contains("Content config not found: nope"))
        #expect(sandbox.read("output/a.md") == "# A\n")
        let empty = try RegenProcess.run(["batch"], in: sandbox.path)
        #expect(empty.status == 2)
        #expect(empty.errors.contains("the batch is empty"))
    }
}
