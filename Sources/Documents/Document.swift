/// A place in a data file. Lines and columns count from 1; columns count Unicode code points.
public struct Mark: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    public var description: String { "\(line):\(column)" }
}

/// A parsed JSON or YAML document: Python's data model (ints and floats apart, mappings in file
/// order), each node with the place it came from so that whoever reads it can point at a key.
public indirect enum Document: Sendable {
    case null(Mark)
    case bool(Bool, Mark)
    case int(Int, Mark)
    case float(Double, Mark)
    case string(String, Mark)
    case array([Document], Mark)
    /// A mapping in file order. Keys are scalars (YAML allows ints, booleans and null as keys).
    case object([Member], Mark)

    public struct Member: Sendable {
        public var key: Document
        public var value: Document

        public init(key: Document, value: Document) {
            self.key = key
            self.value = value
        }
    }

    public var mark: Mark {
        switch self {
        case .null(let m), .bool(_, let m), .int(_, let m), .float(_, let m), .string(_, let m),
             .array(_, let m), .object(_, let m):
            return m
        }
    }

    /// The string, when this is a string.
    public var stringValue: String? {
        if case .string(let s, _) = self { return s }
        return nil
    }

    /// The member whose key is the string `key`, when this is a mapping.
    public subscript(key: String) -> Document? {
        guard case .object(let members, _) = self else { return nil }
        return members.first { $0.key.stringValue == key }?.value
    }

    /// The name of the kind of value, for messages: `expected a string, found a mapping`.
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "a boolean"
        case .int: return "an integer"
        case .float: return "a number"
        case .string: return "a string"
        case .array: return "a list"
        case .object: return "a mapping"
        }
    }
}

/// A malformed data file: `file:line:col: error: message`, the line and a caret.
public struct DocumentError: Error, Sendable, CustomStringConvertible {
    public var file: String
    public var mark: Mark
    public var message: String
    public var lineText: String?

    public init(file: String, mark: Mark, message: String, lineText: String? = nil) {
        self.file = file
        self.mark = mark
        self.message = message
        self.lineText = lineText
    }

    public var description: String {
        var text = "\(file):\(mark.line):\(mark.column): error: \(message)"
        if let lineText {
            let pad = String(lineText.prefix(max(0, mark.column - 1)).map { $0 == "\t" ? "\t" : " " })
            text += "\n    \(lineText)\n    \(pad)^"
        }
        return text
    }
}
