import Documents
import Jinja
import YAML

/// Data files that contexts read: JSON, YAML, or any other file as text.
public enum DataFile {
    /// Reads and parses `path`; `displayPath` is how messages name it.
    public static func read(path: String, displayPath: String) throws -> Document {
        try parse(InputFile.read(path, name: displayPath), path: path, displayPath: displayPath)
    }

    /// Parses a data file's bytes by the extension of `path`.
    static func parse(_ bytes: [UInt8], path: String, displayPath: String) throws(Diagnostic) -> Document {
        do {
            switch ProjectPath.pathExtension(path).lowercased() {
            case "json":
                return try JSONReader.read(bytes, file: displayPath)
            case "yaml", "yml":
                return try YAMLReader.read(bytes, file: displayPath)
            default:
                guard let text = String(validating: bytes, as: UTF8.self) else {
                    throw Diagnostic(file: displayPath, "the file is not UTF-8 text")
                }
                return .string(text, Mark(line: 1, column: 1))
            }
        } catch {
            throw Diagnostic(any: error, file: displayPath)
        }
    }

    /// Reads a context file whose top level must be a mapping with string keys.
    public static func readContext(path: String, displayPath: String) throws -> [(String, Value)] {
        let document = try read(path: path, displayPath: displayPath)
        guard case .object(let members, _) = document else {
            throw DocumentError(file: displayPath, mark: document.mark,
                                message: "a context file must hold a mapping, not \(document.kindName)")
        }
        return try members.map { member in
            guard let key = member.key.stringValue else {
                throw DocumentError(file: displayPath, mark: member.key.mark, message: "context keys must be strings")
            }
            return (key, Value(member.value))
        }
    }
}
