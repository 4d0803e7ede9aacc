/// Turns template source into a `Template`, following Jinja2 3.1.6's `jinja2/parser.py` (and the
/// few checks its compiler makes before rendering, see `TemplateChecker`).
///
/// The parser indexes into the lexer's token array; it never copies or shifts it. Expressions are
/// plain AST, not constant-folded.
///
/// Locations: statements point at their tag name; names, literals of lists/dicts/tuples at their
/// first token; operators, `.attr`, `[…]` and calls at the operator, dot, bracket or parenthesis;
/// filters and tests at their name.
///
/// Limits: nesting of parentheses, brackets, unary operators, conditional expressions and
/// statements is capped at `maxNesting` (200) levels, and the operators, filters, tests, calls and
/// subscripts of one tag at `maxChain` (1,000), so that a hostile template gets an error instead of
/// overflowing the stack here or in the renderer. 200 levels take about 0.5 MB of stack in a
/// release build and 2 MB in a debug build (threads get 8 MB here).
///
/// A class, not a struct, for stack depth alone: it never escapes `parse`, but as a struct its
/// state was carried through the frames of the recursive descent and took several times the stack
/// per nesting level. For the same reason errors are built out of line and thrown untyped.
final class Parser {
    static let maxNesting = 200
    static let maxChain = 1_000

    let source: TemplateSource
    let tokens: [Token]
    /// The newline-normalized source, for line texts in error reports.
    let bytes: [UInt8]
    /// The lexer's error, met when the parser reaches the `.lexError` token that ends `tokens`.
    let lexError: TemplateError?
    var index = 0
    var nesting = 0
    var chain = 0
    /// Jinja2's `_tag_stack`: the statements being parsed, innermost last.
    var tagStack: [String] = []
    /// Jinja2's `_end_token_stack`: the end tags each open body waits for.
    var endTokenStack: [[String]] = []
    var blocks: [String: BlockDefinition] = [:]
    /// `block 'x' defined twice` is a compile-time error in Jinja2: reported after syntax errors.
    var duplicateBlock: (any Error)?
    var references: [TemplateReference] = []

    /// `filters` and `tests` are the names the environment knows: Jinja2 refuses an unknown filter
    /// or test when it compiles the template, not when the line runs.
    static func parse(_ source: TemplateSource, options: SyntaxOptions,
                      filters: Set<String>, tests: Set<String>) throws -> Template {
        let lexed = Lexer.tokenize(source, options: options)
        let parser = Parser(source: source, lexed: lexed)
        let nodes = try parser.subparse(endTokens: nil)
        if let duplicate = parser.duplicateBlock { throw duplicate }
        var checker = TemplateChecker(filters: filters, tests: tests, parser: parser)
        try checker.check(nodes)
        return Template(source: source, nodes: nodes, blocks: parser.blocks, references: parser.references)
    }

    init(source: TemplateSource, lexed: Lexer.Output) {
        self.source = source
        // The lexer always ends with `.eof` or `.lexError`; make sure so that `current` is valid.
        if let last = lexed.tokens.last?.kind, last == .eof || last == .lexError {
            self.tokens = lexed.tokens
        } else {
            self.tokens = lexed.tokens + [Token(.eof, lexed.tokens.last?.location ?? SourceLocation(line: 1, column: 1))]
        }
        self.bytes = lexed.bytes
        self.lexError = lexed.error
    }

    // MARK: - Token stream

    var current: Token {
        @inline(__always) get { tokens[index] }
    }

    var kind: TokenKind {
        @inline(__always) get { tokens[index].kind }
    }

    /// Jinja2's `stream.look()`: the token after the current one. Looking at the place where the
    /// lexer failed throws its error, as in Jinja2.
    func peek() throws -> Token {
        let token = tokens[min(index + 1, tokens.count - 1)]
        if token.kind == .lexError { throw lexFailure() }
        return token
    }

    @inline(__always)
    func at(name value: String) -> Bool { tokens[index].isName(value) }

    /// Moves on; stays on `.eof` once there. Reaching the place where the lexer failed throws its
    /// error: like Jinja2's lazy token stream, a syntax error earlier in the template wins.
    @inline(__always)
    func advance() throws {
        if index < tokens.count - 1 { index += 1 }
        if tokens[index].kind == .lexError { throw lexFailure() }
    }

    func skip(_ kind: TokenKind) throws -> Bool {
        guard self.kind == kind else { return false }
        try advance()
        return true
    }

    func skip(name value: String) throws -> Bool {
        guard at(name: value) else { return false }
        try advance()
        return true
    }

    /// Jinja2's `stream.expect`: the current token if it has the kind, then moves on.
    @discardableResult
    func expect(_ kind: TokenKind) throws -> Token {
        let token = current
        guard token.kind == kind else { throw expectationError(kind.description, token) }
        try advance()
        return token
    }

    /// `stream.expect("name:value")`.
    @discardableResult
    func expect(name value: String) throws -> Token {
        let token = current
        guard token.isName(value) else { throw expectationError(value, token) }
        try advance()
        return token
    }

    @inline(never)
    func expectationError(_ expected: String, _ token: Token) -> any Error {
        if token.kind == .eof {
            return error("unexpected end of template, expected '\(expected)'.", at: token.location)
        }
        return error("expected token '\(expected)', got '\(token.description)'", at: token.location)
    }

    // MARK: - Errors and limits

    /// The lexer's error, for when the parser reaches the place where the lexer stopped.
    @inline(never)
    func lexFailure() -> any Error {
        lexError ?? error("invalid template", at: tokens[tokens.count - 1].location)
    }

    /// Errors are built out of line and thrown untyped (a single pointer): the recursive descent
    /// then keeps small stack frames, which the nesting limit relies on.
    @inline(never)
    func error(_ message: String, at location: SourceLocation, kind: TemplateError.Kind = .syntax) -> any Error {
        TemplateError(kind, message, templateName: source.name, location: location,
                      lineText: Lexer.lineText(bytes, line: location.line))
    }

    /// Enters one more level of nesting; the caller leaves it with `nesting -= 1`.
    func enterNesting() throws {
        nesting += 1
        if nesting > Parser.maxNesting {
            throw error("template nesting too deep (more than \(Parser.maxNesting) levels)", at: current.location)
        }
    }

    /// Counts one more node wrapped around an expression by a loop (`a.b.c`, `x|f|g`, `a + b + c`).
    /// The count starts again at every tag, so it bounds the depth of each tag's expressions.
    func extendChain() throws {
        chain += 1
        if chain > Parser.maxChain {
            throw error("expression too long (more than \(Parser.maxChain) operators in one tag)", at: current.location)
        }
    }

    /// Jinja2's `_fail_ut_eof`: unknown tags and an early end of template, with hints from the
    /// tags that are still open.
    @inline(never)
    func unknownTagOrEOFError(name: String?, stack: [[String]], at location: SourceLocation) -> any Error {
        var message = name.map { "Encountered unknown tag '\($0)'." } ?? "Unexpected end of template."
        if let looking = stack.last {
            let currentlyLooking = looking.map { "'\($0)'" }.joined(separator: " or ")
            if let name, stack.contains(where: { $0.contains(name) }) {
                message += " You probably made a nesting mistake. Jinja is expecting this tag,"
                    + " but currently looking for \(currentlyLooking)."
            } else {
                message += " Jinja was looking for the following tags: \(currentlyLooking)."
            }
        }
        if let innermost = tagStack.last {
            message += " The innermost block that needs to be closed is '\(innermost)'."
        }
        return error(message, at: location)
    }

    @inline(never)
    func endOfTemplateError(_ endTokens: [String]) -> any Error {
        unknownTagOrEOFError(name: nil, stack: endTokenStack + [endTokens], at: current.location)
    }

    // MARK: - Template bodies

    /// Jinja2's `subparse`: text, `{{ }}` and statements until one of `endTokens` opens a tag
    /// (left as the current token) or the template ends.
    func subparse(endTokens: [String]?) throws -> [Node] {
        if kind == .lexError { throw lexFailure() }
        var body: [Node] = []
        if let endTokens { endTokenStack.append(endTokens) }
        defer { if endTokens != nil { endTokenStack.removeLast() } }

        while true {
            let token = current
            switch token.kind {
            case .eof:
                return body
            case .data:
                if case .text(let previous)? = body.last {
                    body[body.count - 1] = .text(previous + token.text)
                } else {
                    body.append(.text(token.text))
                }
                try advance()
            case .variableBegin:
                try advance()
                chain = 0
                let location = current.location
                let expr = try parseTuple()
                try expect(.variableEnd)
                body.append(.output(expr, location))
            case .blockBegin:
                try advance()
                chain = 0
                if let endTokens, kind == .name, endTokens.contains(current.text) {
                    return body
                }
                body.append(contentsOf: try parseStatement())
                try expect(.blockEnd)
            default:
                // The lexer only emits expression tokens between the delimiters.
                throw error("unexpected '\(token.description)'", at: token.location)
            }
        }
    }

    /// Jinja2's `parse_statements`: an optional colon, the end of the opening tag, the body, and
    /// the end tag (consumed when `dropNeedle`).
    func parseStatements(_ endTokens: [String], dropNeedle: Bool = false) throws -> [Node] {
        _ = try skip(.colon)
        try expect(.blockEnd)
        let body = try subparse(endTokens: endTokens)
        if kind == .eof { throw endOfTemplateError(endTokens) }
        if dropNeedle { try advance() }
        return body
    }
}
