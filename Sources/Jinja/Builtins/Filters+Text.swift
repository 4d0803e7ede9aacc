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

    /// Runs of textwrap's whitespace and runs of everything else, in order, as ranges of
    /// `scalars`.
    private static func whitespaceChunks(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        func isSeparator(_ c: Unicode.Scalar) -> Bool {
            switch c { case "\t", "\n", "\u{0B}", "\u{0C}", "\r", " ": return true; default: return false }
        }
        var chunks: [Range<Int>] = []
        var start = 0
        for index in scalars.indices.dropFirst() where isSeparator(scalars[index]) != isSeparator(scalars[index - 1]) {
            chunks.append(start..<index)
            start = index
        }
        if start < scalars.count { chunks.append(start..<scalars.count) }
        return chunks
    }

    /// The pieces of textwrap's word-separator split, as ranges of the text's code points.
    private static func hyphenatedChunks(_ text: String) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var start = 0
        for piece in wordSeparator.splitKeepingSeparators(text) {
            let end = start + piece.unicodeScalars.count
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    func wrap(_ text: String) throws -> [String] {
        guard width > 0 else { throw TemplateError(.value, "invalid width \(width) (must be > 0)") }
        let scalars = Array(text.unicodeScalars)
        // Chunks are ranges of `scalars`, reversed so that the next chunk is the last element.
        // Without a hyphen, textwrap's word-separator pattern only ever splits at whitespace, so
        // the regular expression (slow, and ICU's) is needed only for hyphenated text.
        var chunks = (breakOnHyphens && scalars.contains("-")
            ? Self.hyphenatedChunks(text) : Self.whitespaceChunks(scalars)).reversed() as [Range<Int>]
        var lines: [String] = []
        func isBlank(_ chunk: Range<Int>) -> Bool { scalars[chunk].allSatisfy(PyString.isSpace) }
        while !chunks.isEmpty {
            // Chunks are consecutive pieces of the text, so a line is one range of it: from
            // `start` to the end of `lastChunk`.
            var start = 0
            var lastChunk: Range<Int>? = nil
            var length = 0
            func take(_ chunk: Range<Int>) {
                if lastChunk == nil { start = chunk.lowerBound }
                lastChunk = chunk
                length += chunk.count
            }
            if let last = chunks.last, isBlank(last), !lines.isEmpty { chunks.removeLast() }
            while let next = chunks.last, length + next.count <= width {
                take(next)
                chunks.removeLast()
            }
            if let next = chunks.last, next.count > width {
                // _handle_long_word
                let spaceLeft = max(1, width - length)
                if breakLongWords {
                    var end = next.lowerBound + spaceLeft
                    if breakOnHyphens && next.count > spaceLeft {
                        if let hyphen = scalars[next.lowerBound..<end].lastIndex(of: "-"), hyphen > next.lowerBound,
                           scalars[next.lowerBound..<hyphen].contains(where: { $0 != "-" }) {
                            end = hyphen + 1
                        }
                    }
                    take(next.lowerBound..<end)
                    chunks[chunks.count - 1] = end..<next.upperBound
                } else if lastChunk == nil {
                    take(next)
                    chunks.removeLast()
                }
            }
            guard var last = lastChunk else { continue }
            if isBlank(last) {
                last = last.lowerBound..<last.lowerBound
            }
            if last.upperBound > start {
                lines.append(PyString.make(scalars[start..<last.upperBound]))
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
