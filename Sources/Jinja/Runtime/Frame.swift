/// The variables one part of a render sees. Frames chain: a `for` body, a `with` body, a macro
/// call each open a frame whose parent is the enclosing one; lookups walk outwards and end in the
/// root frame of the template's context, then the environment's globals.
/// Frames are confined to the thread of one render.
final class Frame {
    var locals: Variables
    let parent: Frame?
    /// The root frame of a template's context: top-level `set` and `macro` land here and, unless
    /// their name starts with `_`, are exported to `import`.
    let isRoot: Bool
    private(set) var exported: [String] = []

    init(locals: [String: Value] = [:], parent: Frame?) {
        self.locals = Variables(locals)
        self.parent = parent
        isRoot = parent == nil
    }

    func lookup(_ name: String) -> Value? {
        // The chain is kept alive by `self` (each frame holds its parent strongly), so walking it
        // needs no retain and release per step; this is the hottest loop of a render.
        withExtendedLifetime(self) {
            unowned(unsafe) var current = self
            while true {
                if let value = current.locals[name] { return value }
                guard let parent = current.parent else { return nil }
                current = parent
            }
        }
    }

    /// Assigns in this frame, recording an export when this is a root frame.
    func assign(_ name: String, _ value: Value, export: Bool = true) {
        if isRoot && export && !name.hasPrefix("_") && !exported.contains(name) {
            exported.append(name)
        }
        locals[name] = value
    }

    /// Every visible variable, inner frames winning: what an `include` with context sees.
    func flattened() -> [String: Value] {
        var chain: [Frame] = []
        var frame: Frame? = self
        while let current = frame {
            chain.append(current)
            frame = current.parent
        }
        var all: [String: Value] = [:]
        for current in chain.reversed() {
            for (name, value) in current.locals.pairs { all[name] = value }
        }
        return all
    }
}
