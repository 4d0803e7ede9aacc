/// The tokens the lexer hands to the parser, as Jinja2's `TokenStream` sees them after `wrap`:
/// whitespace, comments and the raw markers are already gone.
enum TokenKind: UInt8, Sendable {
    case data
    case variableBegin, variableEnd
    case blockBegin, blockEnd
    case name, string, integer, float
    // Operators, in the order of Jinja2's `operators` table.
    case add, sub, div, floorDiv, mul, mod, pow, tilde
    case lbracket, rbracket, lparen, rparen, lbrace, rbrace
    case eq, ne, gt, gteq, lt, lteq
    case assign, dot, colon, pipe, comma, semicolon
    case eof
    /// Where the lexer failed; always the last token. The parser throws the lexer's error on it.
    case lexError

    /// Jinja2's `_describe_token_type`: what an error message calls a token of this kind.
    var description: String {
        switch self {
        case .data: return "template data / text"
        case .variableBegin: return "begin of print statement"
        case .variableEnd: return "end of print statement"
        case .blockBegin: return "begin of statement block"
        case .blockEnd: return "end of statement block"
        case .name: return "name"
        case .string: return "string"
        case .integer: return "integer"
        case .float: return "float"
        case .add: return "+"
        case .sub: return "-"
        case .div: return "/"
        case .floorDiv: return "//"
        case .mul: return "*"
        case .mod: return "%"
        case .pow: return "**"
        case .tilde: return "~"
        case .lbracket: return "["
        case .rbracket: return "]"
        case .lparen: return "("
        case .rparen: return ")"
        case .lbrace: return "{"
        case .rbrace: return "}"
        case .eq: return "=="
        case .ne: return "!="
        case .gt: return ">"
        case .gteq: return ">="
        case .lt: return "<"
        case .lteq: return "<="
        case .assign: return "="
        case .dot: return "."
        case .colon: return ":"
        case .pipe: return "|"
        case .comma: return ","
        case .semicolon: return ";"
        case .eof: return "end of template"
        case .lexError: return "invalid text"
        }
    }
}

/// One token with the place it starts. `text` holds a name, the decoded value of a string literal,
/// or template data; `int` and `float` hold number literals.
struct Token: Sendable {
    var kind: TokenKind
    var text: String = ""
    var int: Int = 0
    var float: Double = 0
    var location: SourceLocation

    init(_ kind: TokenKind, _ location: SourceLocation, text: String = "") {
        self.kind = kind
        self.location = location
        self.text = text
    }

    /// True for the name token `value` (Jinja2's `token.test("name:value")`).
    @inline(__always)
    func isName(_ value: String) -> Bool { kind == .name && text == value }

    /// Jinja2's `describe_token`: a name is described by itself.
    var description: String { kind == .name ? text : kind.description }
}
