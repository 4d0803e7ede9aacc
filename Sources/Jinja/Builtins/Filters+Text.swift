/// `wordwrap` (Python's `textwrap.wrap`) and `urlize` (Jinja2's `utils.urlize`). Both follow
/// Python's regular expressions, matched here by hand on code points with Python's `\w`, `\d`
/// and `\s`: each matcher spells out its expression and tries every end the expression could
/// give a part, so it agrees with Python's backtracking.
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

/// Python's `textwrap.TextWrapper` with Jinja2's settings: tabs kept, whitespace kept,
/// whitespace dropped at line ends.
struct TextWrapper {
    let width: Int
    let breakLongWords: Bool
    let breakOnHyphens: Bool

    /// textwrap's whitespace: ASCII only, narrower than `\s`.
    private static func isWhitespace(_ c: Unicode.Scalar) -> Bool {
        switch c { case "\t", "\n", "\u{0B}", "\u{0C}", "\r", " ": return true; default: return false }
    }

    /// Runs of textwrap's whitespace and runs of everything else (`wordsep_simple_re`, for
    /// words that hyphens do not break), as ranges of `scalars`.
    private static func whitespaceChunks(_ scalars: [Unicode.Scalar]) -> [Range<Int>] {
        var chunks: [Range<Int>] = []
        var start = 0
        for index in scalars.indices.dropFirst() where isWhitespace(scalars[index]) != isWhitespace(scalars[index - 1]) {
            chunks.append(start..<index)
            start = index
        }
        if start < scalars.count { chunks.append(start..<scalars.count) }
        return chunks
    }

    /// The pieces of textwrap's `wordsep_re` split, as ranges of `s`. The expression is
    ///
    ///     ws+                                                     whitespace
    ///     | (?<=wp) -{2,} (?=\w)                                  an em-dash between words
    ///     | nws+? ( -(?:(?<=lt{2}-)|(?<=lt-lt-)) (?=lt-?lt)       a word up to a hyphen
    ///             | (?=ws|\Z)                                     a word up to its end
    ///             | (?<=wp) (?=-{2,}\w) )                         a word up to an em-dash
    ///
    /// with `ws` textwrap's whitespace, `wp` `[\w!"'&.,?]` and `lt` `[^\d\W]` (a word character
    /// that is not a digit). One of the alternatives matches at every position, so the pieces
    /// are the matches alone and cover the text.
    private static func wordSeparatorChunks(_ s: [Unicode.Scalar]) -> [Range<Int>] {
        func isLetter(_ i: Int) -> Bool {
            s.indices.contains(i) && PyString.isWordCharacter(s[i]) && !PyString.isDecimal(s[i])
        }
        func isWordPunctuation(_ i: Int) -> Bool {
            guard s.indices.contains(i) else { return false }
            switch s[i] { case "!", "\"", "'", "&", ".", ",", "?": return true; default: return PyString.isWordCharacter(s[i]) }
        }
        func isDash(_ i: Int) -> Bool { s.indices.contains(i) && s[i] == "-" }
        func dashesEnd(_ i: Int) -> Int {
            var end = i
            while isDash(end) { end += 1 }
            return end
        }
        /// `-{2,}\w` at `i`.
        func isEmDash(_ i: Int) -> Bool {
            let end = dashesEnd(i)
            return end - i >= 2 && end < s.count && PyString.isWordCharacter(s[end])
        }
        /// The hyphen alternative, with the hyphen at `i`.
        func isHyphen(_ i: Int) -> Bool {
            isDash(i) && (isLetter(i - 2) && isLetter(i - 1) || isLetter(i - 3) && isDash(i - 2) && isLetter(i - 1))
                && isLetter(i + 1) && (isLetter(i + 2) || isDash(i + 2) && isLetter(i + 3))
        }
        var chunks: [Range<Int>] = []
        var start = 0
        while start < s.count {
            var end = start + 1
            if isWhitespace(s[start]) {
                while end < s.count && isWhitespace(s[end]) { end += 1 }
            } else if s[start] == "-" && isWordPunctuation(start - 1) && isEmDash(start) {
                end = dashesEnd(start)
            } else {
                // `nws+?` is lazy: the word ends at the first place where an alternative holds.
                while true {
                    if isHyphen(end) { end += 1; break }
                    if end == s.count || isWhitespace(s[end]) { break }
                    if isDash(end) && isWordPunctuation(end - 1) && isEmDash(end) { break }
                    end += 1
                }
            }
            chunks.append(start..<end)
            start = end
        }
        return chunks
    }

    func wrap(_ text: String) throws -> [String] {
        guard width > 0 else { throw TemplateError(.value, "invalid width \(width) (must be > 0)") }
        let scalars = Array(text.unicodeScalars)
        // Chunks are ranges of `scalars`, reversed so that the next chunk is the last element.
        var chunks = (breakOnHyphens ? Self.wordSeparatorChunks(scalars) : Self.whitespaceChunks(scalars)).reversed() as [Range<Int>]
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
                // _handle_long_word. No room left on a full line: the word starts the next one.
                let spaceLeft = width - length
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
    /// `[\w.+-]{2,}:(/){0,2}`, the whole string: a prefix `extra_schemes` may name.
    static func isSchemePrefix(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        guard let colon = s.firstIndex(of: ":"), colon >= 2,
              s[..<colon].allSatisfy({ PyString.isWordCharacter($0) || $0 == "." || $0 == "+" || $0 == "-" }) else { return false }
        let slashes = s[(colon + 1)...]
        return slashes.count <= 2 && slashes.allSatisfy { $0 == "/" }
    }

    static func urlize(_ text: String, trimLimit: Int?, rel: String?, target: String?, extraSchemes: [String]) -> String {
        func trim(_ url: String) -> String {
            guard let limit = trimLimit, PyString.length(url) > limit else { return url }
            return PyString.make(url.unicodeScalars.prefix(max(0, limit))) + "..."
        }
        let relAttribute = rel.map { " rel=\"\(HTML.escape($0))\"" } ?? ""
        let targetAttribute = target.flatMap { $0.isEmpty ? nil : " target=\"\(HTML.escape($0))\"" } ?? ""
        var out = ""
        for word in words(text) {
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
            if isURL(middle) {
                let href = middle.hasPrefix("https://") || middle.hasPrefix("http://") ? middle : "https://" + middle
                middle = "<a href=\"\(href)\"\(relAttribute)\(targetAttribute)>\(trim(middle))</a>"
            } else if middle.hasPrefix("mailto:"), isEmail(String(middle.dropFirst(7))) {
                middle = "<a href=\"\(middle)\">\(middle.dropFirst(7))</a>"
            } else if middle.contains("@"), !middle.hasPrefix("www."), !middle.hasPrefix("@"), !middle.contains(":"),
                      isEmail(middle) {
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

    /// `re.split(r"(\s+)", text)` without its empty pieces: runs of whitespace and runs of the
    /// rest, in order.
    private static func words(_ text: String) -> [String] {
        let scalars = text.unicodeScalars
        var words: [String] = []
        var start = scalars.startIndex
        var inSpace = false
        for index in scalars.indices {
            let isSpace = PyString.isSpace(scalars[index])
            if index > start, isSpace != inSpace {
                words.append(String(scalars[start..<index]))
                start = index
            }
            inSpace = isSpace
        }
        if start < scalars.endIndex { words.append(String(scalars[start...])) }
        return words
    }

    /// `_http_re`, case-insensitive, the whole string:
    ///
    ///     ( (https?://|www\.) ([\w%-]+\.)* ([a-z]{2,63} | xn--[\w%]{2,59})
    ///     | ([\w%-]{2,63}\.)+ (com|net|int|edu|gov|org|info|mil)
    ///     | https?:// ( \d{1,3}(\.\d{1,3}){3} | \[([\da-f]{0,4}:){2}([\da-f]{0,4}:?){1,6}\] ) )
    ///     (:\d{1,5})? ([/?#]\S*)?
    ///
    /// A repetition followed by a character outside its class can only end where its run ends,
    /// which settles most parts; the others are tried at every end they could have.
    private static func isURL(_ text: String) -> Bool {
        let s = Scalars(text)
        func isLabel(_ c: Unicode.Scalar) -> Bool { c == "%" || c == "-" || PyString.isWordCharacter(c) }
        func isLetter(_ c: Unicode.Scalar) -> Bool { ("a"..."z").contains(Scalars.folded(c)) }
        func isHex(_ c: Unicode.Scalar) -> Bool { PyString.isDecimal(c) || ("a"..."f").contains(Scalars.folded(c)) }
        /// `(:\d{1,5})?([/?#]\S*)?` from `i` to the end.
        func isPortAndPath(_ i: Int) -> Bool {
            var i = i
            if let port = s.literal(":", at: i) {
                let digits = s.run(from: port, PyString.isDecimal)
                guard (1...5).contains(digits - port) else { return false }
                i = digits
            }
            return i == s.count || s.has(i, { "/?#".unicodeScalars.contains($0) }) && s.run(from: i) { !PyString.isSpace($0) } == s.count
        }
        /// `c{lengths}` from `i`, ending at one of `ends`.
        func repetition(_ i: Int, _ lengths: ClosedRange<Int>, of c: (Unicode.Scalar) -> Bool, endingAt ends: (Int) -> Bool) -> Bool {
            let longest = min(lengths.upperBound, s.run(from: i, c) - i)
            return longest >= lengths.lowerBound && (lengths.lowerBound...longest).contains { ends(i + $0) }
        }
        /// `[\w%-]{lengths}\.` from `i`: where the next label starts.
        func label(_ i: Int, _ lengths: ClosedRange<Int>) -> Int? {
            let end = s.run(from: i, isLabel)
            return lengths.contains(end - i) ? s.literal(".", at: end) : nil
        }
        let scheme = s.literal("http", at: 0).flatMap { s.literal("s://", at: $0) ?? s.literal("://", at: $0) }

        // A scheme or `www.`, labels, and a top-level domain.
        var next = scheme ?? s.literal("www.", at: 0)
        while let start = next {
            if repetition(start, 2...63, of: isLetter, endingAt: isPortAndPath) { return true }
            if let idna = s.literal("xn--", at: start),
               repetition(idna, 2...59, of: { $0 == "%" || PyString.isWordCharacter($0) }, endingAt: isPortAndPath) { return true }
            next = label(start, 1...Int.max)
        }

        // Labels and one of the classic top-level domains.
        next = label(0, 2...63)
        while let start = next {
            for domain in ["com", "net", "int", "edu", "gov", "org", "info", "mil"] {
                if let end = s.literal(domain, at: start), isPortAndPath(end) { return true }
            }
            next = label(start, 2...63)
        }

        // A scheme and an IPv4 address.
        guard let host = scheme else { return false }
        /// `\d{1,3}` from `i`, when there.
        func octet(_ i: Int) -> Int? {
            let end = s.run(from: i, PyString.isDecimal)
            return (1...3).contains(end - i) ? end : nil
        }
        func dot(_ i: Int) -> Int? { s.literal(".", at: i) }
        if let end = octet(host).flatMap(dot).flatMap(octet).flatMap(dot).flatMap(octet).flatMap(dot).flatMap(octet),
           isPortAndPath(end) { return true }

        // A scheme and an IPv6 address in brackets.
        guard let bracket = s.literal("[", at: host) else { return false }
        /// `[\da-f]{0,4}:` from `i`, when there.
        func hexAndColon(_ i: Int) -> Int? {
            let run = s.run(from: i, isHex)
            return run - i <= 4 ? s.literal(":", at: run) : nil
        }
        var ends: Set<Int> = [bracket]
        for _ in 0..<2 { ends = Set(ends.compactMap(hexAndColon)) }
        // `([\da-f]{0,4}:?){1,6}`: a group may be empty, so six groups reach all that one to six do.
        for _ in 0..<6 {
            ends.formUnion(ends.flatMap { i in
                let run = s.run(from: i, isHex)
                return Array(i...min(i + 4, run)) + (hexAndColon(i).map { [$0] } ?? [])
            })
        }
        return ends.contains { s.literal("]", at: $0).map(isPortAndPath) ?? false }
    }

    /// `\S+@\w[\w.-]*\.\w+`, the whole string. Nothing after the `@` may be another one, so it
    /// is the last `@`.
    private static func isEmail(_ text: String) -> Bool {
        let s = Array(text.unicodeScalars)
        guard let at = s.lastIndex(of: "@"), at > 0, !s[..<at].contains(where: PyString.isSpace) else { return false }
        let domain = s[(at + 1)...]
        guard let first = domain.first, PyString.isWordCharacter(first),
              domain.allSatisfy({ PyString.isWordCharacter($0) || $0 == "." || $0 == "-" }),
              let dot = domain.lastIndex(of: ".") else { return false }
        let last = domain[(dot + 1)...]
        return !last.isEmpty && last.allSatisfy(PyString.isWordCharacter)
    }
}

/// A string's code points, with the pieces of Python's regular expressions that `urlize` needs.
private struct Scalars {
    let scalars: [Unicode.Scalar]

    init(_ text: String) { scalars = Array(text.unicodeScalars) }

    var count: Int { scalars.count }

    func has(_ i: Int, _ predicate: (Unicode.Scalar) -> Bool) -> Bool { i < scalars.count && predicate(scalars[i]) }

    /// The end of the longest run from `i` of code points in the class.
    func run(from i: Int, _ predicate: (Unicode.Scalar) -> Bool) -> Int {
        var end = i
        while has(end, predicate) { end += 1 }
        return end
    }

    /// The end of `literal` (lower-case ASCII) at `i`, compared as `re.IGNORECASE` compares.
    func literal(_ literal: String, at i: Int) -> Int? {
        var end = i
        for c in literal.unicodeScalars {
            guard has(end, { Self.folded($0) == c }) else { return nil }
            end += 1
        }
        return end
    }

    /// What a code point is under `re.IGNORECASE` when compared with ASCII letters: `İ` and `ı`
    /// are `i`, `ſ` is `s` and the Kelvin sign is `k`, as in Python.
    static func folded(_ c: Unicode.Scalar) -> Unicode.Scalar {
        switch c.value {
        case 0x41...0x5A: return Unicode.Scalar(UInt8(c.value + 0x20))
        case 0x130, 0x131: return "i"
        case 0x17F: return "s"
        case 0x212A: return "k"
        default: return c
        }
    }
}
