import FoundationEssentials

/// Reads JSON (RFC 8259) into a `Document`, keeping what Python's `json` module keeps and
/// Foundation's `JSONSerialization` loses: the order of object members and ints apart from floats.
///
/// - `2` and `-0` are ints; `2.0`, `1e3` and `1E+2` are floats (`1e400` is infinity, as in Python).
/// - A duplicate key keeps the position of its first occurrence and the value of its last, as a
///   Python dict does.
/// - Errors carry Python's messages (`Expecting ',' delimiter`, `Extra data`, ...) at the same line
///   and column as Python reports them.
/// - Refused where Python accepts (each with a clear error): `NaN` and `Infinity` (not JSON),
///   integers beyond 64 bits, escaped lone surrogates (`"\ud800"`, not representable in a Swift
///   string), nesting deeper than `maximumDepth`.
/// - Invalid UTF-8 is an error naming its place; a UTF-8 byte order mark is skipped.
public enum JSONReader {
    /// Arrays and objects nested deeper than this are refused rather than risk the stack.
    public static let maximumDepth = 512

    public static func read(_ bytes: [UInt8], file: String) throws(DocumentError) -> Document {
        let result: Result<Document, DocumentError> = bytes.withUnsafeBufferPointer { buffer in
            read(buffer, file: file)
        }
        return try result.get()
    }

    public static func read(_ data: Data, file: String) throws(DocumentError) -> Document {
        let result: Result<Document, DocumentError> = data.withUnsafeBytes { raw in
            read(raw.bindMemory(to: UInt8.self), file: file)
        }
        return try result.get()
    }

    public static func read(_ text: String, file: String) throws(DocumentError) -> Document {
        try read(Array(text.utf8), file: file)
    }

    static func read(_ buffer: UnsafeBufferPointer<UInt8>, file: String) -> Result<Document, DocumentError> {
        var parser = JSONParser(bytes: buffer)
        do {
            return .success(try parser.parseDocument())
        } catch {
            return .failure(SourcePosition.error(in: buffer, offset: error.offset, file: file, message: error.message))
        }
    }
}
