/// Turns a byte offset in a UTF-8 file into a line, a column in code points and the line's text,
/// for error messages. Only called once per error, so it may walk the file from the start.
enum SourcePosition {
    /// Lines longer than this are not quoted in an error (a minified file is one long line).
    static let longestQuotedLine = 400

    static func error(
        in bytes: UnsafeBufferPointer<UInt8>, offset: Int, file: String, message: String
    ) -> DocumentError {
        let offset = min(max(offset, 0), bytes.count)
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var column = 1
        index = lineStart
        while index < offset {
            if bytes[index] & 0xC0 != 0x80 { column += 1 }
            index += 1
        }
        var lineEnd = lineStart
        while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
        var textEnd = lineEnd
        if textEnd > lineStart, bytes[textEnd - 1] == 0x0D { textEnd -= 1 }
        var lineText: String?
        if textEnd - lineStart <= longestQuotedLine {
            lineText = String(decoding: UnsafeBufferPointer(rebasing: bytes[lineStart..<textEnd]), as: UTF8.self)
        }
        return DocumentError(file: file, mark: Mark(line: line, column: column), message: message, lineText: lineText)
    }
}
