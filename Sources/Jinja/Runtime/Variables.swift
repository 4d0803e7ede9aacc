/// The variables of one frame. Frames hold a handful of names (a loop target, `loop`, a macro's
/// parameters), where a linear search over short strings beats hashing; past a dozen names (a
/// large render context) a hash index takes over.
struct Variables {
    private var names: [String] = []
    private var values: [Value] = []
    private var index: [String: Int]?
    private static let indexThreshold = 12

    init() {}

    init(_ dictionary: [String: Value]) {
        names.reserveCapacity(dictionary.count)
        values.reserveCapacity(dictionary.count)
        for (name, value) in dictionary {
            names.append(name)
            values.append(value)
        }
        if names.count > Variables.indexThreshold { buildIndex() }
    }

    var isEmpty: Bool { names.isEmpty }

    subscript(name: String) -> Value? {
        get {
            guard let position = position(of: name) else { return nil }
            return values[position]
        }
        set {
            if let position = position(of: name) {
                if let newValue {
                    values[position] = newValue
                } else {
                    names.remove(at: position)
                    values.remove(at: position)
                    if index != nil { buildIndex() }
                }
            } else if let newValue {
                index?[name] = names.count
                names.append(name)
                values.append(newValue)
                if index == nil && names.count > Variables.indexThreshold { buildIndex() }
            }
        }
    }

    /// The position of `name`, added (as none) when absent. Positions stay valid while no name is
    /// removed: a loop finds its target's slot once and assigns each item through it.
    mutating func slot(for name: String) -> Int {
        if let position = position(of: name) { return position }
        self[name] = Value.none
        return names.count - 1
    }

    mutating func set(_ value: Value, at slot: Int) {
        values[slot] = value
    }

    /// Every name and value, for merging frames into an `include`'s context.
    var pairs: Zip2Sequence<[String], [Value]> { zip(names, values) }

    private func position(of name: String) -> Int? {
        if let index { return index[name] }
        // Comparing lengths first (stored inline in short strings) skips String's out-of-line
        // comparison for most of the names that differ.
        let length = name.utf8.count
        return names.firstIndex { $0.utf8.count == length && $0 == name }
    }

    private mutating func buildIndex() {
        var built: [String: Int] = [:]
        built.reserveCapacity(names.count)
        for (position, name) in names.enumerated() { built[name] = position }
        index = built
    }
}
