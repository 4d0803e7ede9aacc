/// Expressions, with Jinja2's precedence (loosest first): conditional, `or`, `and`, `not`,
/// comparisons, `+ -`, `~`, `* / // %`, `**`, unary `- +`, then a primary with its postfix
/// operators, filters and tests. As in Jinja2, filters and tests apply to the unary expression
/// before them (`-1|abs` is `(-1)|abs`, `a + b is odd` is `a + (b is odd)`), and `**` is left
/// associative.
extension Parser {
    // MARK: Tuples and expressions

    /// Jinja2's `is_tuple_end`. Jinja2 3.1.6 also takes "extra end rules" (`in` after a `for`
    /// target, `recursive` after its iterable) but passes them to `test_any` in a way that never
    /// matches; so `{% for a, in x %}` reads `in` as a name there too, and so do we.
    func isTupleEnd() -> Bool {
        kind == .variableEnd || kind == .blockEnd || kind == .rparen
    }

    /// Jinja2's `parse_tuple`: an expression, or a tuple when commas separate several.
    func parseTuple(withCondexpr: Bool = true, explicitParentheses: Bool = false) throws -> Expr {
        var location = current.location
        var items: [Expr] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expect(.comma) }
            if isTupleEnd() { break }
            items.append(try parseExpression(withCondexpr: withCondexpr))
            if kind == .comma {
                isTuple = true
            } else {
                break
            }
        }
        if !isTuple {
            if let first = items.first { return first }
            if !explicitParentheses {
                throw error("Expected an expression, got '\(current.description)'", at: current.location)
            }
        }
        if let first = items.first?.location { location = first }
        return .tuple(items, location)
    }

    func parseExpression(withCondexpr: Bool = true) throws -> Expr {
        withCondexpr ? try parseCondExpr() : try parseOr()
    }

    func parseCondExpr() throws -> Expr {
        let location = current.location
        var expr = try parseOr()
        while try skip(name: "if") {
            try extendChain()
            let condition = try parseOr()
            var otherwise: Expr? = nil
            if try skip(name: "else") {
                try enterNesting()
                defer { nesting -= 1 }
                otherwise = try parseCondExpr()
            }
            expr = .conditional(condition: condition, then: expr, otherwise: otherwise, location)
        }
        return expr
    }

    func parseOr() throws -> Expr {
        var left = try parseAnd()
        while try skip(name: "or") {
            try extendChain()
            left = .or(left, try parseAnd())
        }
        return left
    }

    func parseAnd() throws -> Expr {
        var left = try parseNot()
        while try skip(name: "and") {
            try extendChain()
            left = .and(left, try parseNot())
        }
        return left
    }

    func parseNot() throws -> Expr {
        guard at(name: "not") else { return try parseCompare() }
        let location = current.location
        try advance()
        try enterNesting()
        defer { nesting -= 1 }
        return .unary(.not, try parseNot(), location)
    }

    func parseCompare() throws -> Expr {
        let expr = try parseMath1()
        var operands: [(op: CompareOperator, operand: Expr)] = []
        var location: SourceLocation? = nil
        while true {
            let token = current
            let op: CompareOperator
            let notIn = token.isName("not") ? try peek().isName("in") : false
            switch token.kind {
            case .eq: op = .equal
            case .ne: op = .notEqual
            case .lt: op = .less
            case .lteq: op = .lessOrEqual
            case .gt: op = .greater
            case .gteq: op = .greaterOrEqual
            case .name where token.text == "in": op = .in
            case .name where token.text == "not" && notIn:
                try advance()
                op = .notIn
            default:
                if let location { return .compare(expr, operands, location) }
                return expr
            }
            try advance()
            if location == nil { location = token.location }
            operands.append((op, try parseMath1()))
        }
    }

    /// `+` and `-`.
    func parseMath1() throws -> Expr {
        var left = try parseConcat()
        while kind == .add || kind == .sub {
            let op: BinaryOperator = kind == .add ? .add : .subtract
            let location = current.location
            try advance()
            try extendChain()
            left = .binary(op, left, try parseConcat(), location)
        }
        return left
    }

    /// `~`, kept flat.
    func parseConcat() throws -> Expr {
        let first = try parseMath2()
        guard kind == .tilde else { return first }
        let location = current.location
        var items = [first]
        while try skip(.tilde) {
            items.append(try parseMath2())
        }
        return .concat(items, location)
    }

    /// `*`, `/`, `//` and `%`.
    func parseMath2() throws -> Expr {
        var left = try parsePow()
        while true {
            let op: BinaryOperator
            switch kind {
            case .mul: op = .multiply
            case .div: op = .divide
            case .floorDiv: op = .floorDivide
            case .mod: op = .modulo
            default: return left
            }
            let location = current.location
            try advance()
            try extendChain()
            left = .binary(op, left, try parsePow(), location)
        }
    }

    func parsePow() throws -> Expr {
        var left = try parseUnary()
        while kind == .pow {
            let location = current.location
            try advance()
            try extendChain()
            left = .binary(.power, left, try parseUnary(), location)
        }
        return left
    }

    func parseUnary(withFilter: Bool = true) throws -> Expr {
        try enterNesting()
        defer { nesting -= 1 }
        let location = current.location
        var node: Expr
        switch kind {
        case .sub:
            try advance()
            node = .unary(.negate, try parseUnary(withFilter: false), location)
        case .add:
            try advance()
            node = .unary(.plus, try parseUnary(withFilter: false), location)
        default:
            node = try parsePrimary()
        }
        node = try parsePostfix(node)
        if withFilter {
            node = try parseFilterExpr(node)
        }
        return node
    }

    // MARK: Primaries

    func parsePrimary() throws -> Expr {
        let token = current
        switch token.kind {
        case .name:
            try advance()
            switch token.text {
            case "true", "True": return .literal(.bool(true))
            case "false", "False": return .literal(.bool(false))
            case "none", "None": return .literal(.none)
            default: return .name(token.text, token.location)
            }
        case .string:
            try advance()
            guard kind == .string else { return .literal(.string(token.text)) }
            var text = token.text
            while kind == .string {
                text += current.text
                try advance()
            }
            return .literal(.string(text))
        case .integer:
            try advance()
            return .literal(.int(token.int))
        case .float:
            try advance()
            return .literal(.float(token.float))
        case .lparen:
            try advance()
            let node = try parseTuple(explicitParentheses: true)
            try expect(.rparen)
            return node
        case .lbracket:
            return try parseList()
        case .lbrace:
            return try parseDict()
        default:
            throw error("unexpected '\(token.description)'", at: token.location)
        }
    }

    func parseList() throws -> Expr {
        let location = try expect(.lbracket).location
        var items: [Expr] = []
        while kind != .rbracket {
            if !items.isEmpty { try expect(.comma) }
            if kind == .rbracket { break }
            items.append(try parseExpression())
        }
        try expect(.rbracket)
        return .list(items, location)
    }

    func parseDict() throws -> Expr {
        let location = try expect(.lbrace).location
        var items: [(key: Expr, value: Expr)] = []
        while kind != .rbrace {
            if !items.isEmpty { try expect(.comma) }
            if kind == .rbrace { break }
            let key = try parseExpression()
            try expect(.colon)
            items.append((key, try parseExpression()))
        }
        try expect(.rbrace)
        return .dict(items, location)
    }

    // MARK: Postfix: `.attr`, `[…]`, `(…)`

    func parsePostfix(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            switch kind {
            case .dot, .lbracket: node = try parseSubscript(node)
            case .lparen: node = try parseCall(node)
            default: return node
            }
            try extendChain()
        }
    }

    /// Filters, tests and calls after a unary expression.
    func parseFilterExpr(_ start: Expr) throws -> Expr {
        var node = start
        while true {
            switch kind {
            case .pipe: node = try parseFilter(node) ?? node
            case .name where current.text == "is": node = try parseTest(node)
            case .lparen: node = try parseCall(node)
            default: return node
            }
            try extendChain()
        }
    }

    private enum Subscript {
        case expr(Expr)
        case slice(start: Expr?, stop: Expr?, step: Expr?)
    }

    func parseSubscript(_ node: Expr) throws -> Expr {
        let token = current
        try advance()
        if token.kind == .dot {
            let attribute = current
            try advance()
            switch attribute.kind {
            case .name: return .attribute(node, attribute.text, token.location)
            case .integer: return .item(node, .literal(.int(attribute.int)), token.location)
            default: throw error("expected name or number", at: attribute.location)
            }
        }
        // `[`
        var arguments: [Subscript] = []
        while kind != .rbracket {
            if !arguments.isEmpty { try expect(.comma) }
            arguments.append(try parseSubscribed())
        }
        try expect(.rbracket)
        if arguments.count == 1 {
            switch arguments[0] {
            case .expr(let key): return .item(node, key, token.location)
            case .slice(let start, let stop, let step):
                return .slice(node, start: start, stop: stop, step: step, token.location)
            }
        }
        var keys: [Expr] = []
        for argument in arguments {
            guard case .expr(let key) = argument else {
                throw error("a slice inside a tuple subscript is not supported", at: token.location)
            }
            keys.append(key)
        }
        return .item(node, .tuple(keys, token.location), token.location)
    }

    private func parseSubscribed() throws -> Subscript {
        var start: Expr? = nil
        if kind == .colon {
            try advance()
        } else {
            let node = try parseExpression()
            guard kind == .colon else { return .expr(node) }
            try advance()
            start = node
        }
        var stop: Expr? = nil
        if kind != .colon && kind != .rbracket && kind != .comma {
            stop = try parseExpression()
        }
        var step: Expr? = nil
        if kind == .colon {
            try advance()
            if kind != .rbracket && kind != .comma {
                step = try parseExpression()
            }
        }
        return .slice(start: start, stop: stop, step: step)
    }

    // MARK: Calls, filters, tests

    /// `(a, b, *rest, key=v, **more)`, with a trailing comma allowed.
    func parseCallArguments() throws -> Arguments {
        let open = try expect(.lparen)
        var arguments = Arguments()
        var requireComma = false
        func ensure(_ ok: Bool) throws {
            if !ok { throw error("invalid syntax for function call expression", at: open.location) }
        }
        while kind != .rparen {
            if requireComma {
                try expect(.comma)
                if kind == .rparen { break }
            }
            if kind == .mul {
                try ensure(arguments.star == nil && arguments.doubleStar == nil)
                try advance()
                arguments.star = try parseExpression()
            } else if kind == .pow {
                try ensure(arguments.doubleStar == nil)
                try advance()
                arguments.doubleStar = try parseExpression()
            } else if kind == .name, try peek().kind == .assign {
                try ensure(arguments.doubleStar == nil)
                let key = current.text
                try advance()
                try advance()
                arguments.keyword.append((key, try parseExpression()))
            } else {
                try ensure(arguments.star == nil && arguments.doubleStar == nil && arguments.keyword.isEmpty)
                arguments.positional.append(try parseExpression())
            }
            requireComma = true
        }
        try expect(.rparen)
        return arguments
    }

    func parseCall(_ node: Expr) throws -> Expr {
        let location = current.location
        return .call(node, try parseCallArguments(), location)
    }

    /// A dotted name after `|` or `is`.
    func parseDottedName() throws -> Token {
        var token = try expect(.name)
        while kind == .dot {
            try advance()
            token.text += "." + (try expect(.name)).text
        }
        return token
    }

    /// Jinja2's `parse_filter`: `| name(args) | …`; with `startInline` the first filter has no
    /// pipe (`{% filter upper %}`). Returns `node` unchanged when there is no filter.
    func parseFilter(_ node: Expr?, startInline: Bool = false) throws -> Expr? {
        var node = node
        var inline = startInline
        while kind == .pipe || inline {
            if !inline { try advance() }
            inline = false
            let name = try parseDottedName()
            let arguments = kind == .lparen ? try parseCallArguments() : Arguments()
            node = .filter(node, name: name.text, arguments, name.location)
            try extendChain()
        }
        return node
    }

    func parseTest(_ node: Expr) throws -> Expr {
        try advance()  // `is`
        let negated = try skip(name: "not")
        let name = try parseDottedName()
        var arguments = Arguments()
        switch kind {
        case .lparen:
            arguments = try parseCallArguments()
        case .name, .string, .integer, .float, .lbracket, .lbrace:
            if at(name: "else") || at(name: "or") || at(name: "and") { break }
            if at(name: "is") {
                throw error("You cannot chain multiple tests with is", at: current.location)
            }
            arguments.positional = [try parsePostfix(try parsePrimary())]
        default:
            break
        }
        return .test(node, name: name.text, arguments, negated: negated, name.location)
    }

    // MARK: Assignment targets

    /// A plain name being bound (macro, parameter, import alias); Jinja2 refuses the constants.
    func parseNameTarget() throws -> String {
        let token = try expect(.name)
        switch token.text {
        case "true", "false", "none", "True", "False", "None":
            throw error("can't assign to 'name'", at: token.location)
        default:
            return token.text
        }
    }

    /// Jinja2's `parse_assign_target` (with tuples): `a`, `a, b`, `(a, (b, c))`, and `ns.attr`
    /// when `withNamespace`.
    func parseAssignTarget(withNamespace: Bool = false) throws -> AssignTarget {
        let location = current.location
        var items: [(target: AssignTarget?, kind: String)] = []
        var isTuple = false
        while true {
            if !items.isEmpty { try expect(.comma) }
            if isTupleEnd() { break }
            items.append(try parseTargetPrimary(withNamespace: withNamespace))
            if kind == .comma {
                isTuple = true
            } else {
                break
            }
        }
        if !isTuple {
            guard let first = items.first else {
                throw error("Expected an expression, got '\(current.description)'", at: current.location)
            }
            guard let target = first.target else {
                throw error("can't assign to '\(first.kind)'", at: location)
            }
            return target
        }
        var targets: [AssignTarget] = []
        for item in items {
            guard let target = item.target else { throw error("can't assign to 'tuple'", at: location) }
            targets.append(target)
        }
        return .tuple(targets)
    }

    /// Jinja2's `parse_primary` in a target position: the target, or nil and the node type that
    /// cannot be assigned to.
    private func parseTargetPrimary(withNamespace: Bool) throws -> (target: AssignTarget?, kind: String) {
        let token = current
        switch token.kind {
        case .name:
            switch token.text {
            case "true", "false", "none", "True", "False", "None":
                try advance()
                return (nil, "const")
            default:
                break
            }
            try advance()
            if withNamespace, kind == .dot {
                try advance()
                let attribute = try expect(.name)
                return (.attribute(token.text, attribute.text), "nsref")
            }
            return (.name(token.text), "name")
        case .lparen, .lbracket, .lbrace, .string, .integer, .float:
            let expr = try parsePrimary()
            return Parser.assignTarget(expr)
        default:
            throw error("unexpected '\(token.description)'", at: token.location)
        }
    }

    /// An expression as an assignment target, or nil and Jinja2's node type name for it.
    static func assignTarget(_ expr: Expr) -> (target: AssignTarget?, kind: String) {
        switch expr {
        case .name(let name, _):
            return (.name(name), "name")
        case .tuple(let items, _):
            var targets: [AssignTarget] = []
            for item in items {
                guard let target = assignTarget(item).target else { return (nil, "tuple") }
                targets.append(target)
            }
            return (.tuple(targets), "tuple")
        default:
            return (nil, nodeName(expr))
        }
    }

    /// Jinja2's node class name, lower-cased, as its "can't assign to" message says it.
    static func nodeName(_ expr: Expr) -> String {
        switch expr {
        case .literal: return "const"
        case .name: return "name"
        case .attribute: return "getattr"
        case .item, .slice: return "getitem"
        case .list: return "list"
        case .tuple: return "tuple"
        case .dict: return "dict"
        case .unary(let op, _, _):
            switch op {
            case .not: return "not"
            case .negate: return "neg"
            case .plus: return "pos"
            }
        case .binary(let op, _, _, _):
            switch op {
            case .add: return "add"
            case .subtract: return "sub"
            case .multiply: return "mul"
            case .divide: return "div"
            case .floorDivide: return "floordiv"
            case .modulo: return "mod"
            case .power: return "pow"
            }
        case .compare: return "compare"
        case .and: return "and"
        case .or: return "or"
        case .concat: return "concat"
        case .conditional: return "condexpr"
        case .filter: return "filter"
        case .test(_, _, _, let negated, _): return negated ? "not" : "test"
        case .call: return "call"
        }
    }
}
