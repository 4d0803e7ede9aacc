import Documents
import Dispatch
import Jinja
import Synchronization

/// Measures what the executor itself costs, for `regen-bench executor` (bench/batch.py): many
/// jobs that do nothing, so that all the time is the executor's.
public enum ExecutorProbe {
    public struct Figures: Sendable {
        /// Empty jobs straight through `Executor.submit`, per job.
        public var executorMicroseconds: Double
        /// Items that do nothing through the whole scheduling path (tiers, chunks, deadlines,
        /// results, the observer), per item.
        public var schedulerMicroseconds: Double
        /// The same no-op items called in a plain loop, per item: the floor to subtract.
        public var loopMicroseconds: Double
    }

    public static func measure(items: Int, slots: Int) -> Figures {
        let executor = Executor(renderSlots: slots, commandSlots: 1)
        // Warm up: threads made, pages touched.
        _ = runJobs(executor, count: min(items, 1_000))
        let direct = runJobs(executor, count: items)

        var settings = ProjectSettings()
        settings.batch.maxBatchSize = 10
        let config = ContentConfig(.init(id: "probe", idMark: Mark(line: 1, column: 1), file: "configs/probe.json",
                                         source: SourceFile(name: "configs/probe.json", bytes: []), generator: .templateFill,
                                         context: .null(Mark(line: 1, column: 1)),
                                         targets: []))
        let target = ContentConfig.Target(variant: nil, output: "probe.txt", mark: Mark(line: 1, column: 1))
        let buildItems = Array(repeating: BuildItem(config: config, target: target), count: items)
        let work: @Sendable (BuildItem, ItemBudget) -> ItemResult = { item, _ in
            ItemResult(item: item, status: .rendered, seconds: 0)
        }
        _ = Scheduler.run(Array(buildItems.prefix(1_000)), settings: settings, executor: executor, observer: nil, work: work)
        let start = DispatchTime.now().uptimeNanoseconds
        _ = Scheduler.run(buildItems, settings: settings, executor: executor, observer: nil, work: work)
        let scheduled = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(items)

        let loopStart = DispatchTime.now().uptimeNanoseconds
        var results: [ItemResult] = []
        results.reserveCapacity(items)
        for item in buildItems { results.append(work(item, .unlimited)) }
        let loop = Double(DispatchTime.now().uptimeNanoseconds - loopStart) / 1e3 / Double(items)
        return Figures(executorMicroseconds: direct, schedulerMicroseconds: scheduled, loopMicroseconds: loop)
    }

    private static func runJobs(_ executor: Executor, count: Int) -> Double {
        let done = DispatchSemaphore(value: 0)
        let remaining = Atomic<Int>(count)
        let jobs = (0..<count).map { _ in
            Executor.Job(tier: .medium, slot: .render, group: 0) {
                if remaining.subtract(1, ordering: .acquiringAndReleasing).newValue == 0 { done.signal() }
            }
        }
        let start = DispatchTime.now().uptimeNanoseconds
        executor.submit(jobs)
        done.wait()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e3 / Double(count)
    }
}
