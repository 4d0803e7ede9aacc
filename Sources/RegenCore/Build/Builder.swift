import Dispatch
import Documents
import Jinja

/// One output to produce: a config, and which of its targets.
struct BuildItem: Sendable {
    let config: ContentConfig
    var target: ContentConfig.Target
    /// Context merged over everything else (a batch operation's `context`).
    var extra: Document?
    /// The output path was chosen by a batch request (`output_dir`, `output_path`), not the config.
    var customOutput: Bool

    init(config: ContentConfig, target: ContentConfig.Target, extra: Document? = nil, customOutput: Bool = false) {
        self.config = config
        self.target = target
        self.extra = extra
        self.customOutput = customOutput
    }

    /// One item per target of `config`.
    static func all(of config: ContentConfig) -> [BuildItem] {
        config.targets.map { BuildItem(config: config, target: $0) }
    }

    /// `monthly-report` or `monthly-report (variant 2)`.
    var name: String {
        target.variant.map { "\(config.id) (variant \($0 + 1))" } ?? config.id
    }
}

/// What became of one item.
struct ItemResult: Sendable {
    enum Status: Sendable {
        case written, unchanged
        /// Rendered without writing (`regen check`).
        case rendered
        case failed(Diagnostic)
    }

    /// Nil when the item never existed (`Content config not found: x`).
    var item: BuildItem?
    var status: Status
    var seconds: Double
    /// The size of the rendered content.
    var bytes: Int = 0

    var failure: Diagnostic? {
        if case .failed(let diagnostic) = status { return diagnostic }
        return nil
    }
}

/// Renders items in parallel on the shared executor, one failure never stopping the others, and
/// writes their outputs.
enum Builder {
    enum Mode { case write, check }

    /// The items for `ids` (every config when empty), and one failure for each unknown id.
    static func items(_ project: Project, ids: [String]) -> (items: [BuildItem], missing: [ItemResult]) {
        var items = ids.isEmpty ? project.items : []
        var missing: [ItemResult] = []
        for id in ids {
            guard let config = project.config(id: id) else {
                let message = "Content config not found: \(id)"
                missing.append(ItemResult(item: nil, status: .failed(Diagnostic(message)), seconds: 0))
                continue
            }
            items += BuildItem.all(of: config)
        }
        return (items, missing)
    }

    /// Runs `items` on `executor` (the process's own by default, its slots set from the project),
    /// in tiers and chunks (`Scheduler`), telling `observer` as items start and finish. The
    /// results come back in the order of `items`.
    static func run(_ project: Project, items: [BuildItem], mode: Mode, executor: Executor = .shared,
                    observer: (any RunObserver)? = nil) -> [ItemResult] {
        if executor === Executor.shared { executor.configure(project.settings) }
        let session = RenderSession(project: project)
        let writer = OutputWriter(root: project.outputRoot)
        return Scheduler.run(items, settings: project.settings, executor: executor, observer: observer) { item, budget in
            perform(item, budget: budget, mode: mode, session: session, writer: writer)
        }
    }

    /// One item: render, then (writing) put the output in place unless time ran out meanwhile.
    static func perform(_ item: BuildItem, budget: ItemBudget, mode: Mode, session: RenderSession,
                        writer: OutputWriter) -> ItemResult {
        let start = DispatchTime.now().uptimeNanoseconds
        var bytes = 0
        let status: ItemResult.Status
        do throws(Diagnostic) {
            let content = try session.render(item.config, target: item.target, extra: item.extra,
                                             cancellation: budget.cancellation)
            let utf8 = Array(content.utf8)
            bytes = utf8.count
            switch mode {
            case .check:
                status = .rendered
            case .write:
                // A batch that timed out meanwhile keeps what was finished, and nothing later.
                if budget.isExpired { throw budget.expiry(item) }
                switch try writer.write(utf8, to: item.target.output) {
                case .written: status = .written
                case .unchanged: status = .unchanged
                }
            }
        } catch {
            status = .failed(error)
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return ItemResult(item: item, status: status, seconds: seconds, bytes: bytes)
    }
}
