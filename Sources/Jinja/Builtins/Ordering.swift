/// Sorting as Python's `sorted` does it: by `<` alone, stable, `reverse` keeping equal elements
/// in their original order; and the case-insensitive keys of Jinja2's `ignore_case`.
enum Ordering {
    /// Sorts `elements` by the key `key` gives each (computed once per element).
    static func sorted(_ elements: [Value], reverse: Bool, state: RenderState,
                       key: (Value) throws -> Value) throws -> [Value] {
        var decorated: [(key: Value, value: Value)] = []
        decorated.reserveCapacity(elements.count)
        for element in elements { decorated.append((try key(element), element)) }
        if let fast = sortedByPlainKeys(decorated, reverse: reverse) { return fast }
        if reverse {
            try decorated.sort { try Operators.lessThan($1.key, $0.key, state: state) }
        } else {
            try decorated.sort { try Operators.lessThan($0.key, $1.key, state: state) }
        }
        return decorated.map(\.value)
    }

    /// The common cases without going through `Operators.lessThan` per comparison: every key an
    /// int, or every key a string (UTF-8 byte order is code point order, Python's string order).
    /// Nil when the keys are mixed or of other kinds.
    private static func sortedByPlainKeys(_ decorated: [(key: Value, value: Value)], reverse: Bool) -> [Value]? {
        var ints: [(Int, Value)] = []
        var numbers: [(Double, Value)] = []
        var strings: [(String, Value)] = []
        for (key, value) in decorated {
            switch key {
            case .int(let i) where strings.isEmpty: ints.append((i, value)); numbers.append((Double(i), value))
            case .float(let d) where strings.isEmpty && !d.isNaN: numbers.append((d, value))
            case .string(let s) where numbers.isEmpty, .markup(let s) where numbers.isEmpty: strings.append((s, value))
            default: return nil
            }
        }
        // Ints compare exactly; a mix with floats compares as doubles, exact below 2^53.
        if !ints.isEmpty && ints.count == numbers.count {
            if reverse { ints.sort { $1.0 < $0.0 } } else { ints.sort { $0.0 < $1.0 } }
            return ints.map(\.1)
        }
        if !numbers.isEmpty {
            if reverse { numbers.sort { $1.0 < $0.0 } } else { numbers.sort { $0.0 < $1.0 } }
            return numbers.map(\.1)
        }
        if reverse {
            strings.sort { $1.0.utf8.lexicographicallyPrecedes($0.0.utf8) }
        } else {
            strings.sort { $0.0.utf8.lexicographicallyPrecedes($1.0.utf8) }
        }
        return strings.map(\.1)
    }

    /// Jinja2's `ignore_case`: strings in lower case, anything else as it is.
    static func ignoreCase(_ value: Value) -> Value {
        switch value {
        case .string(let s): return .string(PyString.lower(s))
        case .markup(let s): return .markup(PyString.lower(s))
        default: return value
        }
    }

    /// The element with the smallest (or largest) key; the first one among equals, as Python's
    /// `min` and `max`.
    static func extreme(_ elements: [Value], largest: Bool, state: RenderState,
                        key: (Value) throws -> Value) throws -> Value? {
        guard var best = elements.first else { return nil }
        var bestKey = try key(best)
        for element in elements.dropFirst() {
            let k = try key(element)
            let better = largest ? try Operators.lessThan(bestKey, k, state: state)
                                 : try Operators.lessThan(k, bestKey, state: state)
            if better { best = element; bestKey = k }
        }
        return best
    }
}

/// Jinja2's `make_attrgetter`: a dotted path (`"address.city"`, `"items.0"`) looked up with
/// `getitem` at each step; digits are integer indices.
struct AttributePath {
    enum Part { case name(String), index(Int) }
    let parts: [Part]

    init(_ attribute: Value?) {
        switch attribute {
        case nil, .some(.none): parts = []
        case .some(.string(let s)), .some(.markup(let s)):
            parts = s.split(separator: ".", omittingEmptySubsequences: false).map { part in
                if !part.isEmpty, part.unicodeScalars.allSatisfy(PyString.isDigit), let i = Int(part) { return .index(i) }
                return .name(String(part))
            }
        case .some(.int(let i)): parts = [.index(i)]
        case .some(let other): parts = [.name(other.pythonStr)]
        }
    }

    var isEmpty: Bool { parts.isEmpty }

    /// The value at the end of the path; `defaultValue` replaces an undefined met on the way.
    func lookup(_ value: Value, state: RenderState, defaultValue: Value? = nil) throws -> Value {
        var current = value
        for part in parts {
            switch part {
            case .name(let name): current = try state.item(of: current, .string(name))
            case .index(let i): current = try state.item(of: current, .int(i))
            }
            if let defaultValue, current.isUndefined { current = defaultValue }
        }
        return current
    }

    /// Several comma-separated paths (`"age,name"`), as `make_multi_attrgetter`.
    static func multiple(_ attribute: Value?) -> [AttributePath] {
        if case .some(.string(let s)) = attribute {
            return s.split(separator: ",", omittingEmptySubsequences: false).map { AttributePath(.string(String($0))) }
        }
        return [AttributePath(attribute)]
    }
}
