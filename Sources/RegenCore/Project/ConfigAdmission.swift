import Synchronization

/// Admits loaded configs into a project in file order, checking each against the ones before it
/// (a duplicate id, two configs writing one output, two outputs of one config landing on one
/// file), while the others are still loading.
///
/// Configs load in parallel and finish in any order. A thread that delivers the next config in
/// file order takes the turn to check every loaded config from there on, outside the lock that
/// guards deliveries; the others deliver and go back to loading. So the checks overlap the
/// loading instead of running on one thread after it while the render slots wait.
final class ConfigAdmission: Sendable {
    private struct Deliveries {
        var waiting: [Result<ContentConfig, Diagnostic>?]
        /// The first file not yet handed to the checks.
        var next = 0
        /// A thread is checking; others only deliver.
        var checking = false
    }

    private struct Checks {
        var configs: [ContentConfig] = []
        var problems: [Diagnostic] = []
        /// Made here, while each config is fresh in the cache, rather than in a pass over every
        /// config afterwards on one thread.
        var items: [BuildItem] = []
        var fileOfID: [String: String] = [:]
        var idOfOutput: [String: String] = [:]

        mutating func admit(_ result: Result<ContentConfig, Diagnostic>) {
            let config: ContentConfig
            switch result {
            case .success(let value):
                config = value
            case .failure(let error):
                problems.append(error)
                return
            }
            if let first = fileOfID[config.id] {
                problems.append(config.source.error(at: config.idMark, "Duplicate config id '\(config.id)': \(first) and \(config.file)"))
                return
            }
            if let clash = config.targets.first(where: { idOfOutput[$0.output] != nil }) {
                let other = idOfOutput[clash.output] ?? ""
                problems.append(config.source.error(at: clash.mark, "two configs write \(clash.output): \(other) and \(config.id)"))
                return
            }
            if config.targets.count > 1 {
                var seen: Set<String> = []
                if let clash = config.targets.first(where: { !seen.insert($0.output).inserted }) {
                    problems.append(config.source.error(at: clash.mark, "two outputs of '\(config.id)' land on \(clash.output)"))
                    return
                }
            }
            fileOfID[config.id] = config.file
            for target in config.targets { idOfOutput[target.output] = config.id }
            configs.append(config)
            items += BuildItem.all(of: config)
        }
    }

    private let deliveries: Mutex<Deliveries>
    /// Only the thread whose turn it is touches these: the lock is never contended.
    private let checks = Mutex(Checks())

    init(count: Int) {
        deliveries = Mutex(Deliveries(waiting: Array(repeating: nil, count: count)))
        checks.withLock { checks in
            checks.configs.reserveCapacity(count)
            checks.items.reserveCapacity(count)
            checks.fileOfID.reserveCapacity(count)
            checks.idOfOutput.reserveCapacity(count)
        }
    }

    /// Hands over the config of file number `index`, and checks what is now next in order unless
    /// another thread already is.
    func deliver(_ result: Result<ContentConfig, Diagnostic>, at index: Int) {
        var run = deliveries.withLock { state in
            state.waiting[index] = result
            return state.checking ? [] : Self.takeRun(&state)
        }
        while !run.isEmpty {
            checks.withLock { checks in
                for result in run { checks.admit(result) }
            }
            run = deliveries.withLock { state in
                state.checking = false
                return Self.takeRun(&state)
            }
        }
    }

    /// The delivered configs from `next` on, in order, with the turn to check them.
    private static func takeRun(_ state: inout Deliveries) -> [Result<ContentConfig, Diagnostic>] {
        var run: [Result<ContentConfig, Diagnostic>] = []
        while state.next < state.waiting.count, let result = state.waiting[state.next] {
            run.append(result)
            state.waiting[state.next] = nil
            state.next += 1
        }
        state.checking = !run.isEmpty
        return run
    }

    /// Every admitted config in file order, the problems found, and the configs' items; once all
    /// are delivered.
    var admitted: (configs: [ContentConfig], problems: [Diagnostic], items: [BuildItem]) {
        checks.withLock { ($0.configs, $0.problems, $0.items) }
    }
}
