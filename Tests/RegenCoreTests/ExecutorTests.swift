import Dispatch
import Documents
import Foundation
import Jinja
import Synchronization
import Testing
@testable import RegenCore

@Suite struct ExecutorTests {
    /// Jobs that note when they start and end, and how many ran at once.
    final class Trace: Sendable {
        struct Entry { var name: String; var event: String }
        let entries = Mutex<[Entry]>([])
        let running = Mutex<(now: Int, most: Int)>((0, 0))

        func job(_ name: String, tier: Priority = .medium, slot: SlotClass = .render, seconds: Double = 0.05,
                 group: Int = 0, done: DispatchGroup) -> Executor.Job {
            done.enter()
            return Executor.Job(tier: tier, slot: slot, group: group) {
                self.running.withLock { $0.now += 1; $0.most = max($0.most, $0.now) }
                self.entries.withLock { $0.append(Entry(name: name, event: "start")) }
                Thread.sleep(forTimeInterval: seconds)
                self.entries.withLock { $0.append(Entry(name: name, event: "end")) }
                self.running.withLock { $0.now -= 1 }
                done.leave()
            }
        }

        var order: [String] { entries.withLock { $0.filter { $0.event == "start" }.map(\.name) } }
        func position(_ name: String, _ event: String) -> Int {
            entries.withLock { $0.firstIndex { $0.name == name && $0.event == event } ?? -1 }
        }
    }

    @Test func eachClassRunsAtMostItsSlots() {
        let executor = Executor(renderSlots: 3, commandSlots: 2)
        let trace = Trace(), commands = Trace()
        let done = DispatchGroup()
        executor.submit((0..<9).map { trace.job("r\($0)", done: done) } + (0..<6).map { commands.job("c\($0)", slot: .command, done: done) })
        done.wait()
        #expect(trace.running.withLock { $0.most } == 3)
        #expect(commands.running.withLock { $0.most } == 2)
    }

    @Test func higherTiersFinishBeforeLowerTiersStartAndEachTierIsFirstComeFirstServed() {
        let executor = Executor(renderSlots: 1, commandSlots: 2)
        let trace = Trace()
        let done = DispatchGroup()
        executor.submit([trace.job("low1", tier: .low, done: done), trace.job("medium1", done: done),
                         trace.job("high1", tier: .high, slot: .command, seconds: 0.2, done: done),
                         trace.job("low2", tier: .low, done: done), trace.job("high2", tier: .high, done: done),
                         trace.job("medium2", done: done)])
        done.wait()
        #expect(Set(trace.order.prefix(2)) == ["high1", "high2"])
        #expect(trace.order.dropFirst(2) == ["medium1", "medium2", "low1", "low2"])
        // The slow high-tier command holds every lower tier back, even with render slots free.
        #expect(trace.position("high1", "end") < trace.position("medium1", "start"))
        #expect(trace.position("medium2", "end") < trace.position("low1", "start"))
    }

    @Test func aFreedSlotTakesTheNextJobWhateverItsGroup() {
        // A first chunk of four on four slots, one of them slow, then a second chunk: with no
        // barrier between chunks, the second chunk starts in the slots the fast jobs free, while
        // the slow one still runs. (Ordering, not wall time: the machine may be loaded.)
        let executor = Executor(renderSlots: 4, commandSlots: 1)
        let trace = Trace()
        let done = DispatchGroup()
        let first = executor.makeGroup(), second = executor.makeGroup()
        var jobs = [trace.job("slow", seconds: 1.5, group: first, done: done)]
        jobs += (1..<4).map { trace.job("fast\($0)", seconds: 0.02, group: first, done: done) }
        jobs += (0..<4).map { trace.job("next\($0)", seconds: 0.02, group: second, done: done) }
        executor.submit(jobs)
        done.wait()
        #expect(trace.position("next3", "end") < trace.position("slow", "end"))
    }

    @Test func withdrawnJobsNeverRun() {
        let executor = Executor(renderSlots: 1, commandSlots: 1)
        let ran = Mutex<[Int]>([])
        let blocker = DispatchSemaphore(value: 0)
        let group = executor.makeGroup()
        executor.submit([Executor.Job(tier: .medium, slot: .render, group: 0) { blocker.wait() }]
                        + (0..<3).map { n in Executor.Job(tier: .medium, slot: .render, group: group) { ran.withLock { $0.append(n) } } })
        #expect(executor.withdraw(group: group).count == 3)
        blocker.signal()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(ran.withLock { $0 }.isEmpty)
        #expect(executor.load.queued == 0)
    }

    @Test(arguments: [
        ("configs/guides/**", "configs/guides/a.json", true),
        ("configs/guides/**", "configs/guides/x/y/a.yaml", true),
        ("configs/guides/**", "configs/guides", false),
        ("configs/guides/**", "configs/api/a.json", false),
        ("**/draft-*.json", "configs/a/draft-1.json", true),
        ("**/draft-*.json", "draft-1.json", true),
        ("configs/*.json", "configs/a.json", true),
        ("configs/*.json", "configs/x/a.json", false),
        ("configs/report-[0-9].yaml", "configs/report-7.yaml", true),
        ("configs/report-[!0-9].yaml", "configs/report-7.yaml", false),
        ("configs/?.json", "configs/ab.json", false),
        // As in .gitignore, a pattern without `/` names a file at any depth.
        ("draft-*.json", "configs/a/draft-1.json", true),
        ("draft-*.json", "configs/a/final.json", false),
    ])
    func globPatterns(pattern: String, path: String, expected: Bool) {
        #expect(ProjectSettings.PriorityRule(match: pattern, tier: .high).glob.matches(path) == expected)
    }

    @Test func theTierComesFromTheConfigThenTheRulesThenMedium() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/t.txt", "x")
        try folder.write("configs/guides/a.json", "{\"template\": \"t.txt\"}")
        try folder.write("configs/guides/b.json", "{\"template\": \"t.txt\", \"priority\": \"low\"}")
        try folder.write("configs/c.json", "{\"template\": \"t.txt\"}")
        let project = try Project.load(root: folder.path)
        let tiers = Dictionary(uniqueKeysWithValues: project.configs.map { ($0.id, project.settings.tier(of: $0)) })
        #expect(tiers == ["a": .high, "b": .low, "c": .medium])
    }

    @Test func chunksHoldAtMostMaxBatchSizeItemsInTierOrder() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/t.txt", "x")
        for n in 0..<12 { try folder.write("configs/c\(n).json", "{\"template\": \"t.txt\", \"priority\": \"\(n == 11 ? "high" : "low")\"}") }
        var project = try Project.load(root: folder.path)
        var settings = project.settings
        settings.batch.maxBatchSize = 5
        project = Project(root: project.root, resolvedRoot: project.resolvedRoot, settings: settings,
                          configs: project.configs, problems: [])
        let plan = Scheduler.plan(Builder.items(project, ids: []).items, settings: settings)
        #expect(plan.map(\.chunk) == [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 2, 2])
        #expect(plan.first?.item.config.id == "c11")
    }

    @Test func aRenderStopsAtItsDeadline() throws {
        let environment = Environment()
        let template = try environment.template(fromString: "{% for i in range(100000) %}{% for j in range(400) %}{% endfor %}{% endfor %}")
        let start = Date()
        let cancellation = RenderCancellation(deadline: RenderCancellation.now() + 200_000_000)
        let error = #expect(throws: TemplateError.self) { try environment.render(template, cancellation: cancellation) }
        #expect(error?.kind == .cancelled)
        // The whole loop takes far longer; stopping within a few seconds even on a loaded machine.
        #expect(Date().timeIntervalSince(start) < 5)
    }

    @Test func aRenderItemTimesOutWithTheWordsOfTheSettings() throws {
        let folder = try TemporaryFolder()
        try folder.write("templates/slow.txt", "{% for i in range(100000) %}{% for j in range(400) %}{% endfor %}{% endfor %}")
        try folder.write("templates/fast.txt", "fast")
        try folder.write("configs/slow.json", "{\"template\": \"slow.txt\"}")
        try folder.write("configs/fast.json", "{\"template\": \"fast.txt\"}")
        try folder.write("watch.yaml", "batch:\n  item_timeout_s: 0.3\n")
        let project = try Project.load(root: folder.path)
        let (items, _) = Builder.items(project, ids: [])
        let start = Date()
        let results = Builder.run(project, items: items, mode: .write, executor: Executor(renderSlots: 2, commandSlots: 1))
        #expect(Date().timeIntervalSince(start) < 6)
        let byID = Dictionary(uniqueKeysWithValues: results.map { ($0.item?.config.id ?? "", $0) })
        #expect(byID["slow"]?.failure?.message == "timed out after 0.3 s")
        #expect(byID["fast"]?.failure == nil)
        #expect(folder.read("output/fast.txt") == "fast")
        #expect(folder.read("output/slow.txt") == nil)
    }
}
