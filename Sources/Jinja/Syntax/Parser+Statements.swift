/// Statements: `{% tag … %}` and their bodies (Jinja2's `parse_statement` and `parse_<tag>`).
extension Parser {
    func parseStatement() throws -> [Node] {
        let token = current
        guard token.kind == .name else {
            throw error("tag name expected", at: token.location)
        }
        let location = token.location
        switch token.text {
        case "for", "if", "block", "extends", "print", "macro", "include", "from", "import", "set", "with",
             "autoescape", "call", "filter":
            break
        default:
            throw unknownTagOrEOFError(name: token.text, stack: endTokenStack, at: location)
        }
        try enterNesting()
        tagStack.append(token.text)
        defer {
            tagStack.removeLast()
            nesting -= 1
        }
        try advance()
        switch token.text {
        case "for": return [.forLoop(try parseFor(location))]
        case "if": return [try parseIf()]
        case "block": return [.block(try parseBlock(location))]
        case "extends": return [try parseExtends(location)]
        case "print": return try parsePrint()
        case "macro": return [.macro(try parseMacro(location))]
        case "include": return [try parseInclude(location)]
        case "from": return [try parseFrom(location)]
        case "import": return [try parseImport(location)]
        case "set": return [try parseSet(location)]
        case "with": return [try parseWith(location)]
        case "call": return [try parseCallBlock(location)]
        case "filter": return [try parseFilterBlock(location)]
        default: return [try parseAutoescape(location)]
        }
    }

    // MARK: Control flow

    func parseFor(_ location: SourceLocation) throws -> ForLoop {
        let target = try parseAssignTarget()
        try expect(name: "in")
        let iterable = try parseTuple(withCondexpr: false)
        var condition: Expr? = nil
        if try skip(name: "if") {
            condition = try parseExpression()
        }
        let recursive = try skip(name: "recursive")
        let body = try parseStatements(["endfor", "else"])
        var otherwise: [Node]? = nil
        let end = current
        try advance()
        if !end.isName("endfor") {
            otherwise = try parseStatements(["endfor"], dropNeedle: true)
        }
        return ForLoop(target: target, iterable: iterable, condition: condition, body: body,
                       otherwise: otherwise, recursive: recursive, location: location)
    }

    func parseIf() throws -> Node {
        var branches: [(condition: Expr, body: [Node])] = []
        var otherwise: [Node]? = nil
        while true {
            let condition = try parseTuple(withCondexpr: false)
            let body = try parseStatements(["elif", "else", "endif"])
            branches.append((condition, body))
            let end = current
            try advance()
            if end.isName("elif") { continue }
            if end.isName("else") {
                otherwise = try parseStatements(["endif"], dropNeedle: true)
            }
            break
        }
        return .conditional(branches: branches, otherwise: otherwise)
    }

    func parseWith(_ location: SourceLocation) throws -> Node {
        var assignments: [(target: AssignTarget, value: Expr)] = []
        while kind != .blockEnd {
            if !assignments.isEmpty { try expect(.comma) }
            let target = try parseAssignTarget()
            try expect(.assign)
            assignments.append((target, try parseExpression()))
        }
        let body = try parseStatements(["endwith"], dropNeedle: true)
        return .with(assignments: assignments, body: body, location)
    }

    /// `{% autoescape expr %}…{% endautoescape %}` (Jinja2's built-in scoped eval context).
    func parseAutoescape(_ location: SourceLocation) throws -> Node {
        let enabled = try parseExpression()
        let body = try parseStatements(["endautoescape"], dropNeedle: true)
        return .autoescape(enabled, body: body, location)
    }

    // MARK: Assignments

    func parseSet(_ location: SourceLocation) throws -> Node {
        let target = try parseAssignTarget(withNamespace: true)
        if try skip(.assign) {
            return .assign(target, try parseTuple(), location)
        }
        let filter = try parseFilter(nil)
        let body = try parseStatements(["endset"], dropNeedle: true)
        return .assignBlock(target, filter: filter, body: body, location)
    }

    func parsePrint() throws -> [Node] {
        var nodes: [Node] = []
        while kind != .blockEnd {
            if !nodes.isEmpty { try expect(.comma) }
            let location = current.location
            nodes.append(.output(try parseExpression(), location))
        }
        return nodes
    }

    // MARK: Inheritance

    func parseBlock(_ location: SourceLocation) throws -> BlockDefinition {
        let name = try expect(.name).text
        let scoped = try skip(name: "scoped")
        let required = try skip(name: "required")
        if kind == .sub {
            throw error("Block names in Jinja have to be valid Python identifiers and may not contain hyphens,"
                        + " use an underscore instead.", at: current.location)
        }
        let body = try parseStatements(["endblock"], dropNeedle: true)
        if required {
            for node in body {
                guard case .text(let text) = node, text.unicodeScalars.allSatisfy({ $0.properties.isWhitespace }) else {
                    throw error("Required blocks can only contain comments or whitespace", at: location)
                }
            }
        }
        _ = try skip(name: name)
        let block = BlockDefinition(name: name, body: body, scoped: scoped, required: required, location: location)
        if blocks[name] == nil {
            blocks[name] = block
        } else if duplicateBlock == nil {
            duplicateBlock = error("block '\(name)' defined twice", at: location, kind: .assertion)
        }
        return block
    }

    func parseExtends(_ location: SourceLocation) throws -> Node {
        let template = try parseExpression()
        record(.extends, template, location)
        return .extends(template, location)
    }

    // MARK: Includes and imports

    /// `with context` / `without context`, when the next two tokens say so.
    func parseImportContext(default value: Bool) throws -> Bool {
        guard at(name: "with") || at(name: "without"), try peek().isName("context") else { return value }
        let with = at(name: "with")
        try advance()
        try advance()
        return with
    }

    func parseInclude(_ location: SourceLocation) throws -> Node {
        let template = try parseExpression()
        var ignoreMissing = false
        if at(name: "ignore"), try peek().isName("missing") {
            ignoreMissing = true
            try advance()
            try advance()
        }
        let withContext = try parseImportContext(default: true)
        record(.include, template, location)
        return .include(template, ignoreMissing: ignoreMissing, withContext: withContext, location)
    }

    func parseImport(_ location: SourceLocation) throws -> Node {
        let template = try parseExpression()
        try expect(name: "as")
        let alias = try parseNameTarget()
        let withContext = try parseImportContext(default: false)
        record(.import, template, location)
        return .importAs(template, alias: alias, withContext: withContext, location)
    }

    func parseFrom(_ location: SourceLocation) throws -> Node {
        let template = try parseExpression()
        try expect(name: "import")
        var names: [(name: String, alias: String?)] = []
        var withContext: Bool? = nil

        func parseContext(_ parser: Parser) throws -> Bool {
            guard parser.at(name: "with") || parser.at(name: "without"), try parser.peek().isName("context") else {
                return false
            }
            withContext = parser.at(name: "with")
            try parser.advance()
            try parser.advance()
            return true
        }

        while true {
            if !names.isEmpty { try expect(.comma) }
            guard kind == .name else {
                try expect(.name)
                break
            }
            if try parseContext(self) { break }
            let nameLocation = current.location
            let name = try parseNameTarget()
            if name.hasPrefix("_") {
                throw error("names starting with an underline can not be imported", at: nameLocation, kind: .assertion)
            }
            var alias: String? = nil
            if try skip(name: "as") {
                alias = try parseNameTarget()
            }
            names.append((name, alias))
            if try parseContext(self) || kind != .comma { break }
        }
        record(.import, template, location)
        return .fromImport(template, names: names, withContext: withContext ?? false, location)
    }

    /// Notes a reference for the dependency index: string literals (or a list or tuple of them)
    /// are static; anything else is known only at render time.
    func record(_ kind: TemplateReference.Kind, _ template: Expr, _ location: SourceLocation) {
        var names: [String] = []
        var dynamic = false
        switch template {
        case .literal(.string(let name)):
            names.append(name)
        case .list(let items, _), .tuple(let items, _):
            for item in items {
                if case .literal(.string(let name)) = item {
                    names.append(name)
                } else {
                    dynamic = true
                }
            }
        default:
            dynamic = true
        }
        references.append(TemplateReference(kind: kind, names: names, isDynamic: dynamic, location: location))
    }

    // MARK: Macros, calls and filters

    /// `(a, b=1, …)`: parameters with their defaults.
    func parseSignature() throws -> [(name: String, defaultValue: Expr?)] {
        var parameters: [(name: String, defaultValue: Expr?)] = []
        var sawDefault = false
        try expect(.lparen)
        while kind != .rparen {
            if !parameters.isEmpty { try expect(.comma) }
            let nameLocation = current.location
            let name = try parseNameTarget()
            var defaultValue: Expr? = nil
            if try skip(.assign) {
                defaultValue = try parseExpression()
                sawDefault = true
            } else if sawDefault {
                throw error("non-default argument follows default argument", at: nameLocation)
            }
            parameters.append((name, defaultValue))
        }
        try expect(.rparen)
        return parameters
    }

    func parseMacro(_ location: SourceLocation) throws -> MacroDefinition {
        let name = try parseNameTarget()
        let parameters = try parseSignature()
        let body = try parseStatements(["endmacro"], dropNeedle: true)
        return MacroDefinition(name: name, parameters: parameters, body: body, location: location)
    }

    func parseCallBlock(_ location: SourceLocation) throws -> Node {
        let parameters = kind == .lparen ? try parseSignature() : []
        let call = try parseExpression()
        guard case .call = call else {
            throw error("expected call", at: location)
        }
        let body = try parseStatements(["endcall"], dropNeedle: true)
        let caller = MacroDefinition(name: "caller", parameters: parameters, body: body, location: location)
        return .callBlock(call: call, caller: caller, location)
    }

    func parseFilterBlock(_ location: SourceLocation) throws -> Node {
        guard let filter = try parseFilter(nil, startInline: true) else {
            throw error("expected a filter", at: current.location)
        }
        let body = try parseStatements(["endfilter"], dropNeedle: true)
        return .filterBlock(filter: filter, body: body, location)
    }
}
