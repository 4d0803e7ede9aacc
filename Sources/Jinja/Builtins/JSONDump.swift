/// `tojson`: Python's `json.dumps(value, sort_keys=True[, indent])` (Jinja2's default policy),
/// then `<`, `>`, `&` and `'` as `\u` escapes so that the result is safe inside HTML.
enum JSONDump {
    static func htmlSafe(_ value: Value, indent: String?, state: RenderState) throws -> String {
        var out = ""
        try write(value, into: &out, indent: indent, level: 0, state: state)
        return out
    }

    private static func write(_ value: Value, into out: inout String, indent: String?, level: Int, state: RenderState) throws {
        switch value {
        case .none: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .int(let i): out += String(i)
        case .float(let d): out += float(d)
        case .string(let s), .markup(let s): writeString(s, into: &out)
        case .list(let l): try writeArray(l.elements, into: &out, indent: indent, level: level, state: state)
        case .tuple(let t): try writeArray(t, into: &out, indent: indent, level: level, state: state)
        case .dict(let d):
            let pairs = Array(d.snapshot.pairs)
            if pairs.isEmpty { out += "{}"; return }
            let sorted = try pairs.sorted { try Operators.lessThan($0.0, $1.0, state: state) }
            out += "{"
            for (i, (key, item)) in sorted.enumerated() {
                if i > 0 { out += indent == nil ? ", " : "," }
                newline(&out, indent, level + 1)
                let name: String
                switch key {
                case .string(let s), .markup(let s): name = s
                case .int(let n): name = String(n)
                case .float(let d): name = float(d)
                case .bool(let b): name = b ? "true" : "false"
                case .none: name = "null"
                default: throw TemplateError(.type, "keys must be str, int, float, bool or None, not \(key.typeName)")
                }
                writeString(name, into: &out)
                out += ": "
                try write(item, into: &out, indent: indent, level: level + 1, state: state)
            }
            newline(&out, indent, level)
            out += "}"
        case .undefined, .object:
            throw TemplateError(.type, "Object of type \(state.typeName(of: value)) is not JSON serializable")
        }
    }

    private static func writeArray(_ items: [Value], into out: inout String, indent: String?, level: Int, state: RenderState) throws {
        if items.isEmpty { out += "[]"; return }
        out += "["
        for (i, item) in items.enumerated() {
            if i > 0 { out += indent == nil ? ", " : "," }
            newline(&out, indent, level + 1)
            try write(item, into: &out, indent: indent, level: level + 1, state: state)
        }
        newline(&out, indent, level)
        out += "]"
    }

    private static func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out += "\n"
        for _ in 0..<level { out += indent }
    }

    private static func float(_ d: Double) -> String {
        if d.isNaN { return "NaN" }
        if d.isInfinite { return d < 0 ? "-Infinity" : "Infinity" }
        return Value.formatFloat(d)
    }

    /// A JSON string with `ensure_ascii`, plus the HTML-safe escapes.
    private static func writeString(_ s: String, into out: inout String) {
        out += "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<": out += "\\u003c"
            case ">": out += "\\u003e"
            case "&": out += "\\u0026"
            case "'": out += "\\u0027"
            default:
                if c.value >= 0x20 && c.value < 0x7f {
                    out.unicodeScalars.append(c)
                } else if c.value <= 0xffff {
                    out += "\\u" + hex4(c.value)
                } else {
                    let v = c.value - 0x10000
                    out += "\\u" + hex4(0xD800 + (v >> 10)) + "\\u" + hex4(0xDC00 + (v & 0x3ff))
                }
            }
        }
        out += "\""
    }

    private static func hex4(_ v: UInt32) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
    }
}
