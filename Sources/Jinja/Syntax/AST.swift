/// The parsed form of a template: a `Sendable` tree of plain enums, built once and rendered many
/// times. Every node that can fail at render time carries the place it came from.

/// An expression.
public indirect enum Expr: Sendable {
    case literal(Value)
    case name(String, SourceLocation)
    /// `a.b`
    case attribute(Expr, String, SourceLocation)
    /// `a[b]`
    case item(Expr, Expr, SourceLocation)
    /// `a[start:stop:step]`
    case slice(Expr, start: Expr?, stop: Expr?, step: Expr?, SourceLocation)
    case list([Expr], SourceLocation)
    case tuple([Expr], SourceLocation)
    case dict([(key: Expr, value: Expr)], SourceLocation)
    case unary(UnaryOperator, Expr, SourceLocation)
    case binary(BinaryOperator, Expr, Expr, SourceLocation)
    /// `a < b <= c`: each operator compares its two neighbours, Python-style.
    case compare(Expr, [(op: CompareOperator, operand: Expr)], SourceLocation)
    case and(Expr, Expr)
    case or(Expr, Expr)
    /// `a ~ b ~ c`
    case concat([Expr], SourceLocation)
    /// `a if cond else b`; a missing else gives an undefined.
    case conditional(condition: Expr, then: Expr, otherwise: Expr?, SourceLocation)
    /// `value | name(args)`; `value` is nil only inside `{% filter %}` blocks.
    case filter(Expr?, name: String, Arguments, SourceLocation)
    /// `value is [not] name(args)`
    case test(Expr, name: String, Arguments, negated: Bool, SourceLocation)
    case call(Expr, Arguments, SourceLocation)

    /// Where the expression starts, for error reports.
    public var location: SourceLocation? {
        switch self {
        case .literal: return nil
        case .and(let lhs, _), .or(let lhs, _): return lhs.location
        case .name(_, let l), .attribute(_, _, let l), .item(_, _, let l), .slice(_, _, _, _, let l),
             .list(_, let l), .tuple(_, let l), .dict(_, let l), .unary(_, _, let l),
             .binary(_, _, _, let l), .compare(_, _, let l), .concat(_, let l),
             .conditional(_, _, _, let l), .filter(_, _, _, let l), .test(_, _, _, _, let l),
             .call(_, _, let l):
            return l
        }
    }
}

public enum UnaryOperator: Sendable { case not, negate, plus }

public enum BinaryOperator: String, Sendable {
    case add = "+", subtract = "-", multiply = "*", divide = "/", floorDivide = "//"
    case modulo = "%", power = "**"
}

public enum CompareOperator: String, Sendable {
    case equal = "==", notEqual = "!=", less = "<", lessOrEqual = "<=", greater = ">"
    case greaterOrEqual = ">=", `in` = "in", notIn = "not in"
}

/// Arguments as written at a call site: `f(a, b, *rest, key=v, **more)`.
public struct Arguments: Sendable {
    public var positional: [Expr] = []
    public var keyword: [(name: String, value: Expr)] = []
    public var star: Expr? = nil
    public var doubleStar: Expr? = nil

    public init(positional: [Expr] = [], keyword: [(name: String, value: Expr)] = [],
                star: Expr? = nil, doubleStar: Expr? = nil) {
        self.positional = positional
        self.keyword = keyword
        self.star = star
        self.doubleStar = doubleStar
    }
}

/// The left side of `set`, `for` and `with`: a name, a tuple of targets, or `ns.attr`.
public indirect enum AssignTarget: Sendable {
    case name(String)
    case tuple([AssignTarget])
    /// `{% set ns.attr = … %}`, only on namespaces.
    case attribute(String, String)
}

/// A statement or a run of text.
public indirect enum Node: Sendable {
    /// Literal template text (after whitespace control has been applied).
    case text(String)
    /// `{{ expr }}`
    case output(Expr, SourceLocation)
    /// `{% if %}…{% elif %}…{% else %}…{% endif %}`
    case conditional(branches: [(condition: Expr, body: [Node])], otherwise: [Node]?)
    case forLoop(ForLoop)
    /// `{% set target = expr %}`
    case assign(AssignTarget, Expr, SourceLocation)
    /// `{% set target | filters %}body{% endset %}`; `filter` applies to the captured body.
    case assignBlock(AssignTarget, filter: Expr?, body: [Node], SourceLocation)
    case block(BlockDefinition)
    /// `{% extends expr %}`
    case extends(Expr, SourceLocation)
    /// `{% include expr [ignore missing] [with|without context] %}`
    case include(Expr, ignoreMissing: Bool, withContext: Bool, SourceLocation)
    /// `{% import expr as name [with context] %}`
    case importAs(Expr, alias: String, withContext: Bool, SourceLocation)
    /// `{% from expr import a, b as c [with context] %}`
    case fromImport(Expr, names: [(name: String, alias: String?)], withContext: Bool, SourceLocation)
    case macro(MacroDefinition)
    /// `{% call(args) macro(…) %}body{% endcall %}`: `caller` is the body as a macro.
    case callBlock(call: Expr, caller: MacroDefinition, SourceLocation)
    /// `{% filter name(args) | other %}body{% endfilter %}`: `filter` has a nil innermost value.
    case filterBlock(filter: Expr, body: [Node], SourceLocation)
    /// `{% autoescape expr %}…{% endautoescape %}`: autoescape on or off inside the body.
    case autoescape(Expr, body: [Node], SourceLocation)
    /// `{% with a = 1, b = 2 %}…{% endwith %}`
    case with(assignments: [(target: AssignTarget, value: Expr)], body: [Node], SourceLocation)
}

public struct ForLoop: Sendable {
    public var target: AssignTarget
    public var iterable: Expr
    /// `{% for x in xs if cond %}`: filters items before the loop counts them.
    public var condition: Expr?
    public var body: [Node]
    public var otherwise: [Node]?
    public var recursive: Bool
    public var location: SourceLocation

    public init(target: AssignTarget, iterable: Expr, condition: Expr?, body: [Node],
                otherwise: [Node]?, recursive: Bool, location: SourceLocation) {
        self.target = target
        self.iterable = iterable
        self.condition = condition
        self.body = body
        self.otherwise = otherwise
        self.recursive = recursive
        self.location = location
    }
}

public struct BlockDefinition: Sendable {
    public var name: String
    public var body: [Node]
    public var scoped: Bool
    public var required: Bool
    public var location: SourceLocation

    public init(name: String, body: [Node], scoped: Bool, required: Bool, location: SourceLocation) {
        self.name = name
        self.body = body
        self.scoped = scoped
        self.required = required
        self.location = location
    }
}

public struct MacroDefinition: Sendable {
    public var name: String
    /// Parameters in order, with their default expressions.
    public var parameters: [(name: String, defaultValue: Expr?)]
    public var body: [Node]
    public var location: SourceLocation

    public init(name: String, parameters: [(name: String, defaultValue: Expr?)], body: [Node],
                location: SourceLocation) {
        self.name = name
        self.parameters = parameters
        self.body = body
        self.location = location
    }
}

/// A reference from one template to another, recorded by the parser for the dependency index.
public struct TemplateReference: Sendable, Hashable {
    public enum Kind: String, Sendable { case include, extends, `import` }
    public var kind: Kind
    /// The names when they are string literals (a list literal gives several); empty when the
    /// name is computed at render time.
    public var names: [String]
    /// True when the name is an expression whose value is known only at render time.
    public var isDynamic: Bool
    public var location: SourceLocation

    public init(kind: Kind, names: [String], isDynamic: Bool, location: SourceLocation) {
        self.kind = kind
        self.names = names
        self.isDynamic = isDynamic
        self.location = location
    }
}
