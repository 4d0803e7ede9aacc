import Glibc

/// In-process timings of the dependency index, for `index-bench` (bench/index.py). Not part of
/// `regen`.
public enum IndexBenchmark {
    public struct Figures: Sendable {
        public var configs: Int
        public var templates: Int
        public var loadSeconds: Double
        public var indexSeconds: Double
        public var dependents: Int
        public var dependentsMicroseconds: Double
    }

    /// Loads the project at `root`, builds its index, then finds the dependents of the file at
    /// `leaf` (relative to the project root) `rounds` times.
    public static func run(root: String, leaf: String, rounds: Int) throws -> Figures {
        var start = now()
        let project = try Project.load(root: root)
        let loadSeconds = now() - start
        start = now()
        let index = DependencyIndex.build(project: project)
        let indexSeconds = now() - start
        var count = 0
        for _ in 0..<100 { count = index.dependents(ofPath: leaf).count }
        start = now()
        for _ in 0..<rounds { count = index.dependents(ofPath: leaf).count }
        let perQuery = (now() - start) / Double(rounds) * 1e6
        return Figures(configs: project.configs.count, templates: index.templates.count, loadSeconds: loadSeconds,
                       indexSeconds: indexSeconds, dependents: count, dependentsMicroseconds: perQuery)
    }

    static func now() -> Double {
        var time = timespec()
        clock_gettime(CLOCK_MONOTONIC, &time)
        return Double(time.tv_sec) + Double(time.tv_nsec) / 1e9
    }
}
