/// Turns template source into tokens, mirroring Jinja2 3.1.6's `Lexer.tokeniter` + `wrap` for the
/// default delimiters (`{{ }}`, `{% %}`, `{# #}`), in a single pass over UTF-8 bytes.
///
/// - Newlines (`\r\n`, `\r`, `\n`) become `\n` first; without `keepTrailingNewline` one trailing
///   newline is dropped.
/// - `-` next to a delimiter strips all whitespace on that side; `+` on a block or comment start
///   turns `lstripBlocks` off for that tag; `trimBlocks` removes the first newline after a block
///   or comment end (and after `endraw`, not after `raw`).
/// - Comments, whitespace inside tags and the `raw` markers produce no tokens.
/// - Locations are 1-based lines and columns, columns counting Unicode scalars.
struct Lexer {
    /// The tokens (ending with `.eof`) and the normalized text they came from.
    struct Output {
        /// Ends with `.eof`, or with `.lexError` where the text could not be read.
        var tokens: [Token]
        /// Why the text could not be read, reported when the parser gets that far.
        var error: TemplateError?
        /// The newline-normalized UTF-8 source: what locations and line texts refer to.
        var bytes: [UInt8]
    }

    static func tokenize(_ source: TemplateSource, options: SyntaxOptions) -> Output {
        let bytes = normalizedBytes(source.text, keepTrailingNewline: options.keepTrailingNewline)
        return bytes.withUnsafeBufferPointer { buffer in
            var scanner = Scanner(s: buffer, name: source.name, options: options)
            do throws(TemplateError) {
                try scanner.run()
                return Output(tokens: scanner.tokens, error: nil, bytes: bytes)
            } catch {
                var tokens = scanner.tokens
                tokens.append(Token(.lexError, error.location ?? SourceLocation(line: 1, column: 1)))
                return Output(tokens: tokens, error: error, bytes: bytes)
            }
        }
    }

    /// `\r\n` and `\r` become `\n`; one final newline is dropped unless it is to be kept.
    static func normalizedBytes(_ text: String, keepTrailingNewline: Bool) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var previousWasCR = false
        for b in text.utf8 {
            if b == 0x0D {
                out.append(0x0A)
                previousWasCR = true
                continue
            }
            if b == 0x0A && previousWasCR {
                previousWasCR = false
                continue
            }
            previousWasCR = false
            out.append(b)
        }
        if !keepTrailingNewline, out.last == 0x0A {
            out.removeLast()
        }
        return out
    }

    /// The text of line `number` (1-based) of normalized bytes, without its newline.
    static func lineText(_ bytes: UnsafeBufferPointer<UInt8>, line number: Int) -> String? {
        guard number >= 1 else { return nil }
        var line = 1
        var start = 0
        var i = 0
        while i < bytes.count {
            if bytes[i] == 0x0A {
                if line == number { break }
                line += 1
                start = i + 1
            }
            i += 1
        }
        guard line == number else { return nil }
        return String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<i]), as: UTF8.self)
    }

    static func lineText(_ bytes: [UInt8], line number: Int) -> String? {
        bytes.withUnsafeBufferPointer { lineText($0, line: number) }
    }
}

/// Turns byte offsets into locations; offsets must be asked for in increasing order.
struct Locator {
    private(set) var offset = 0
    private(set) var line = 1
    private(set) var column = 1
    /// Unicode scalars before `offset`: Jinja2's `pos` in "unexpected char … at pos".
    private(set) var scalars = 0

    mutating func location(of target: Int, in s: UnsafeBufferPointer<UInt8>) -> SourceLocation {
        var i = offset
        let end = min(target, s.count)
        while i < end {
            let b = s[i]
            if b == 0x0A {
                line += 1
                column = 1
                scalars += 1
            } else if b & 0xC0 != 0x80 {
                column += 1
                scalars += 1
            }
            i += 1
        }
        if end > offset { offset = end }
        return SourceLocation(line: line, column: column)
    }
}

private let ascii_lbrace = UInt8(ascii: "{")
private let ascii_rbrace = UInt8(ascii: "}")
private let ascii_percent = UInt8(ascii: "%")
private let ascii_hash = UInt8(ascii: "#")
private let ascii_minus = UInt8(ascii: "-")
private let ascii_plus = UInt8(ascii: "+")
private let ascii_newline = UInt8(ascii: "\n")

private struct Scanner {
    let s: UnsafeBufferPointer<UInt8>
    let n: Int
    let name: String
    let trimBlocks: Bool
    let lstripBlocks: Bool
    var tokens: [Token] = []
    var locator = Locator()
    var pos = 0
    /// Jinja2's `line_starting`: the previous match ended with a newline.
    var lineStarting = true

    init(s: UnsafeBufferPointer<UInt8>, name: String, options: SyntaxOptions) {
        self.s = s
        self.n = s.count
        self.name = name
        self.trimBlocks = options.trimBlocks
        self.lstripBlocks = options.lstripBlocks
        tokens.reserveCapacity(s.count / 4 + 4)
    }

    // MARK: - Errors and locations

    mutating func location(_ offset: Int) -> SourceLocation {
        locator.location(of: offset, in: s)
    }

    func error(_ message: String, at location: SourceLocation) -> TemplateError {
        TemplateError(.syntax, message, templateName: name, location: location,
                      lineText: Lexer.lineText(s, line: location.line))
    }

    @inline(__always)
    func byte(_ i: Int) -> UInt8 { i < n ? s[i] : 0 }

    func string(_ start: Int, _ end: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: s[start..<end]), as: UTF8.self)
    }

    // MARK: - Whitespace (Python's `str.isspace`, which `\s` and `rstrip` use)

    /// The length of the whitespace character starting at `i`, or 0.
    func whitespaceLength(at i: Int) -> Int {
        guard i < n else { return 0 }
        let b = s[i]
        if b < 0x80 {
            return (b == 0x20 || (b >= 0x09 && b <= 0x0D) || (b >= 0x1C && b <= 0x1F)) ? 1 : 0
        }
        let b1 = byte(i + 1), b2 = byte(i + 2)
        switch b {
        case 0xC2: return (b1 == 0x85 || b1 == 0xA0) ? 2 : 0
        case 0xE1: return (b1 == 0x9A && b2 == 0x80) ? 3 : 0
        case 0xE2:
            if b1 == 0x80 && ((b2 >= 0x80 && b2 <= 0x8A) || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF) { return 3 }
            if b1 == 0x81 && b2 == 0x9F { return 3 }
            return 0
        case 0xE3: return (b1 == 0x80 && b2 == 0x80) ? 3 : 0
        default: return 0
        }
    }

    /// The length of the whitespace character ending just before `end` (not before `start`), or 0.
    func whitespaceLength(endingAt end: Int, from start: Int) -> Int {
        guard end > start else { return 0 }
        if s[end - 1] < 0x80 { return whitespaceLength(at: end - 1) }
        for width in 2...3 where end - width >= start {
            if whitespaceLength(at: end - width) == width { return width }
        }
        return 0
    }

    func skipWhitespace(from i: Int) -> Int {
        var j = i
        while true {
            let w = whitespaceLength(at: j)
            if w == 0 { return j }
            j += w
        }
    }

    func rstrip(_ start: Int, _ end: Int) -> Int {
        var e = end
        while true {
            let w = whitespaceLength(endingAt: e, from: start)
            if w == 0 { return e }
            e -= w
        }
    }

    /// Jinja2's `OptionalLStrip` handling of the text before a tag: `-` strips all whitespace,
    /// and `lstripBlocks` strips the spaces between the line start and a block or comment tag.
    func strippedEnd(_ start: Int, _ end: Int, sign: UInt8, lstripAllowed: Bool) -> Int {
        if sign == ascii_minus { return rstrip(start, end) }
        guard sign != ascii_plus, lstripBlocks, lstripAllowed else { return end }
        var lineStart = end
        while lineStart > start, s[lineStart - 1] != ascii_newline { lineStart -= 1 }
        guard lineStart > start || lineStarting, lineStart < end else { return end }
        return skipWhitespace(from: lineStart) >= end ? lineStart : end
    }

    // MARK: - Root state

    enum TagKind { case variable, block, comment, raw }

    mutating func run() throws(TemplateError) {
        while pos < n {
            // Find the earliest tag start (Jinja2's lazy `(.*?)` before the delimiters).
            var i = pos
            var found: TagKind? = nil
            var sign: UInt8 = 0
            var afterBegin = 0
            while i + 1 < n {
                if s[i] == ascii_lbrace {
                    let c = s[i + 1]
                    if c == ascii_lbrace || c == ascii_percent || c == ascii_hash {
                        var j = i + 2
                        let sc = byte(j)
                        if sc == ascii_minus || sc == ascii_plus {
                            sign = sc
                            j += 1
                        }
                        afterBegin = j
                        if c == ascii_percent, let rawEnd = matchRawBegin(from: j) {
                            found = .raw
                            afterBegin = rawEnd
                        } else {
                            found = c == ascii_lbrace ? .variable : (c == ascii_percent ? .block : .comment)
                        }
                        break
                    }
                }
                i += 1
            }
            guard let kind = found else {
                emitData(pos, n)
                pos = n
                break
            }
            let textEnd = strippedEnd(pos, i, sign: sign, lstripAllowed: kind != .variable)
            emitData(pos, textEnd)
            switch kind {
            case .comment:
                try comment(tagStart: i, from: afterBegin)
            case .raw:
                lineStarting = s[afterBegin - 1] == ascii_newline
                try raw(tagStart: i, from: afterBegin)
            case .variable:
                tokens.append(Token(.variableBegin, location(i)))
                pos = afterBegin
                try inside(block: false)
            case .block:
                tokens.append(Token(.blockBegin, location(i)))
                pos = afterBegin
                try inside(block: true)
            }
        }
        // Jinja2 reports the end of the template at the line where its last token starts.
        tokens.append(Token(.eof, tokens.last?.location ?? location(0)))
    }

    mutating func emitData(_ start: Int, _ end: Int) {
        guard end > start else { return }
        tokens.append(Token(.data, location(start), text: string(start, end)))
    }

    /// `\s*raw\s*(?:-%}\s*|%})` after `{%` and its sign; returns the end of the match.
    func matchRawBegin(from start: Int) -> Int? {
        var j = skipWhitespace(from: start)
        guard byte(j) == UInt8(ascii: "r"), byte(j + 1) == UInt8(ascii: "a"), byte(j + 2) == UInt8(ascii: "w")
        else { return nil }
        j = skipWhitespace(from: j + 3)
        if byte(j) == ascii_minus, byte(j + 1) == ascii_percent, byte(j + 2) == ascii_rbrace {
            return skipWhitespace(from: j + 3)
        }
        if byte(j) == ascii_percent, byte(j + 1) == ascii_rbrace { return j + 2 }
        return nil
    }

    /// The end of a block-style closing delimiter at `j` (`+%}`, `-%}` + whitespace, `%}` + the
    /// trimmed newline), for `%}` or `#}`.
    func matchBlockStyleEnd(at j: Int, closer: UInt8) -> Int? {
        let c = s[j]
        if c == ascii_plus, byte(j + 1) == closer, byte(j + 2) == ascii_rbrace { return j + 3 }
        if c == ascii_minus, byte(j + 1) == closer, byte(j + 2) == ascii_rbrace {
            return skipWhitespace(from: j + 3)
        }
        if c == closer, byte(j + 1) == ascii_rbrace {
            return trimBlocks && byte(j + 2) == ascii_newline ? j + 3 : j + 2
        }
        return nil
    }

    mutating func comment(tagStart: Int, from start: Int) throws(TemplateError) {
        // Jinja2's "missing end" rule needs one more character: a comment opened at the very end
        // of the template is silently dropped.
        guard start < n else {
            pos = n
            return
        }
        var j = start
        while j < n {
            if let end = matchBlockStyleEnd(at: j, closer: ascii_hash) {
                lineStarting = s[end - 1] == ascii_newline
                pos = end
                return
            }
            j += 1
        }
        throw error("Missing end of comment tag", at: location(tagStart))
    }

    mutating func raw(tagStart: Int, from start: Int) throws(TemplateError) {
        guard start < n else {
            // As for comments: `{% raw %}` at the very end is silently dropped.
            pos = n
            return
        }
        var j = start
        while j + 1 < n {
            if s[j] == ascii_lbrace, s[j + 1] == ascii_percent {
                var k = j + 2
                var sign: UInt8 = 0
                if byte(k) == ascii_minus || byte(k) == ascii_plus {
                    sign = s[k]
                    k += 1
                }
                k = skipWhitespace(from: k)
                if byte(k) == UInt8(ascii: "e"), byte(k + 1) == UInt8(ascii: "n"), byte(k + 2) == UInt8(ascii: "d"),
                   byte(k + 3) == UInt8(ascii: "r"), byte(k + 4) == UInt8(ascii: "a"), byte(k + 5) == UInt8(ascii: "w") {
                    k = skipWhitespace(from: k + 6)
                    if k < n, let end = matchBlockStyleEnd(at: k, closer: ascii_percent) {
                        let textEnd = strippedEnd(start, j, sign: sign, lstripAllowed: true)
                        emitData(start, textEnd)
                        lineStarting = s[end - 1] == ascii_newline
                        pos = end
                        return
                    }
                }
            }
            j += 1
        }
        throw error("Missing end of raw directive", at: location(tagStart))
    }

    // MARK: - Inside `{{ }}` and `{% %}`

    mutating func inside(block: Bool) throws(TemplateError) {
        var balancing: [UInt8] = []
        while pos < n {
            let c = s[pos]
            if balancing.isEmpty {
                if block {
                    if let end = matchBlockStyleEnd(at: pos, closer: ascii_percent) {
                        tokens.append(Token(.blockEnd, location(pos)))
                        lineStarting = s[end - 1] == ascii_newline
                        pos = end
                        return
                    }
                } else if c == ascii_minus, byte(pos + 1) == ascii_rbrace, byte(pos + 2) == ascii_rbrace {
                    tokens.append(Token(.variableEnd, location(pos)))
                    let end = skipWhitespace(from: pos + 3)
                    lineStarting = s[end - 1] == ascii_newline
                    pos = end
                    return
                } else if c == ascii_rbrace, byte(pos + 1) == ascii_rbrace {
                    tokens.append(Token(.variableEnd, location(pos)))
                    lineStarting = false
                    pos += 2
                    return
                }
            }
            let w = whitespaceLength(at: pos)
            if w > 0 {
                pos = skipWhitespace(from: pos + w)
                continue
            }
            if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                try number()
            } else if isNameStart(at: pos) {
                let start = pos
                pos = nameEnd(from: pos)
                tokens.append(Token(.name, location(start), text: string(start, pos)))
            } else if c == UInt8(ascii: "'") || c == UInt8(ascii: "\"") {
                try stringLiteral(quote: c)
            } else {
                try operatorToken(&balancing)
            }
        }
        // Jinja2's lexer simply stops at the end of the source; the parser reports what it missed.
    }

    // MARK: Names

    func scalar(at i: Int) -> (Unicode.Scalar, Int)? {
        let b0 = s[i]
        var value: UInt32
        var length: Int
        switch b0 {
        case 0xC0...0xDF: value = UInt32(b0 & 0x1F); length = 2
        case 0xE0...0xEF: value = UInt32(b0 & 0x0F); length = 3
        case 0xF0...0xF7: value = UInt32(b0 & 0x07); length = 4
        default: return nil
        }
        guard i + length <= n else { return nil }
        for k in 1..<length {
            value = value << 6 | UInt32(s[i + k] & 0x3F)
        }
        guard let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }

    func isNameStart(at i: Int) -> Bool {
        let c = s[i]
        if c < 0x80 {
            return (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                || c == UInt8(ascii: "_")
        }
        guard let (scalar, _) = scalar(at: i) else { return false }
        return scalar.properties.isXIDStart
    }

    func nameEnd(from start: Int) -> Int {
        var j = start
        while j < n {
            let c = s[j]
            if c < 0x80 {
                let ok = (c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z")) || (c >= UInt8(ascii: "A") && c <= UInt8(ascii: "Z"))
                    || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || c == UInt8(ascii: "_")
                if !ok { return j }
                j += 1
            } else {
                guard let (scalar, length) = scalar(at: j), scalar.properties.isXIDContinue else { return j }
                j += length
            }
        }
        return j
    }

    // MARK: Numbers

    @inline(__always)
    func isDigit(_ i: Int) -> Bool {
        i < n && s[i] >= UInt8(ascii: "0") && s[i] <= UInt8(ascii: "9")
    }

    /// `(\d+_)*\d+` at `i`: the end of the match, or nil.
    func digitRun(_ i: Int) -> Int? {
        guard isDigit(i) else { return nil }
        var j = i + 1
        while true {
            if isDigit(j) {
                j += 1
            } else if byte(j) == UInt8(ascii: "_"), isDigit(j + 1) {
                j += 2
            } else {
                return j
            }
        }
    }

    /// Jinja2's `float_re`, including its `(?<!\.)` look-behind.
    func floatEnd(_ start: Int) -> Int? {
        if start > 0, s[start - 1] == UInt8(ascii: ".") { return nil }
        guard let intEnd = digitRun(start) else { return nil }
        var fractionEnd: Int? = nil
        if byte(intEnd) == UInt8(ascii: "."), let f = digitRun(intEnd + 1) { fractionEnd = f }
        let mantissaEnd = fractionEnd ?? intEnd
        let e = byte(mantissaEnd)
        if e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            var k = mantissaEnd + 1
            if byte(k) == ascii_plus || byte(k) == ascii_minus { k += 1 }
            if let expEnd = digitRun(k) { return expEnd }
        }
        return fractionEnd
    }

    /// Jinja2's `integer_re`: `0b…`, `0o…`, `0x…`, decimal, or zeros; returns the end and the radix.
    func integerEnd(_ start: Int) -> (Int, Int) {
        if s[start] == UInt8(ascii: "0") {
            let p = byte(start + 1) | 0x20
            let radix = p == UInt8(ascii: "b") ? 2 : (p == UInt8(ascii: "o") ? 8 : (p == UInt8(ascii: "x") ? 16 : 0))
            if radix != 0 {
                var j = start + 2
                var digits = 0
                while true {
                    let k = byte(j) == UInt8(ascii: "_") ? j + 1 : j
                    guard k < n, isRadixDigit(s[k], radix) else { break }
                    j = k + 1
                    digits += 1
                }
                if digits > 0 { return (j, radix) }
            }
            // `0(_?0)*`
            var j = start + 1
            while true {
                let k = byte(j) == UInt8(ascii: "_") ? j + 1 : j
                guard byte(k) == UInt8(ascii: "0") else { break }
                j = k + 1
            }
            return (j, 10)
        }
        var j = start + 1
        while true {
            let k = byte(j) == UInt8(ascii: "_") ? j + 1 : j
            guard isDigit(k) else { break }
            j = k + 1
        }
        return (j, 10)
    }

    func isRadixDigit(_ c: UInt8, _ radix: Int) -> Bool {
        switch radix {
        case 2: return c == UInt8(ascii: "0") || c == UInt8(ascii: "1")
        case 8: return c >= UInt8(ascii: "0") && c <= UInt8(ascii: "7")
        default:
            let l = c | 0x20
            return (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) || (l >= UInt8(ascii: "a") && l <= UInt8(ascii: "f"))
        }
    }

    func digitsWithoutUnderscores(_ start: Int, _ end: Int) -> String {
        var text = ""
        text.reserveCapacity(end - start)
        for i in start..<end where s[i] != UInt8(ascii: "_") {
            text.unicodeScalars.append(Unicode.Scalar(s[i]))
        }
        return text
    }

    mutating func number() throws(TemplateError) {
        let start = pos
        let loc = location(start)
        if let end = floatEnd(start) {
            let text = digitsWithoutUnderscores(start, end)
            guard let value = Double(text) else {
                throw error("invalid float literal \(text)", at: loc)
            }
            var token = Token(.float, loc)
            token.float = value
            tokens.append(token)
            pos = end
            return
        }
        let (end, radix) = integerEnd(start)
        let digitsStart = radix == 10 ? start : start + 2
        var text = digitsWithoutUnderscores(digitsStart, end)
        if text.isEmpty { text = "0" }
        guard let value = Int(text, radix: radix) else {
            throw error("integer literal \(string(start, end)) is too large", at: loc)
        }
        var token = Token(.integer, loc)
        token.int = value
        tokens.append(token)
        pos = end
    }

    // MARK: Strings

    mutating func stringLiteral(quote: UInt8) throws(TemplateError) {
        let start = pos
        var j = start + 1
        while j < n {
            let c = s[j]
            if c == UInt8(ascii: "\\") {
                j += 2
            } else if c == quote {
                break
            } else {
                j += 1
            }
        }
        let loc = location(start)
        guard j < n else {
            // No closing quote: Jinja2's string rule fails and no other rule takes the quote.
            throw error("unexpected char \(quote == UInt8(ascii: "'") ? "\"'\"" : "'\"'") at \(locator.scalars)",
                        at: loc)
        }
        let body = UnsafeBufferPointer(rebasing: s[(start + 1)..<j])
        do {
            let value = try StringLiteral.decode(body)
            tokens.append(Token(.string, loc, text: value))
        } catch {
            throw self.error(error.message, at: loc)
        }
        pos = j + 1
    }

    // MARK: Operators

    mutating func operatorToken(_ balancing: inout [UInt8]) throws(TemplateError) {
        let c = s[pos]
        let d = byte(pos + 1)
        var kind: TokenKind
        var length = 1
        switch c {
        case UInt8(ascii: "/"): if d == c { kind = .floorDiv; length = 2 } else { kind = .div }
        case UInt8(ascii: "*"): if d == c { kind = .pow; length = 2 } else { kind = .mul }
        case UInt8(ascii: "="): if d == UInt8(ascii: "=") { kind = .eq; length = 2 } else { kind = .assign }
        case UInt8(ascii: "!"):
            guard d == UInt8(ascii: "=") else { throw unexpectedChar() }
            kind = .ne
            length = 2
        case UInt8(ascii: ">"): if d == UInt8(ascii: "=") { kind = .gteq; length = 2 } else { kind = .gt }
        case UInt8(ascii: "<"): if d == UInt8(ascii: "=") { kind = .lteq; length = 2 } else { kind = .lt }
        case ascii_plus: kind = .add
        case ascii_minus: kind = .sub
        case ascii_percent: kind = .mod
        case UInt8(ascii: "~"): kind = .tilde
        case UInt8(ascii: "["): kind = .lbracket
        case UInt8(ascii: "]"): kind = .rbracket
        case UInt8(ascii: "("): kind = .lparen
        case UInt8(ascii: ")"): kind = .rparen
        case ascii_lbrace: kind = .lbrace
        case ascii_rbrace: kind = .rbrace
        case UInt8(ascii: "."): kind = .dot
        case UInt8(ascii: ":"): kind = .colon
        case UInt8(ascii: "|"): kind = .pipe
        case UInt8(ascii: ","): kind = .comma
        case UInt8(ascii: ";"): kind = .semicolon
        default: throw unexpectedChar()
        }
        let loc = location(pos)
        switch kind {
        case .lbrace: balancing.append(ascii_rbrace)
        case .lparen: balancing.append(UInt8(ascii: ")"))
        case .lbracket: balancing.append(UInt8(ascii: "]"))
        case .rbrace, .rparen, .rbracket:
            guard let expected = balancing.popLast() else {
                throw error("unexpected '\(Unicode.Scalar(c))'", at: loc)
            }
            if expected != c {
                throw error("unexpected '\(Unicode.Scalar(c))', expected '\(Unicode.Scalar(expected))'", at: loc)
            }
        default: break
        }
        tokens.append(Token(kind, loc))
        pos += length
    }

    mutating func unexpectedChar() -> TemplateError {
        let loc = location(pos)
        var text = "?"
        if s[pos] < 0x80 {
            text = String(Unicode.Scalar(s[pos]))
        } else if let (scalar, _) = scalar(at: pos) {
            text = String(scalar)
        }
        return error("unexpected char \(Value.reprString(text)) at \(locator.scalars)", at: loc)
    }
}
