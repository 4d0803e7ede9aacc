/// MarkupSafe: escaping text for HTML, and the Markup rules that filters and operators follow.
enum HTML {
    /// `markupsafe.escape` on text: `& < > ' "` become entities. Returns `s` itself (no copy)
    /// when nothing needs escaping, which is the common case.
    static func escape(_ s: String) -> String {
        var needs = false
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "&"), UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""):
                needs = true
            default: continue
            }
            break
        }
        guard needs else { return s }
        var out = [UInt8]()
        out.reserveCapacity(s.utf8.count + 16)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "&"): out.append(contentsOf: "&amp;".utf8)
            case UInt8(ascii: "<"): out.append(contentsOf: "&lt;".utf8)
            case UInt8(ascii: ">"): out.append(contentsOf: "&gt;".utf8)
            case UInt8(ascii: "'"): out.append(contentsOf: "&#39;".utf8)
            case UInt8(ascii: "\""): out.append(contentsOf: "&#34;".utf8)
            default: out.append(byte)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// `markupsafe.Markup.unescape`: the entities of `striptags` output back to text. Knows the
    /// numeric forms and the common named entities (not the whole HTML5 table).
    static func unescape(_ s: String) -> String {
        guard s.utf8.contains(UInt8(ascii: "&")) else { return s }
        let scalars = Array(s.unicodeScalars)
        var out = ScalarBuffer()
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            guard c == "&" else { out.append(c); i += 1; continue }
            var j = i + 1
            while j < scalars.count, j - i <= 32, scalars[j] != ";", scalars[j] != "&", !PyString.isSpace(scalars[j]) { j += 1 }
            if j < scalars.count, scalars[j] == ";" {
                let name = PyString.make(scalars[(i + 1)..<j])
                if let decoded = decodeEntity(name) {
                    out.append(contentsOf: decoded.unicodeScalars)
                    i = j + 1
                    continue
                }
            }
            out.append(c)
            i += 1
        }
        return String(out)
    }

    private static let namedEntities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{a0}",
        "copy": "©", "reg": "®", "trade": "™", "hellip": "…", "mdash": "—", "ndash": "–",
        "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”", "laquo": "«", "raquo": "»",
        "middot": "·", "bull": "•", "euro": "€", "pound": "£", "yen": "¥", "cent": "¢",
        "sect": "§", "para": "¶", "deg": "°", "plusmn": "±", "times": "×", "divide": "÷",
        "frac12": "½", "frac14": "¼", "frac34": "¾", "iexcl": "¡", "iquest": "¿", "shy": "\u{ad}",
    ]

    private static func decodeEntity(_ name: String) -> String? {
        if name.hasPrefix("#") {
            var digits = name.dropFirst()
            var radix = 10
            if digits.first == "x" || digits.first == "X" { radix = 16; digits = digits.dropFirst() }
            guard !digits.isEmpty, let code = UInt32(digits, radix: radix) else { return nil }
            if code == 0 || code > 0x10FFFF || (0xD800...0xDFFF).contains(code) { return "\u{FFFD}" }
            return Unicode.Scalar(code).map { String($0) }
        }
        return namedEntities[name]
    }

    /// `Markup.striptags()`: comments and tags removed, whitespace collapsed, entities decoded.
    static func striptags(_ s: String) -> String {
        let scalars = Array(s.unicodeScalars)
        var text = ScalarBuffer()
        var i = 0
        let n = scalars.count
        func startsWith(_ pattern: String, at index: Int) -> Bool {
            var k = index
            for p in pattern.unicodeScalars {
                guard k < n, scalars[k] == p else { return false }
                k += 1
            }
            return true
        }
        // Comments first (`<!--.*?-->`), then tags (`<.*?>`), as two passes like MarkupSafe.
        var withoutComments: [Unicode.Scalar] = []
        withoutComments.reserveCapacity(n)
        while i < n {
            if scalars[i] == "<", startsWith("<!--", at: i) {
                var j = i + 4
                while j < n, !startsWith("-->", at: j) { j += 1 }
                if j < n { i = j + 3; continue }
            }
            withoutComments.append(scalars[i])
            i += 1
        }
        i = 0
        let m = withoutComments.count
        while i < m {
            if withoutComments[i] == "<" {
                var j = i + 1
                while j < m, withoutComments[j] != ">" { j += 1 }
                if j < m { i = j + 1; continue }
            }
            text.append(withoutComments[i])
            i += 1
        }
        let collapsed = (try? PyString.split(String(text), nil)) ?? []
        return unescape(collapsed.joined(separator: " "))
    }
}

extension RenderState {
    /// `markupsafe.escape(value)`: Markup stays as it is, anything else is `str()`-ed and escaped.
    func escape(_ value: Value) throws -> Value {
        if case .markup = value { return value }
        return .markup(HTML.escape(try str(value)))
    }

    /// The text of a value where Markup would escape it: Markup as it is, the rest escaped.
    func escapedText(_ value: Value) throws -> String {
        if case .markup(let s) = value { return s }
        return HTML.escape(try str(value))
    }

    /// Wraps a string result as Markup when `like` is Markup (MarkupSafe's methods keep the type).
    func same(as like: Value, _ s: String) -> Value {
        if case .markup = like { return .markup(s) }
        return .string(s)
    }
}
