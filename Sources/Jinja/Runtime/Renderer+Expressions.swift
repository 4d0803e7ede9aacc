/// Expressions. Each failing node attaches its own place to the error, innermost first.
extension Renderer {
    func eval(_ expr: Expr, _ frame: Frame) throws -> Value {
        do {
            return try evaluate(expr, frame)
        } catch let error as TemplateError where error.location == nil {
            throw located(error, expr.location)
        }
    }

    /// Python's truth of an expression, raising for a strict undefined.
    func truth(_ expr: Expr, _ frame: Frame) throws -> Bool {
        let value = try eval(expr, frame)
        do {
            return try state.truthy(value)
        } catch let error as TemplateError {
            throw located(error, expr.location)
        }
    }

    private func evaluate(_ expr: Expr, _ frame: Frame) throws -> Value {
        switch expr {
        case .literal(let value):
            return value
        case .name(let name, let location):
            let value = lookup(name, frame)
            return value.isUndefined ? withOrigin(value, location) : value
        case .attribute(let object, let name, let location):
            return try withOrigin(state.attribute(of: defined(object, frame), name), location)
        case .item(let object, let key, let location):
            return try withOrigin(state.item(of: defined(object, frame), eval(key, frame)), location)
        case .slice(let object, let start, let stop, let step, _):
            let value = try eval(object, frame)
            return try state.slice(value, start: start.map { try eval($0, frame) },
                                   stop: stop.map { try eval($0, frame) }, step: step.map { try eval($0, frame) })
        case .list(let elements, _):
            return .list(ListStorage(try elements.map { try eval($0, frame) }))
        case .tuple(let elements, _):
            return .tuple(try elements.map { try eval($0, frame) })
        case .dict(let pairs, _):
            var dict = OrderedDict(capacity: pairs.count)
            for (key, value) in pairs {
                try dict.set(eval(key, frame), eval(value, frame))
            }
            return .dict(DictStorage(dict))
        case .unary(let op, let operand, _):
            return try Operators.unary(op, eval(operand, frame), state: state)
        case .binary(let op, let lhs, let rhs, _):
            return try Operators.binary(op, eval(lhs, frame), eval(rhs, frame), state: state)
        case .compare(let first, let rest, _):
            var lhs = try eval(first, frame)
            for (op, operandExpr) in rest {
                let rhs = try eval(operandExpr, frame)
                guard try Operators.compare(op, lhs, rhs, state: state) else { return .bool(false) }
                lhs = rhs
            }
            return .bool(true)
        case .and(let lhs, let rhs):
            let left = try eval(lhs, frame)
            return try state.truthy(left) ? eval(rhs, frame) : left
        case .or(let lhs, let rhs):
            let left = try eval(lhs, frame)
            return try state.truthy(left) ? left : eval(rhs, frame)
        case .concat(let parts, _):
            let values = try parts.map { try eval($0, frame) }
            // Jinja2 folds a concatenation of constants at compile time into a plain string, so
            // even a `|safe` part is escaped again on output; only a runtime join keeps Markup.
            return try parts.allSatisfy(\.isFoldableConstant) ? .string(values.map { try state.str($0) }.joined())
                : concatenate(values)
        case .conditional(let condition, let then, let otherwise, let location):
            if try truth(condition, frame) { return try eval(then, frame) }
            if let otherwise { return try eval(otherwise, frame) }
            return .undefined(Undefined(hint: "the inline if-expression on line \(location.line) evaluated to false and no else section was defined.", alwaysLenient: true))
        case .filter(let input, let name, let arguments, _):
            guard let input else { throw TemplateError(.syntax, "filter '\(name)' has no value to filter") }
            guard let filter = state.environment.filters[name] else {
                // Reached only where the parser let it pass, as Jinja2 does inside `if` branches.
                throw TemplateError(.runtime, "No filter named '\(name)' found.")
            }
            return try filter(eval(input, frame), evalArguments(arguments, frame), state)
        case .test(let operand, let name, let arguments, let negated, _):
            guard let test = state.environment.tests[name] else {
                throw TemplateError(.runtime, "No test named '\(name)' found.")
            }
            return .bool(try test(eval(operand, frame), evalArguments(arguments, frame), state) != negated)
        case .call(let callee, let arguments, _):
            return try state.call(eval(callee, frame), evalArguments(arguments, frame))
        }
    }

    /// The value of an expression whose attribute or item is wanted: an undefined is an error
    /// under either policy, reported where the undefined expression stands.
    private func defined(_ expr: Expr, _ frame: Frame) throws -> Value {
        let value = try eval(expr, frame)
        if case .undefined(let undefined) = value {
            throw located(state.undefinedError(undefined), expr.location)
        }
        return value
    }

    /// An undefined value marked with the place that made it (other values pass through).
    private func withOrigin(_ value: Value, _ location: SourceLocation) -> Value {
        guard case .undefined(var undefined) = value, undefined.origin == nil else { return value }
        undefined.origin = (source, location)
        return .undefined(undefined)
    }

    /// A name: the frames, then the environment's globals, then `self` (the template's blocks).
    func lookup(_ name: String, _ frame: Frame) -> Value {
        if let value = frame.lookup(name) ?? state.environment.globals[name] { return value }
        return .undefined(Undefined(name: name))
    }

    /// `a ~ b`: the parts' strings joined. Under autoescape, as Jinja2's `markup_join`: once a
    /// part is Markup, the result is Markup and the other parts are escaped into it.
    private func concatenate(_ values: [Value]) throws -> Value {
        if state.autoescape, values.contains(where: { if case .markup = $0 { return true } else { return false } }) {
            var text = ""
            for value in values { text += try state.output(value) }
            return .markup(text)
        }
        var text = ""
        for value in values { text += try state.str(value) }
        return .string(text)
    }

    /// Applies a filter chain whose innermost value is missing (`{% filter %}`, `{% set x | f %}`)
    /// to `value`.
    func applyFilterChain(_ chain: Expr, to value: Value, _ frame: Frame) throws -> Value {
        guard case .filter(let input, let name, let arguments, let location) = chain else {
            return try eval(chain, frame)
        }
        let inner = try input.map { try applyFilterChain($0, to: value, frame) } ?? value
        do {
            return try state.callFilter(name, inner, evalArguments(arguments, frame))
        } catch let error as TemplateError {
            throw located(error, location)
        }
    }

    /// Call-site arguments, with `*args` and `**kwargs` spread.
    func evalArguments(_ arguments: Arguments, _ frame: Frame) throws -> CallArguments {
        if arguments.positional.isEmpty && arguments.keyword.isEmpty && arguments.star == nil
            && arguments.doubleStar == nil {
            return .empty
        }
        var result = CallArguments()
        result.positional = try arguments.positional.map { try eval($0, frame) }
        if let star = arguments.star {
            result.positional += try state.iterate(eval(star, frame))
        }
        result.keyword = try arguments.keyword.map { ($0.name, try eval($0.value, frame)) }
        if let doubleStar = arguments.doubleStar {
            let value = try eval(doubleStar, frame)
            guard case .dict(let dict) = value else {
                throw TemplateError(.type, "argument after ** must be a mapping, not \(value.typeName)")
            }
            for (key, item) in dict.snapshot.pairs {
                guard case .string(let name) = key else { throw TemplateError(.type, "keywords must be strings") }
                result.keyword.append((name, item))
            }
        }
        return result
    }
}
