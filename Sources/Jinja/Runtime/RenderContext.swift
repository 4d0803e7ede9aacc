/// What one template render shares across its inheritance chain: the root frame of variables,
/// the blocks by name (most derived first, for `super()`), and the template whose code runs.
final class RenderContext {
    let root: Frame
    /// For each block name, its definitions from the most derived template to the base.
    var blocks: [String: [(definition: BlockDefinition, template: Template)]] = [:]

    init(root: Frame) {
        self.root = root
    }

    /// Registers a template's blocks behind those already known (children register first).
    func register(_ template: Template) {
        for (name, definition) in template.blocks {
            blocks[name, default: []].append((definition, template))
        }
    }
}
