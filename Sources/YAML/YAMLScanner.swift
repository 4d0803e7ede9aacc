/// A port of PyYAML 6.0's scanner (yaml/scanner.py), token for token, so that what it accepts,
/// what it refuses and where it says so match. The parts Regen refuses (directives, anchors,
/// aliases, tags, complex keys) stop with a clear error where PyYAML would produce their token.
struct YAMLScanner {
    // Internal rather than private: YAMLScanner+Scalars.swift scans the scalars.
    let chars: [UInt32]
    var index = 0
    var line = 0
    var column = 0

    var done = false
    var flowLevel = 0
    var tokens: [YAMLToken] = []
    /// Tokens before this index in `tokens` were already handed out.
    var head = 0
    var tokensTaken = 0
    var indent = -1
    var indents: [Int] = []
    var allowSimpleKey = true
    var possibleSimpleKeys: [Int: SimpleKey] = [:]

    struct SimpleKey {
        var tokenNumber: Int
        var required: Bool
        var mark: YAMLMark
    }

    init(_ chars: [UInt32]) {
        self.chars = chars
        let mark = currentMark
        tokens.append(YAMLToken(kind: .streamStart, start: mark, end: mark))
    }

    // MARK: The parser's interface

    mutating func peekToken() throws(YAMLFailure) -> YAMLToken {
        while try needMoreTokens() { try fetchMoreTokens() }
        // The stream end token stays once reached, so the queue is never empty here.
        return head < tokens.count ? tokens[head] : YAMLToken(kind: .streamEnd, start: currentMark, end: currentMark)
    }

    mutating func check(_ kinds: YAMLToken.Kind...) throws(YAMLFailure) -> Bool {
        let token = try peekToken()
        return kinds.contains { token.kind.isSameKind(as: $0) }
    }

    mutating func nextToken() throws(YAMLFailure) -> YAMLToken {
        let token = try peekToken()
        if head < tokens.count {
            head += 1
            tokensTaken += 1
            if head == tokens.count {
                tokens.removeAll(keepingCapacity: true)
                head = 0
            }
        }
        return token
    }

    // MARK: Characters

    var currentMark: YAMLMark { YAMLMark(index: index, line: line, column: column) }

    func peek(_ offset: Int = 0) -> UInt32 {
        let position = index + offset
        return position < chars.count ? chars[position] : 0
    }

    func prefix(_ length: Int) -> String {
        var text = String.UnicodeScalarView()
        let end = min(index + length, chars.count)
        for position in index..<end {
            if let scalar = Unicode.Scalar(chars[position]) { text.append(scalar) }
        }
        return String(text)
    }

    mutating func forward(_ count: Int = 1) {
        for _ in 0..<count {
            guard index < chars.count else { return }
            let ch = chars[index]
            index += 1
            if ch == 0x0A || ch == 0x85 || ch == 0x2028 || ch == 0x2029 || (ch == 0x0D && peek() != 0x0A) {
                line += 1
                column = 0
            } else if ch != 0xFEFF {
                column += 1
            }
        }
    }

    /// `\0 \t\r\n\x85\u2028\u2029`: a blank, a line break or the end.
    static func isBlankOrEnd(_ ch: UInt32) -> Bool {
        ch == 0x20 || ch == 0x09 || isBreakOrEnd(ch)
    }

    /// `\0\r\n\x85\u2028\u2029`
    static func isBreakOrEnd(_ ch: UInt32) -> Bool {
        ch == 0 || isBreak(ch)
    }

    /// `\r\n\x85\u2028\u2029`
    static func isBreak(_ ch: UInt32) -> Bool {
        ch == 0x0A || ch == 0x0D || ch == 0x85 || ch == 0x2028 || ch == 0x2029
    }

    static func character(_ ch: UInt32) -> String {
        guard ch != 0, let scalar = Unicode.Scalar(ch) else { return "'\\x00'" }
        switch scalar {
        case "\t": return "'\\t'"
        case "\n": return "'\\n'"
        case "\r": return "'\\r'"
        case "'": return "\"'\""
        default: return "'\(Character(scalar))'"
        }
    }

    // MARK: Fetching tokens

    mutating func needMoreTokens() throws(YAMLFailure) -> Bool {
        if done { return false }
        if head == tokens.count { return true }
        try stalePossibleSimpleKeys()
        if let number = nextPossibleSimpleKey(), number == tokensTaken { return true }
        return false
    }

    mutating func fetchMoreTokens() throws(YAMLFailure) {
        try scanToNextToken()
        try stalePossibleSimpleKeys()
        unwindIndent(column)
        let ch = peek()
        switch ch {
        case 0:
            return try fetchStreamEnd()
        case UInt32(ascii: "%") where column == 0:
            throw YAMLFailure("directives (%YAML, %TAG) are not supported", at: currentMark)
        case UInt32(ascii: "-") where checkDocumentIndicator("-"):
            return try fetchDocumentIndicator(.documentStart)
        case UInt32(ascii: ".") where checkDocumentIndicator("."):
            return try fetchDocumentIndicator(.documentEnd)
        case UInt32(ascii: "["):
            return try fetchFlowCollectionStart(.flowSequenceStart)
        case UInt32(ascii: "{"):
            return try fetchFlowCollectionStart(.flowMappingStart)
        case UInt32(ascii: "]"):
            return try fetchFlowCollectionEnd(.flowSequenceEnd)
        case UInt32(ascii: "}"):
            return try fetchFlowCollectionEnd(.flowMappingEnd)
        case UInt32(ascii: ","):
            return try fetchFlowEntry()
        case UInt32(ascii: "-") where Self.isBlankOrEnd(peek(1)):
            return try fetchBlockEntry()
        case UInt32(ascii: "?") where flowLevel > 0 || Self.isBlankOrEnd(peek(1)):
            throw YAMLFailure("complex mapping keys ('? ') are not supported", at: currentMark)
        case UInt32(ascii: ":") where flowLevel > 0 || Self.isBlankOrEnd(peek(1)):
            return try fetchValue()
        case UInt32(ascii: "*"), UInt32(ascii: "&"):
            throw YAMLFailure("anchors and aliases are not supported", at: currentMark)
        case UInt32(ascii: "!"):
            throw YAMLFailure("tags ('!', '!!str', ...) are not supported", at: currentMark)
        case UInt32(ascii: "|") where flowLevel == 0:
            return try fetchBlockScalar(folded: false)
        case UInt32(ascii: ">") where flowLevel == 0:
            return try fetchBlockScalar(folded: true)
        case UInt32(ascii: "'"):
            return try fetchFlowScalar(double: false)
        case UInt32(ascii: "\""):
            return try fetchFlowScalar(double: true)
        default:
            if checkPlain() { return try fetchPlain() }
            throw YAMLFailure(
                "found character \(Self.character(ch)) that cannot start any token", at: currentMark,
                context: "while scanning for the next token")
        }
    }

    // MARK: Simple keys

    func nextPossibleSimpleKey() -> Int? {
        possibleSimpleKeys.values.map(\.tokenNumber).min()
    }

    mutating func stalePossibleSimpleKeys() throws(YAMLFailure) {
        for level in possibleSimpleKeys.keys.sorted() {
            guard let key = possibleSimpleKeys[level] else { continue }
            if key.mark.line != line || index - key.mark.index > 1024 {
                if key.required {
                    throw YAMLFailure(
                        "could not find expected ':'", at: currentMark,
                        context: "while scanning a simple key", contextMark: key.mark)
                }
                possibleSimpleKeys[level] = nil
            }
        }
    }

    mutating func savePossibleSimpleKey() throws(YAMLFailure) {
        let required = flowLevel == 0 && indent == column
        if allowSimpleKey {
            try removePossibleSimpleKey()
            let number = tokensTaken + (tokens.count - head)
            possibleSimpleKeys[flowLevel] = SimpleKey(tokenNumber: number, required: required, mark: currentMark)
        }
    }

    mutating func removePossibleSimpleKey() throws(YAMLFailure) {
        if let key = possibleSimpleKeys[flowLevel] {
            if key.required {
                throw YAMLFailure(
                    "could not find expected ':'", at: currentMark,
                    context: "while scanning a simple key", contextMark: key.mark)
            }
            possibleSimpleKeys[flowLevel] = nil
        }
    }

    // MARK: Indentation

    mutating func unwindIndent(_ column: Int) {
        if flowLevel > 0 { return }
        while indent > column {
            let mark = currentMark
            indent = indents.popLast() ?? -1
            tokens.append(YAMLToken(kind: .blockEnd, start: mark, end: mark))
        }
    }

    mutating func addIndent(_ column: Int) -> Bool {
        if indent < column {
            indents.append(indent)
            indent = column
            return true
        }
        return false
    }

    // MARK: Fetchers

    mutating func fetchStreamEnd() throws(YAMLFailure) {
        unwindIndent(-1)
        try removePossibleSimpleKey()
        allowSimpleKey = false
        possibleSimpleKeys = [:]
        let mark = currentMark
        tokens.append(YAMLToken(kind: .streamEnd, start: mark, end: mark))
        done = true
    }

    func checkDocumentIndicator(_ ascii: Unicode.Scalar) -> Bool {
        let ch = ascii.value
        return column == 0 && peek() == ch && peek(1) == ch && peek(2) == ch && Self.isBlankOrEnd(peek(3))
    }

    mutating func fetchDocumentIndicator(_ kind: YAMLToken.Kind) throws(YAMLFailure) {
        unwindIndent(-1)
        try removePossibleSimpleKey()
        allowSimpleKey = false
        let start = currentMark
        forward(3)
        tokens.append(YAMLToken(kind: kind, start: start, end: currentMark))
    }

    mutating func fetchFlowCollectionStart(_ kind: YAMLToken.Kind) throws(YAMLFailure) {
        try savePossibleSimpleKey()
        flowLevel += 1
        allowSimpleKey = true
        let start = currentMark
        forward()
        tokens.append(YAMLToken(kind: kind, start: start, end: currentMark))
    }

    mutating func fetchFlowCollectionEnd(_ kind: YAMLToken.Kind) throws(YAMLFailure) {
        try removePossibleSimpleKey()
        // PyYAML lets the level go below zero on a stray ']' and stops at the parser; so do we.
        flowLevel -= 1
        allowSimpleKey = false
        let start = currentMark
        forward()
        tokens.append(YAMLToken(kind: kind, start: start, end: currentMark))
    }

    mutating func fetchFlowEntry() throws(YAMLFailure) {
        allowSimpleKey = true
        try removePossibleSimpleKey()
        let start = currentMark
        forward()
        tokens.append(YAMLToken(kind: .flowEntry, start: start, end: currentMark))
    }

    mutating func fetchBlockEntry() throws(YAMLFailure) {
        if flowLevel == 0 {
            if !allowSimpleKey {
                throw YAMLFailure("sequence entries are not allowed here", at: currentMark)
            }
            if addIndent(column) {
                let mark = currentMark
                tokens.append(YAMLToken(kind: .blockSequenceStart, start: mark, end: mark))
            }
        }
        allowSimpleKey = true
        try removePossibleSimpleKey()
        let start = currentMark
        forward()
        tokens.append(YAMLToken(kind: .blockEntry, start: start, end: currentMark))
    }

    mutating func fetchValue() throws(YAMLFailure) {
        if let key = possibleSimpleKeys[flowLevel] {
            possibleSimpleKeys[flowLevel] = nil
            let position = head + key.tokenNumber - tokensTaken
            tokens.insert(YAMLToken(kind: .key, start: key.mark, end: key.mark), at: position)
            if flowLevel == 0, addIndent(key.mark.column) {
                tokens.insert(YAMLToken(kind: .blockMappingStart, start: key.mark, end: key.mark), at: position)
            }
            allowSimpleKey = false
        } else {
            if flowLevel == 0 {
                if !allowSimpleKey {
                    throw YAMLFailure("mapping values are not allowed here", at: currentMark)
                }
                if addIndent(column) {
                    let mark = currentMark
                    tokens.append(YAMLToken(kind: .blockMappingStart, start: mark, end: mark))
                }
            }
            allowSimpleKey = flowLevel == 0
            try removePossibleSimpleKey()
        }
        let start = currentMark
        forward()
        tokens.append(YAMLToken(kind: .value, start: start, end: currentMark))
    }

    mutating func fetchBlockScalar(folded: Bool) throws(YAMLFailure) {
        allowSimpleKey = true
        try removePossibleSimpleKey()
        tokens.append(try scanBlockScalar(folded: folded))
    }

    mutating func fetchFlowScalar(double: Bool) throws(YAMLFailure) {
        try savePossibleSimpleKey()
        allowSimpleKey = false
        tokens.append(try scanFlowScalar(double: double))
    }

    mutating func fetchPlain() throws(YAMLFailure) {
        try savePossibleSimpleKey()
        allowSimpleKey = false
        tokens.append(try scanPlain())
    }

    func checkPlain() -> Bool {
        let ch = peek()
        let indicators = "-?:,[]{}#&*!|>'\"%@`".unicodeScalars.map(\.value)
        if !Self.isBlankOrEnd(ch), !indicators.contains(ch) { return true }
        return !Self.isBlankOrEnd(peek(1))
            && (ch == UInt32(ascii: "-") || (flowLevel == 0 && (ch == UInt32(ascii: "?") || ch == UInt32(ascii: ":"))))
    }

    // MARK: Scanners

    mutating func scanToNextToken() throws(YAMLFailure) {
        if index == 0, peek() == 0xFEFF { forward() }
        while true {
            while peek() == 0x20 { forward() }
            if peek() == UInt32(ascii: "#") {
                while !Self.isBreakOrEnd(peek()) { forward() }
            }
            if scanLineBreak() != nil {
                if flowLevel == 0 { allowSimpleKey = true }
            } else {
                return
            }
        }
    }

    /// Consumes one line break; `\r\n`, `\r`, `\n` and `\x85` become `\n`.
    mutating func scanLineBreak() -> String? {
        let ch = peek()
        if ch == 0x0D || ch == 0x0A || ch == 0x85 {
            forward(ch == 0x0D && peek(1) == 0x0A ? 2 : 1)
            return "\n"
        } else if ch == 0x2028 || ch == 0x2029 {
            forward()
            return ch == 0x2028 ? "\u{2028}" : "\u{2029}"
        }
        return nil
    }
}
