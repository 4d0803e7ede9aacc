import Documents
import Foundation

/// One output to produce: a config, and which of its targets.
struct BuildItem: Sendable {
    var config: ContentConfig
    var target: ContentConfig.Target

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

    var failure: Diagnostic? {
        if case .failed(let diagnostic) = status { return diagnostic }
        return nil
    }
}

/// Renders items in parallel, one failure never stopping the others, and writes their outputs.
enum Builder {
    enum Mode { case write, check }

    /// The items for `ids` (every config when empty), and one failure for each unknown id.
    static func items(_ project: Project, ids: [String]) -> (items: [BuildItem], missing: [ItemResult]) {
        let wanted = ids.isEmpty ? project.configs : []
        var items = wanted.flatMap { config in config.targets.map { BuildItem(config: config, target: $0) } }
        var missing: [ItemResult] = []
        for id in ids {
            guard let config = project.config(id: id) else {
                let message = "Content config not found: \(id)"
                missing.append(ItemResult(item: nil, status: .failed(Diagnostic(message)), seconds: 0))
                continue
            }
            items += config.targets.map { BuildItem(config: config, target: $0) }
        }
        return (items, missing)
    }

    static func run(_ project: Project, items: [BuildItem], mode: Mode) -> [ItemResult] {
        let session = RenderSession(project: project)
        let writer = OutputWriter(root: project.outputRoot)
        return WorkerPool.run(count: items.count, workers: project.settings.renderSlots) { index in
            let item = items[index]
            let start = DispatchTime.now().uptimeNanoseconds
            let status: ItemResult.Status
            do throws(Diagnostic) {
                let content = try session.render(item.config, target: item.target)
                switch mode {
                case .check:
                    status = .rendered
                case .write:
                    switch try writer.write(Array(content.utf8), to: item.target.output) {
                    case .written: status = .written
                    case .unchanged: status = .unchanged
                    }
                }
            } catch {
                status = .failed(error)
            }
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            return ItemResult(item: item, status: status, seconds: seconds)
        }
    }
}
