/// The scalar scanners of PyYAML's scanner: block (`|`, `>`), quoted and plain.
extension YAMLScanner {
    // MARK: Block scalars

    mutating func scanBlockScalar(folded: Bool) throws(YAMLFailure) -> YAMLToken {
        var chunks = ""
        let start = currentMark
        forward()
        let (chomping, increment) = try scanBlockScalarIndicators(start)
        try scanBlockScalarIgnoredLine(start)
        let minIndent = max(indent + 1, 1)
        var breaks: [String]
        var end: YAMLMark
        let blockIndent: Int
        if let increment {
            blockIndent = minIndent + increment - 1
            (breaks, end) = scanBlockScalarBreaks(blockIndent)
        } else {
            let maxIndent: Int
            (breaks, maxIndent, end) = scanBlockScalarIndentation()
            blockIndent = max(minIndent, maxIndent)
        }
        var lineBreak = ""
        while column == blockIndent, peek() != 0 {
            chunks += breaks.joined()
            let leadingNonSpace = peek() != 0x20 && peek() != 0x09
            var length = 0
            while !Self.isBreakOrEnd(peek(length)) { length += 1 }
            chunks += prefix(length)
            forward(length)
            lineBreak = scanLineBreak() ?? ""
            (breaks, end) = scanBlockScalarBreaks(blockIndent)
            if column == blockIndent, peek() != 0 {
                if folded, lineBreak == "\n", leadingNonSpace, peek() != 0x20, peek() != 0x09 {
                    if breaks.isEmpty { chunks += " " }
                } else {
                    chunks += lineBreak
                }
            } else {
                break
            }
        }
        if chomping != false { chunks += lineBreak }
        if chomping == true { chunks += breaks.joined() }
        return YAMLToken(kind: .scalar(chunks, plain: false), start: start, end: end)
    }

    /// `+` keeps (true), `-` strips (false), nothing clips (nil); then the indentation digit.
    private mutating func scanBlockScalarIndicators(_ start: YAMLMark) throws(YAMLFailure) -> (Bool?, Int?) {
        var chomping: Bool?
        var increment: Int?
        func isChomping(_ ch: UInt32) -> Bool { ch == UInt32(ascii: "+") || ch == UInt32(ascii: "-") }
        func digit(_ ch: UInt32) -> Int? {
            ch >= UInt32(ascii: "0") && ch <= UInt32(ascii: "9") ? Int(ch - UInt32(ascii: "0")) : nil
        }
        let zero = "expected indentation indicator in the range 1-9, but found 0"
        if isChomping(peek()) {
            chomping = peek() == UInt32(ascii: "+")
            forward()
            if let value = digit(peek()) {
                if value == 0 { throw YAMLFailure(zero, at: currentMark, context: "while scanning a block scalar", contextMark: start) }
                increment = value
                forward()
            }
        } else if let value = digit(peek()) {
            if value == 0 { throw YAMLFailure(zero, at: currentMark, context: "while scanning a block scalar", contextMark: start) }
            increment = value
            forward()
            if isChomping(peek()) {
                chomping = peek() == UInt32(ascii: "+")
                forward()
            }
        }
        let ch = peek()
        if !(ch == 0x20 || Self.isBreakOrEnd(ch)) {
            throw YAMLFailure(
                "expected chomping or indentation indicators, but found \(Self.character(ch))", at: currentMark,
                context: "while scanning a block scalar", contextMark: start)
        }
        return (chomping, increment)
    }

    private mutating func scanBlockScalarIgnoredLine(_ start: YAMLMark) throws(YAMLFailure) {
        while peek() == 0x20 { forward() }
        if peek() == UInt32(ascii: "#") {
            while !Self.isBreakOrEnd(peek()) { forward() }
        }
        let ch = peek()
        if !Self.isBreakOrEnd(ch) {
            throw YAMLFailure(
                "expected a comment or a line break, but found \(Self.character(ch))", at: currentMark,
                context: "while scanning a block scalar", contextMark: start)
        }
        _ = scanLineBreak()
    }

    private mutating func scanBlockScalarIndentation() -> ([String], Int, YAMLMark) {
        var chunks: [String] = []
        var maxIndent = 0
        var end = currentMark
        while peek() == 0x20 || Self.isBreak(peek()) {
            if peek() != 0x20 {
                chunks.append(scanLineBreak() ?? "")
                end = currentMark
            } else {
                forward()
                maxIndent = max(maxIndent, column)
            }
        }
        return (chunks, maxIndent, end)
    }

    private mutating func scanBlockScalarBreaks(_ blockIndent: Int) -> ([String], YAMLMark) {
        var chunks: [String] = []
        var end = currentMark
        while column < blockIndent, peek() == 0x20 { forward() }
        while Self.isBreak(peek()) {
            chunks.append(scanLineBreak() ?? "")
            end = currentMark
            while column < blockIndent, peek() == 0x20 { forward() }
        }
        return (chunks, end)
    }

    // MARK: Quoted scalars

    mutating func scanFlowScalar(double: Bool) throws(YAMLFailure) -> YAMLToken {
        var chunks = ""
        let start = currentMark
        let quote = peek()
        forward()
        try scanFlowScalarNonSpaces(double: double, start: start, into: &chunks)
        while peek() != quote {
            try scanFlowScalarSpaces(double: double, start: start, into: &chunks)
            try scanFlowScalarNonSpaces(double: double, start: start, into: &chunks)
        }
        forward()
        return YAMLToken(kind: .scalar(chunks, plain: false), start: start, end: currentMark)
    }

    private static func escapeReplacement(_ ch: UInt32) -> String? {
        switch ch {
        case UInt32(ascii: "0"): return "\0"
        case UInt32(ascii: "a"): return "\u{07}"
        case UInt32(ascii: "b"): return "\u{08}"
        case UInt32(ascii: "t"), 0x09: return "\t"
        case UInt32(ascii: "n"): return "\n"
        case UInt32(ascii: "v"): return "\u{0B}"
        case UInt32(ascii: "f"): return "\u{0C}"
        case UInt32(ascii: "r"): return "\r"
        case UInt32(ascii: "e"): return "\u{1B}"
        case UInt32(ascii: " "): return " "
        case UInt32(ascii: "\""): return "\""
        case UInt32(ascii: "\\"): return "\\"
        case UInt32(ascii: "/"): return "/"
        case UInt32(ascii: "N"): return "\u{85}"
        case UInt32(ascii: "_"): return "\u{A0}"
        case UInt32(ascii: "L"): return "\u{2028}"
        case UInt32(ascii: "P"): return "\u{2029}"
        default: return nil
        }
    }

    private static func hexValue(_ ch: UInt32) -> UInt32? {
        switch ch {
        case UInt32(ascii: "0")...UInt32(ascii: "9"): return ch - UInt32(ascii: "0")
        case UInt32(ascii: "a")...UInt32(ascii: "f"): return ch - UInt32(ascii: "a") + 10
        case UInt32(ascii: "A")...UInt32(ascii: "F"): return ch - UInt32(ascii: "A") + 10
        default: return nil
        }
    }

    private mutating func scanFlowScalarNonSpaces(
        double: Bool, start: YAMLMark, into chunks: inout String
    ) throws(YAMLFailure) {
        let context = "while scanning a double-quoted scalar"
        while true {
            var length = 0
            while true {
                let ch = peek(length)
                if ch == UInt32(ascii: "'") || ch == UInt32(ascii: "\"") || ch == UInt32(ascii: "\\") || Self.isBlankOrEnd(ch) {
                    break
                }
                length += 1
            }
            if length > 0 {
                chunks += prefix(length)
                forward(length)
            }
            let ch = peek()
            if !double, ch == UInt32(ascii: "'"), peek(1) == UInt32(ascii: "'") {
                chunks += "'"
                forward(2)
            } else if (double && ch == UInt32(ascii: "'")) || (!double && (ch == UInt32(ascii: "\"") || ch == UInt32(ascii: "\\"))) {
                chunks += prefix(1)
                forward()
            } else if double, ch == UInt32(ascii: "\\") {
                forward()
                let escape = peek()
                if let replacement = Self.escapeReplacement(escape) {
                    chunks += replacement
                    forward()
                } else if escape == UInt32(ascii: "x") || escape == UInt32(ascii: "u") || escape == UInt32(ascii: "U") {
                    let count = escape == UInt32(ascii: "x") ? 2 : escape == UInt32(ascii: "u") ? 4 : 8
                    forward()
                    var code: UInt32 = 0
                    for offset in 0..<count {
                        guard let digit = Self.hexValue(peek(offset)) else {
                            throw YAMLFailure(
                                "expected escape sequence of \(count) hexadecimal numbers, but found \(Self.character(peek(offset)))",
                                at: currentMark, context: context, contextMark: start)
                        }
                        code = code &* 16 &+ digit
                    }
                    guard let scalar = Unicode.Scalar(code) else {
                        // Python's chr() would make a lone surrogate or fail above U+10FFFF.
                        throw YAMLFailure(
                            "escape sequence \\\(Self.character(escape).dropFirst().dropLast())\(prefix(count)) is not a Unicode character",
                            at: currentMark, context: context, contextMark: start)
                    }
                    chunks.unicodeScalars.append(scalar)
                    forward(count)
                } else if Self.isBreak(escape) {
                    _ = scanLineBreak()
                    try scanFlowScalarBreaks(start: start, into: &chunks)
                } else {
                    throw YAMLFailure(
                        "found unknown escape character \(Self.character(escape))", at: currentMark,
                        context: context, contextMark: start)
                }
            } else {
                return
            }
        }
    }

    private mutating func scanFlowScalarSpaces(
        double: Bool, start: YAMLMark, into chunks: inout String
    ) throws(YAMLFailure) {
        var length = 0
        while peek(length) == 0x20 || peek(length) == 0x09 { length += 1 }
        let whitespaces = prefix(length)
        forward(length)
        let ch = peek()
        if ch == 0 {
            throw YAMLFailure(
                "found unexpected end of stream", at: currentMark,
                context: "while scanning a quoted scalar", contextMark: start)
        } else if Self.isBreak(ch) {
            let lineBreak = scanLineBreak() ?? ""
            var breaks = ""
            try scanFlowScalarBreaks(start: start, into: &breaks)
            Self.fold(lineBreak: lineBreak, breaks: breaks, into: &chunks)
        } else {
            chunks += whitespaces
        }
    }

    private mutating func scanFlowScalarBreaks(start: YAMLMark, into chunks: inout String) throws(YAMLFailure) {
        while true {
            if isDocumentSeparator() {
                throw YAMLFailure(
                    "found unexpected document separator", at: currentMark,
                    context: "while scanning a quoted scalar", contextMark: start)
            }
            while peek() == 0x20 || peek() == 0x09 { forward() }
            if Self.isBreak(peek()) {
                chunks += scanLineBreak() ?? ""
            } else {
                return
            }
        }
    }

    /// `---` or `...` followed by a blank or the end (at any column, as PyYAML checks it here).
    private func isDocumentSeparator() -> Bool {
        let first = peek()
        guard first == UInt32(ascii: "-") || first == UInt32(ascii: ".") else { return false }
        return peek(1) == first && peek(2) == first && Self.isBlankOrEnd(peek(3))
    }

    // MARK: Plain scalars

    mutating func scanPlain() throws(YAMLFailure) -> YAMLToken {
        var chunks = ""
        let start = currentMark
        var end = start
        let plainIndent = indent + 1
        var spaces: String? = ""
        while true {
            var length = 0
            if peek() == UInt32(ascii: "#") { break }
            while true {
                let ch = peek(length)
                if Self.isBlankOrEnd(ch) { break }
                if ch == UInt32(ascii: ":") {
                    let next = peek(length + 1)
                    if Self.isBlankOrEnd(next) { break }
                    if flowLevel > 0, Self.isFlowIndicator(next) { break }
                }
                if flowLevel > 0, ch == UInt32(ascii: ",") || ch == UInt32(ascii: "?") || Self.isFlowIndicator(ch) {
                    break
                }
                length += 1
            }
            if length == 0 { break }
            allowSimpleKey = false
            chunks += spaces ?? ""
            chunks += prefix(length)
            forward(length)
            end = currentMark
            spaces = scanPlainSpaces()
            if spaces == nil || spaces == "" || peek() == UInt32(ascii: "#") || (flowLevel == 0 && column < plainIndent) {
                break
            }
        }
        return YAMLToken(kind: .scalar(chunks, plain: true), start: start, end: end)
    }

    /// `,[]{}`
    private static func isFlowIndicator(_ ch: UInt32) -> Bool {
        ch == UInt32(ascii: ",") || ch == UInt32(ascii: "[") || ch == UInt32(ascii: "]")
            || ch == UInt32(ascii: "{") || ch == UInt32(ascii: "}")
    }

    /// The spaces and line breaks after a piece of a plain scalar, folded; nil at a document
    /// separator (PyYAML returns None there).
    private mutating func scanPlainSpaces() -> String? {
        var chunks = ""
        var length = 0
        while peek(length) == 0x20 { length += 1 }
        let whitespaces = prefix(length)
        forward(length)
        if Self.isBreak(peek()) {
            let lineBreak = scanLineBreak() ?? ""
            allowSimpleKey = true
            if isDocumentSeparator() { return nil }
            var breaks = ""
            while peek() == 0x20 || Self.isBreak(peek()) {
                if peek() == 0x20 {
                    forward()
                } else {
                    breaks += scanLineBreak() ?? ""
                    if isDocumentSeparator() { return nil }
                }
            }
            Self.fold(lineBreak: lineBreak, breaks: breaks, into: &chunks)
        } else {
            chunks += whitespaces
        }
        return chunks
    }

    /// YAML's line folding in flow and plain scalars: a single line break becomes a space, more
    /// breaks are kept less the first, and a break that is not `\n` is kept as it is.
    static func fold(lineBreak: String, breaks: String, into chunks: inout String) {
        if lineBreak != "\n" {
            chunks += lineBreak
        } else if breaks.isEmpty {
            chunks += " "
        }
        chunks += breaks
    }
}
