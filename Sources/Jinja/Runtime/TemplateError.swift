/// A place in a template's source. Lines and columns count from 1; columns count characters.
public struct SourceLocation: Sendable, Hashable {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}

/// Every error the engine throws: syntax, undefined, type, missing template, limits.
/// Errors raised below the renderer carry no location; the renderer attaches the location of the
/// node it was evaluating, once, on the way out (`located(in:at:)`).
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public enum Kind: String, Sendable {
        case syntax          // TemplateSyntaxError
        case assertion       // TemplateAssertionError: unknown filter or test, bad block
        case undefined       // UndefinedError
        case type            // TypeError
        case value           // ValueError, ZeroDivisionError, …
        case lookup          // KeyError / IndexError raised by explicit calls
        case notFound        // TemplateNotFound
        case recursion       // runaway recursion, include and inheritance cycles
        case limit           // a render limit (output size, iterations) was passed
        case runtime         // anything else (`raise` of a required block, …)
        case cancelled       // stopped from outside by a RenderCancellation (a timeout)
    }

    public var kind: Kind
    public var message: String
    /// The template the error is in, when known.
    public var templateName: String?
    public var location: SourceLocation?
    /// The text of the line at `location`, for the caret display.
    public var lineText: String?

    public init(_ kind: Kind, _ message: String, templateName: String? = nil,
                location: SourceLocation? = nil, lineText: String? = nil) {
        self.kind = kind
        self.message = message
        self.templateName = templateName
        self.location = location
        self.lineText = lineText
    }

    /// The error with a place attached, unless it already has one.
    public func located(in source: TemplateSource, at location: SourceLocation) -> TemplateError {
        guard self.location == nil else { return self }
        var copy = self
        copy.templateName = source.name
        copy.location = location
        copy.lineText = source.line(location.line)
        return copy
    }

    /// `name:line:col: error: message`, then the source line and a caret under the column.
    public var description: String {
        var head = ""
        if let templateName { head += templateName + ":" }
        if let location { head += "\(location.line):\(location.column):" }
        if !head.isEmpty { head += " " }
        var text = head + "error: " + message
        if let lineText, let location {
            let prefix = lineText.prefix(max(0, location.column - 1))
            // Keep tabs so that the caret lines up under tabbed source.
            let pad = String(prefix.map { $0 == "\t" ? "\t" : " " })
            text += "\n    " + lineText + "\n    " + pad + "^"
        }
        return text
    }
}

/// A template's name and source text, shared by the parser and by error reports.
public struct TemplateSource: Sendable {
    public let name: String
    public let text: String
    /// Where the loader found it (a file path), for dependency tracking; nil for strings.
    public let path: String?

    public init(name: String, text: String, path: String? = nil) {
        self.name = name
        self.text = text
        self.path = path
    }

    /// The text of line `number` (1-based), without its newline.
    public func line(_ number: Int) -> String? {
        var current = 1
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            if current == number, text[index] == "\n" || text[index] == "\r\n" { break }
            if text[index] == "\n" || text[index] == "\r\n" {
                current += 1
                start = text.index(after: index)
            }
            index = text.index(after: index)
        }
        return current == number ? String(text[start..<index]) : nil
    }
}
