/// The string filters. Like Jinja2 (through MarkupSafe), a filter given Markup gives Markup back
/// where Python's `Markup` methods would.
extension Filters {
    static let strings: [String: FilterFunction] = [
        "upper": transform("do_upper") { PyString.upper($0) },
        "lower": transform("do_lower") { PyString.lower($0) },
        "capitalize": transform("do_capitalize") { PyString.capitalize($0) },
        "title": { value, args, state in
            try Signature.none("do_title", args)
            return .string(jinjaTitle(try state.str(value)))
        },
        "trim": { value, args, state in
            let a = try Signature("do_trim", ["chars"]).bind(args)
            let chars = try state.optionalString(a[0])
            return state.same(as: value, PyString.strip(try state.str(value), chars))
        },
        "center": { value, args, state in
            let a = try Signature("do_center", ["width"]).bind(args)
            let width = try a[0].map { try state.index($0) } ?? 80
            return state.same(as: value, PyString.center(try state.str(value), width))
        },
        "string": { value, args, state in
            try Signature.none("soft_str", args)
            if case .markup = value { return value }
            return .string(try state.str(value))
        },
        "safe": { value, args, state in
            try Signature.none("do_mark_safe", args)
            if case .markup = value { return value }
            return .markup(try state.str(value))
        },
        "escape": escapeFilter,
        "e": escapeFilter,
        "forceescape": { value, args, state in
            try Signature.none("do_forceescape", args)
            return .markup(HTML.escape(try state.str(value)))
        },
        "striptags": { value, args, state in
            try Signature.none("do_striptags", args)
            return .string(HTML.striptags(try state.str(value)))
        },
        "wordcount": { value, args, state in
            try Signature.none("do_wordcount", args)
            var count = 0, inWord = false
            for c in try state.str(value).unicodeScalars {
                let word = PyString.isWordCharacter(c)
                if word && !inWord { count += 1 }
                inWord = word
            }
            return .int(count)
        },
        "truncate": { value, args, state in
            let a = try Signature("do_truncate", ["length", "killwords", "end", "leeway"], implicit: 2).bind(args)
            let length = try a[0].map { try state.index($0) } ?? 255
            let killwords = try a[1].map { try state.truthy($0) } ?? false
            let end = try a[2].map { try state.str($0) } ?? "..."
            let leeway = try state.optionalIndex(a[3]) ?? 5
            let s = try state.str(value)
            let endLength = PyString.length(end)
            guard length >= endLength else {
                throw TemplateError(.runtime, "expected length >= \(endLength), got \(length)")
            }
            guard leeway >= 0 else { throw TemplateError(.runtime, "expected leeway >= 0, got \(leeway)") }
            if case .undefined(let u) = value, !state.isStrict(u) { return value }
            let scalars = s.unicodeScalars
            if PyString.length(s) <= length + leeway { return value.isMarkup ? value : .string(s) }
            let head = scalars[..<scalars.index(scalars.startIndex, offsetBy: length - endLength)]
            // `rsplit(" ", 1)[0]`: up to the last space, if there is one.
            let kept = String(killwords ? head : head.lastIndex(of: " ").map { head[..<$0] } ?? head)
            return state.same(as: value, kept + (value.isMarkup ? HTML.escape(end) : end))
        },
        "replace": { value, args, state in
            let a = try Signature("do_replace", ["old", "new", "count"], required: 2, implicit: 2).bind(args)
            let old = a[0] ?? .none, new = a[1] ?? .none
            let count = try state.optionalIndex(a[2]) ?? -1
            guard state.autoescape else {
                return .string(PyString.replace(try state.str(value), try state.str(old), try state.str(new), count: count))
            }
            // Jinja2: `old or new is Markup and s is not` escapes s; Markup then escapes the rest.
            if old.isMarkup || (new.isMarkup && !value.isMarkup) || value.isMarkup {
                let s = try state.escapedText(value)
                return .markup(PyString.replace(s, try state.escapedText(old), try state.escapedText(new), count: count))
            }
            return .string(PyString.replace(try state.str(value), try state.str(old), try state.str(new), count: count))
        },
        "indent": { value, args, state in
            let a = try Signature("do_indent", ["width", "first", "blank"]).bind(args)
            let indentation: String
            switch a[0] ?? .int(4) {
            case .string(let s), .markup(let s): indentation = s
            case let width: indentation = String(repeating: " ", count: max(0, try state.index(width)))
            }
            let first = try a[1].map { try state.truthy($0) } ?? false
            let blank = try a[2].map { try state.truthy($0) } ?? false
            let s: String
            switch value {
            case .string(let text), .markup(let text): s = text
            case .undefined(let u): throw state.undefinedError(u)
            default: throw TemplateError(.type, "unsupported operand type(s) for +=: '\(state.typeName(of: value))' and 'str'")
            }
            let indent = value.isMarkup ? HTML.escape(indentation) : indentation
            var result = PyString.indent(s, with: indent, blank: blank)
            if first { result = indent + result }
            return state.same(as: value, result)
        },
        "format": { value, args, state in
            if !args.positional.isEmpty && !args.keyword.isEmpty {
                throw TemplateError(.runtime, "can't handle positional and keyword arguments at the same time")
            }
            let values: Value = args.keyword.isEmpty ? .tuple(args.positional) : .dict(args.keyword)
            switch value {
            case .markup(let s): return .markup(try PythonFormat.percent(s, values, state: state, escaping: true))
            default: return .string(try PythonFormat.percent(try state.str(value), values, state: state))
            }
        },
        "urlencode": { value, args, state in
            try Signature.none("do_urlencode", args)
            switch value {
            case .string, .markup, .int, .float, .bool, .none, .undefined:
                return .string(URLQuote.quote(try state.str(value), forQuery: false))
            case .dict(let d):
                return .string(try d.snapshot.pairs.map {
                    URLQuote.quote(try state.str($0), forQuery: true) + "=" + URLQuote.quote(try state.str($1), forQuery: true)
                }.joined(separator: "&"))
            default:
                return .string(try state.iterate(value).map { pair in
                    let parts = try state.iterate(pair)
                    guard parts.count == 2 else {
                        throw TemplateError(.value, "too many values to unpack (expected 2)")
                    }
                    return URLQuote.quote(try state.str(parts[0]), forQuery: true) + "=" + URLQuote.quote(try state.str(parts[1]), forQuery: true)
                }.joined(separator: "&"))
            }
        },
        "xmlattr": { value, args, state in
            let a = try Signature("do_xmlattr", ["autospace"], implicit: 2).bind(args)
            let autospace = try a[0].map { try state.truthy($0) } ?? true
            guard case .dict(let d) = value else {
                if case .undefined(let u) = value { throw state.undefinedError(u) }
                throw TemplateError(.type, "'\(value.typeName)' object has no attribute 'items'")
            }
            var items: [String] = []
            for (key, item) in d.snapshot.pairs {
                if item.isNone || item.isUndefined { continue }
                let name = try state.str(key)
                if name.unicodeScalars.contains(where: { $0 == "/" || $0 == ">" || $0 == "=" || ($0.isASCII && PyString.isSpace($0)) }) {
                    throw TemplateError(.value, "Invalid character in attribute name: \(Value.reprString(name))")
                }
                items.append("\(try state.escapedText(key))=\"\(try state.escapedText(item))\"")
            }
            var result = items.joined(separator: " ")
            if autospace && !result.isEmpty { result = " " + result }
            return state.autoescape ? .markup(result) : .string(result)
        },
        "pprint": { value, args, _ in
            try Signature.none("do_pprint", args)
            return .string(PrettyPrint.format(value))
        },
        "tojson": { value, args, state in
            let a = try Signature("do_tojson", ["indent"], implicit: 2).bind(args)
            var indent: String? = nil
            switch a[0] {
            case nil, .some(.none): break
            case .some(.string(let s)), .some(.markup(let s)): indent = s
            case .some(let n): indent = String(repeating: " ", count: max(0, try state.index(n)))
            }
            return .markup(try JSONDump.htmlSafe(value, indent: indent, state: state))
        },
    ]

    private static let escapeFilter: FilterFunction = { value, args, state in
        try Signature.none("escape", args, implicit: 1)
        return try state.escape(value)
    }

    /// A filter that applies a string transformation to `str(value)`, keeping Markup.
    private static func transform(_ name: String, _ body: @escaping @Sendable (String) -> String) -> FilterFunction {
        { value, args, state in
            try Signature.none(name, args)
            return state.same(as: value, body(try state.str(value)))
        }
    }

    /// Jinja2's `title`: every word (split at whitespace, `-`, and opening brackets) gets its
    /// first character upper-cased and the rest lower-cased.
    static func jinjaTitle(_ s: String) -> String {
        if let ascii = asciiTitle(s) { return ascii }
        var out = ScalarBuffer()
        var wordStart = true
        for c in s.unicodeScalars {
            let separator = PyString.isSpace(c) || c == "-" || c == "(" || c == "{" || c == "[" || c == "<"
            if separator {
                out.append(c)
                wordStart = true
            } else if c.isASCII {
                // ASCII letters change case by one bit; the Unicode tables are far slower.
                let isLower = ("a"..."z").contains(c), isUpper = ("A"..."Z").contains(c)
                let flip = (wordStart && isLower) || (!wordStart && isUpper)
                out.append(flip ? Unicode.Scalar(UInt8(c.value ^ 0x20)) : c)
                wordStart = false
            } else {
                out.append(contentsOf: (wordStart ? PyString.upper(c) : PyString.lower(c)).unicodeScalars)
                wordStart = false
            }
        }
        return String(out)
    }

    /// `jinjaTitle` of an ASCII string, on its bytes (nil when `s` is not ASCII): titles are
    /// mostly short ASCII labels, and walking code points through a scalar buffer cost more.
    private static func asciiTitle(_ s: String) -> String? {
        var bytes = Array(s.utf8)
        var wordStart = true
        for (i, byte) in bytes.enumerated() {
            switch byte {
            case 0x80...: return nil
            case 0x09...0x0d, 0x1c...0x20, UInt8(ascii: "-"), UInt8(ascii: "("), UInt8(ascii: "{"),
                 UInt8(ascii: "["), UInt8(ascii: "<"):
                wordStart = true
            case UInt8(ascii: "a")...UInt8(ascii: "z"):
                if wordStart { bytes[i] = byte ^ 0x20 }
                wordStart = false
            case UInt8(ascii: "A")...UInt8(ascii: "Z"):
                if !wordStart { bytes[i] = byte ^ 0x20 }
                wordStart = false
            default:
                wordStart = false
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// `urllib.parse.quote`, as Jinja2's `url_quote` uses it: UTF-8 bytes, unreserved characters
/// kept, `/` kept in paths; in query strings `/` is quoted and spaces become `+`.
enum URLQuote {
    static func quote(_ s: String, forQuery: Bool) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for byte in s.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."),
                 UInt8(ascii: "-"), UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: "/") where !forQuery:
                out.append("/")
            case UInt8(ascii: " ") where forQuery:
                out.append("+")
            default:
                out.append("%")
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte >> 4)]))
                out.unicodeScalars.append(Unicode.Scalar(hex[Int(byte & 0xf)]))
            }
        }
        return out
    }
}
