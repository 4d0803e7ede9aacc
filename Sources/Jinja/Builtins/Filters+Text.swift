import Foundation

/// `wordwrap` (Python's `textwrap.wrap`) and `urlize` (Jinja2's `utils.urlize`). Both follow
/// Python's regular expressions, run here through ICU, whose `\w`, `\d` and `\s` agree with
/// Python's Unicode classes.
extension Filters {
    static let text: [String: FilterFunction] = [
        "wordwrap": { value, args, state in
            let a = try Signature("do_wordwrap", ["width", "break_long_words", "wrapstring", "break_on_hyphens"], implicit: 2).bind(args)
            let width = try a[0].map { try state.index($0) } ?? 79
            let breakLong = try a[1].map { try state.truthy($0) } ?? true
            let wrapstring = try state.optionalString(a[2]) ?? "\n"
            let breakHyphens = try a[3].map { try state.truthy($0) } ?? true
            if case .undefined(let u) = value { throw state.undefinedError(u) }
            let s = try state.str(value)
            let wrapper = TextWrapper(width: width, breakLongWords: breakLong, breakOnHyphens: breakHyphens)
            let paragraphs = try PyString.splitlines(s).map { try wrapper.wrap($0).joined(separator: wrapstring) }
            return .string(paragraphs.joined(separator: wrapstring))
        },
        "urlize": { value, args, state in
            let a = try Signature("do_urlize", ["trim_url_limit", "nofollow", "target", "rel", "extra_schemes"], implicit: 2).bind(args)
            let limit = try state.optionalIndex(a[0])
            let nofollow = try a[1].map { try state.truthy($0) } ?? false
            let target = try state.optionalString(a[2])
            var relParts = Set(try PyString.split(try state.optionalString(a[3]) ?? "", nil))
            if nofollow { relParts.insert("nofollow") }
            relParts.insert("noopener")
            let rel = relParts.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined(separator: " ")
            var schemes: [String] = []
            if let extra = a[4], !extra.isNone {
                for scheme in try state.iterate(extra) {
                    let text = try state.str(scheme)
                    guard Urlize.isSchemePrefix(text) else {
                        throw TemplateError(.runtime, "\(Value.reprString(text)) is not a valid URI scheme prefix.")
                    }
                    schemes.append(text)
                }
            }
            let text = try state.escapedText(value)
            let result = Urlize.urlize(text, trimLimit: limit, rel: rel.isEmpty ? nil : rel, target: target, extraSchemes: schemes)
            return state.autoescape ? .markup(result) : .string(result)
        },
    ]
}

/// A regular expression compiled once; nil only if the pattern were invalid (it is a constant).
/// `NSRegularExpression` is immutable and documented thread-safe.
struct Pattern: @unchecked Sendable {
    let regex: NSRegularExpression?

    init(_ pattern: String, options: NSRegularExpression.Options = []) {
        regex = try? NSRegularExpression(pattern: pattern, options: options)
    }

    func matches(_ s: String) -> Bool {
        guard let regex else { return false }
        return regex.firstMatch(in: s, range: NSRange(s.startIndex..., in: s)) != nil
    }

    /// Python's `re.split` with one capturing group around the whole pattern, empty pieces dropped.
    func splitKeepingSeparators(_ s: String) -> [String] {
        guard let regex else { return [s] }
        var pieces: [String] = []
        var last = s.startIndex
        for match in regex.matches(in: s, range: NSRange(s.startIndex..., in: s)) {
            guard let range = Range(match.range, in: s) else { continue }
            if last < range.lowerBound { pieces.append(String(s[last..<range.lowerBound])) }
            if !range.isEmpty { pieces.append(String(s[range])) }
            last = range.upperBound
        }
        if last < s.endIndex { pieces.append(String(s[last...])) }
        return pieces
    }
}

/// Python's `textwrap.TextWrapper` with Jinja2's settings: tabs kept, whitespace kept,
/// whitespace dropped at line ends.
struct TextWrapper {
    let width: Int
    let breakLongWords: Bool
    let breakOnHyphens: Bool

    private static let ws = "[\\t\\n\\x0b\\x0c\\r ]"
    private static let nws = "[^\\t\\n\\x0b\\x0c\\r ]"
    private static let wp = "[\\w!\"'&.,?]"
    private static let lt = "[^\\d\\W]"
    private static let wordSeparator = Pattern(
        "(?:\(ws)+|(?<=\(wp))-{2,}(?=\\w)|\(nws)+?(?:-(?:(?<=\(lt){2}-)|(?<=\(lt)-\(lt)-))(?=\(lt)-?\(lt))|(?=\(ws)|\\z)|(?<=\(wp))(?=-{2,}\\w)))")

    /// Runs of textwrap's whitespace and runs of everything else, in order.
    private static func whitespaceChunks(_ text: String) -> [[Unicode.Scalar]] {
        func isSeparator(_ c: Unicode.Scalar) -> Bool {
            switch c { case "\t", "\n", "\u{0B}", "\u{0C}", "\r", " ": return true; default: return false }
        }
        var chunks: [[Unicode.Scalar]] = []
        var current: [Unicode.Scalar] = []
        var currentIsSeparator = false
        for c in text.unicodeScalars {
            let separator = isSeparator(c)
            if !current.isEmpty && separator != currentIsSeparator {
                chunks.append(current)
                current.removeAll(keepingCapacity: true)
            }
            currentIsSeparator = separator
            current.append(c)
        }
        if !current.isEmpty { chunks.append(current) }
        return chunks
    }

    func wrap(_ text: String) throws -> [String] {
        guard width > 0 else { throw TemplateError(.value, "invalid width \(width) (must be > 0)") }
        // Chunks as code point arrays, reversed so that the next chunk is the last element.
        // Without a hyphen, textwrap's word-separator pattern only ever splits at whitespace, so
        // the regular expression (slow, and ICU's) is needed only for hyphenated text.
        var chunks = (breakOnHyphens && text.unicodeScalars.contains("-")
            ? Self.wordSeparator.splitKeepingSeparators(text).map { Array($0.unicodeScalars) }
            : Self.whitespaceChunks(text)).reversed() as [[Unicode.Scalar]]
        var lines: [String] = []
        func isBlank(_ chunk: [Unicode.Scalar]) -> Bool { chunk.allSatisfy(PyString.isSpace) }
        while !chunks.isEmpty {
            var line: [[Unicode.Scalar]] = []
            var length = 0
            if let last = chunks.last, isBlank(last), !lines.isEmpty { chunks.removeLast() }
            while let next = chunks.last, length + next.count <= width {
                line.append(next)
                length += next.count
                chunks.removeLast()
            }
            if let next = chunks.last, next.count > width {
                // _handle_long_word
                let spaceLeft = max(1, width - length)
                if breakLongWords {
                    var end = spaceLeft
                    if breakOnHyphens && next.count > spaceLeft {
                        if let hyphen = next[0..<spaceLeft].lastIndex(of: "-"), hyphen > 0,
                           next[0..<hyphen].contains(where: { $0 != "-" }) {
                            end = hyphen + 1
                        }
                    }
                    line.append(Array(next[0..<end]))
                    chunks[chunks.count - 1] = Array(next[end...])
                } else if line.isEmpty {
                    line.append(next)
                    chunks.removeLast()
                }
                length = line.reduce(0) { $0 + $1.count }
            }
            if let last = line.last, isBlank(last) {
                length -= last.count
                line.removeLast()
            }
            if !line.isEmpty {
                var out = ScalarBuffer()
                for chunk in line { out.append(contentsOf: chunk) }
                lines.append(String(out))
            }
        }
        return lines
    }
}

/// Jinja2's `utils.urlize`.
enum Urlize {
    private static let http = Pattern("""
        ^(\
        (https?://|www\\.)(([\\w%-]+\\.)+)?([a-z]{2,63}|xn--[\\w%]{2,59})\
        |([\\w%-]{2,63}\\.)+(com|net|int|edu|gov|org|info|mil)\
        |(https?://)((([\\d]{1,3})(\\.[\\d]{1,3}){3})|(\\[([\\da-f]{0,4}:){2}([\\da-f]{0,4}:?){1,6}\\]))\
        )(?::[\\d]{1,5})?(?:[/?#]\\S*)?$
        """, options: [.caseInsensitive])
    private static let email = Pattern("^\\S+@\\w[\\w.-]*\\.\\w+$")
    private static let scheme = Pattern("^[\\w.+-]{2,}:(/){0,2}$")
    private static let words = Pattern("\\s+")

    static func isSchemePrefix(_ s: String) -> Bool { scheme.matches(s) }

    static func urlize(_ text: String, trimLimit: Int?, rel: String?, target: String?, extraSchemes: [String]) -> String {
        func trim(_ url: String) -> String {
            guard let limit = trimLimit, PyString.length(url) > limit else { return url }
            return PyString.make(url.unicodeScalars.prefix(max(0, limit))) + "..."
        }
        let relAttribute = rel.map { " rel=\"\(HTML.escape($0))\"" } ?? ""
        let targetAttribute = target.flatMap { $0.isEmpty ? nil : " target=\"\(HTML.escape($0))\"" } ?? ""
        var out = ""
        for word in words.splitKeepingSeparators(text) {
            if word.unicodeScalars.first.map(PyString.isSpace) == true { out += word; continue }
            var head = "", middle = word, tail = ""
            // Leading `(`, `<` or `&lt;`.
            while true {
                if middle.hasPrefix("(") || middle.hasPrefix("<") { head.append(middle.removeFirst()) }
                else if middle.hasPrefix("&lt;") { head += "&lt;"; middle.removeFirst(4) }
                else { break }
            }
            // Trailing `)`, `>`, `.`, `,`, newline or `&gt;`.
            while true {
                if let last = middle.last, [")", ">", ".", ",", "\n"].contains(last) { tail = String(middle.removeLast()) + tail }
                else if middle.hasSuffix("&gt;") { tail = "&gt;" + tail; middle.removeLast(4) }
                else { break }
            }
            // Balance parentheses and brackets by moving closers back from the tail.
            for (open, close) in [("(", ")"), ("<", ">"), ("&lt;", "&gt;")] {
                let opens = PyString.count(middle, open)
                guard opens > PyString.count(middle, close) else { continue }
                for _ in 0..<min(opens, PyString.count(tail, close)) {
                    let index = PyString.find(tail, close) + PyString.length(close)
                    let scalars = Array(tail.unicodeScalars)
                    middle += PyString.make(scalars[..<index])
                    tail = PyString.make(scalars[index...])
                }
            }
            if http.matches(middle) {
                let href = middle.hasPrefix("https://") || middle.hasPrefix("http://") ? middle : "https://" + middle
                middle = "<a href=\"\(href)\"\(relAttribute)\(targetAttribute)>\(trim(middle))</a>"
            } else if middle.hasPrefix("mailto:"), email.matches(String(middle.dropFirst(7))) {
                middle = "<a href=\"\(middle)\">\(middle.dropFirst(7))</a>"
            } else if middle.contains("@"), !middle.hasPrefix("www."), !middle.hasPrefix("@"), !middle.contains(":"),
                      email.matches(middle) {
                middle = "<a href=\"mailto:\(middle)\">\(middle)</a>"
            } else {
                for scheme in extraSchemes where middle != scheme && middle.hasPrefixScalars(scheme) {
                    middle = "<a href=\"\(middle)\"\(relAttribute)\(targetAttribute)>\(middle)</a>"
                }
            }
            out += head + middle + tail
        }
        return out
    }
}
