import Documents
import Jinja

/// A problem with an input, as users read it: `path:line:col: error: message`, then the line and
/// a caret. Every error that reaches the command line is turned into one of these, once.
struct Diagnostic: Error, Sendable, CustomStringConvertible {
    /// The file, as the project names it (`configs/api/users.json`); nil for the command line.
    var file: String?
    var mark: Mark?
    var lineText: String?
    var message: String

    init(file: String? = nil, mark: Mark? = nil, lineText: String? = nil, _ message: String) {
        self.file = file
        self.mark = mark
        self.lineText = lineText
        self.message = message
    }

    init(_ error: DocumentError) {
        self.init(file: error.file, mark: error.mark, lineText: error.lineText, error.message)
    }

    /// Wraps whatever a reader threw, keeping the place when it has one.
    init(any error: any Error, file: String) {
        switch error {
        case let error as Diagnostic: self = error
        case let error as DocumentError: self.init(error)
        default: self.init(file: file, String(describing: error))
        }
    }

    /// The same problem with a different message (the place stays).
    func with(message: String) -> Diagnostic {
        var copy = self
        copy.message = message
        return copy
    }

    var location: String {
        guard let file else { return "" }
        guard let mark else { return file + ": " }
        return "\(file):\(mark.line):\(mark.column): "
    }

    var description: String {
        var text = location + "error: " + message
        if let lineText, let mark {
            // Keep tabs so that the caret lines up under tabbed source.
            let pad = String(lineText.prefix(max(0, mark.column - 1)).map { $0 == "\t" ? "\t" : " " })
            text += "\n    \(lineText)\n    \(pad)^"
        }
        return text
    }
}
