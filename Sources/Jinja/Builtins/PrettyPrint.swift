/// `pprint`: Python's `pprint.pformat(value)` (width 80, indent 1, dicts sorted by key): values
/// whose `repr` fits stay on one line; longer lists, tuples, dicts and strings are wrapped the
/// way `pprint` wraps them.
enum PrettyPrint {
    static let width = 80

    static func format(_ value: Value) -> String {
        var out = ""
        write(value, into: &out, indent: 0, allowance: 0, level: 0)
        return out
    }

    /// `repr()` with dict keys sorted, as `pprint` prints them.
    static func repr(_ value: Value) -> String {
        switch value {
        case .list(let l): return "[" + l.elements.map(repr).joined(separator: ", ") + "]"
        case .tuple(let t):
            if t.count == 1 { return "(" + repr(t[0]) + ",)" }
            return "(" + t.map(repr).joined(separator: ", ") + ")"
        case .dict(let d):
            return "{" + sortedPairs(d).map { repr($0.0) + ": " + repr($0.1) }.joined(separator: ", ") + "}"
        default: return value.pythonRepr
        }
    }

    /// Pairs sorted by key; keys that do not compare keep their order after those that do
    /// (Python falls back to type names and object ids).
    private static func sortedPairs(_ d: DictStorage) -> [(Value, Value)] {
        let pairs = Array(d.snapshot.pairs)
        return pairs.enumerated().sorted { a, b in
            if let less = orderedBefore(a.element.0, b.element.0) { return less }
            let ta = "<class '\(a.element.0.typeName)'>", tb = "<class '\(b.element.0.typeName)'>"
            if ta != tb { return ta.utf8.lexicographicallyPrecedes(tb.utf8) }
            return a.offset < b.offset
        }.map(\.element)
    }

    private static func orderedBefore(_ a: Value, _ b: Value) -> Bool? {
        switch (a, b) {
        case (.string(let x), .string(let y)), (.string(let x), .markup(let y)),
             (.markup(let x), .string(let y)), (.markup(let x), .markup(let y)):
            return x.utf8.lexicographicallyPrecedes(y.utf8)
        default:
            if let x = a.numericValue, let y = b.numericValue { return x.asDouble < y.asDouble }
            return nil
        }
    }

    private static func write(_ value: Value, into out: inout String, indent: Int, allowance: Int, level: Int) {
        let rep = repr(value)
        guard PyString.length(rep) > width - indent - allowance else { out += rep; return }
        switch value {
        case .list(let l):
            out += "["
            writeItems(l.elements, into: &out, indent: indent, allowance: allowance + 1, level: level + 1)
            out += "]"
        case .tuple(let t):
            out += "("
            let end = t.count == 1 ? ",)" : ")"
            writeItems(t, into: &out, indent: indent, allowance: allowance + end.count, level: level + 1)
            out += end
        case .dict(let d):
            out += "{"
            let pairs = sortedPairs(d)
            let inner = indent + 1
            for (i, (key, item)) in pairs.enumerated() {
                let last = i == pairs.count - 1
                let keyRep = repr(key)
                out += keyRep + ": "
                write(item, into: &out, indent: inner + PyString.length(keyRep) + 2,
                      allowance: last ? allowance + 1 : 1, level: level + 1)
                if !last { out += ",\n" + String(repeating: " ", count: inner) }
            }
            out += "}"
        case .string(let s):
            writeString(s, into: &out, indent: indent, allowance: allowance, level: level + 1)
        default:
            out += rep
        }
    }

    private static func writeItems(_ items: [Value], into out: inout String, indent: Int, allowance: Int, level: Int) {
        let inner = indent + 1
        for (i, item) in items.enumerated() {
            if i > 0 { out += ",\n" + String(repeating: " ", count: inner) }
            let last = i == items.count - 1
            write(item, into: &out, indent: inner, allowance: last ? allowance : 1, level: level)
        }
    }

    private static func writeString(_ s: String, into out: inout String, indent: Int, allowance: Int, level: Int) {
        var indent = indent, allowance = allowance
        let lines = PyString.splitlines(s, keepends: true)
        if level == 1 { indent += 1; allowance += 1 }
        let maxWidth = width - indent
        var chunks: [String] = []
        var lastRep = Value.reprString(s)
        for (i, line) in lines.enumerated() {
            let rep = Value.reprString(line)
            lastRep = rep
            let isLastLine = i == lines.count - 1
            let limit = isLastLine ? maxWidth - allowance : maxWidth
            if PyString.length(rep) <= limit { chunks.append(rep); continue }
            // Alternating runs of non-space then space (`\S*\s*`).
            var parts: [String] = []
            var current = ScalarBuffer()
            var inSpace = false
            for c in line.unicodeScalars {
                let space = PyString.isSpace(c)
                if !space && inSpace { parts.append(String(current)); current = ScalarBuffer(); inSpace = false }
                if space { inSpace = true }
                current.append(c)
            }
            if !current.isEmpty { parts.append(String(current)) }
            var pending = ""
            for (j, part) in parts.enumerated() {
                let candidate = pending + part
                var limit2 = maxWidth
                if j == parts.count - 1 && isLastLine { limit2 -= allowance }
                if Value.reprString(candidate).unicodeScalars.count > limit2 {
                    if !pending.isEmpty { chunks.append(Value.reprString(pending)) }
                    pending = part
                } else {
                    pending = candidate
                }
            }
            if !pending.isEmpty { chunks.append(Value.reprString(pending)) }
        }
        if chunks.count <= 1 { out += chunks.count == 1 ? lastRep : Value.reprString(s); return }
        if level == 1 { out += "(" }
        out += chunks.joined(separator: "\n" + String(repeating: " ", count: indent))
        if level == 1 { out += ")" }
    }
}
