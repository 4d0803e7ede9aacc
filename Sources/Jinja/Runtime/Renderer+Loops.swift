/// `{% for %}`: filtering, unpacking, `else`, the `loop` object and recursive loops.
extension Renderer {
    func executeLoop(_ loop: ForLoop, frame: Frame, context: RenderContext, into out: inout Output) throws {
        let items = try iterable(loop.iterable, frame, location: loop.location)
        try runLoop(loop, items: items, depth: 1, frame: frame, context: context, into: &out)
    }

    func iterable(_ expr: Expr, _ frame: Frame, location: SourceLocation) throws -> [Value] {
        let value = try eval(expr, frame)
        do {
            return try state.iterate(value)
        } catch let error as TemplateError {
            throw located(error, expr.location ?? location)
        }
    }

    /// One level of a loop; recursive loops come back here through `loop(…)` with depth + 1.
    func runLoop(_ loop: ForLoop, items allItems: [Value], depth: Int, frame: Frame,
                 context: RenderContext, into out: inout Output) throws {
        let inner = Frame(parent: frame)
        var items = allItems
        if let condition = loop.condition {
            // The inline `if` filters before the loop counts, so `loop.length` and `loop.last`
            // speak of the items that pass; the condition does not see `loop`.
            items = []
            for item in allItems {
                try assign(loop.target, item, in: inner, at: loop.location)
                if try truth(condition, inner) { items.append(item) }
            }
        }
        if items.isEmpty {
            if let otherwise = loop.otherwise {
                try execute(otherwise, frame: frame, context: context, into: &out)
            }
            return
        }
        let loopObject = LoopObject(items: items, depth: depth, recursion: loop.recursive
            ? LoopObject.Recursion(loop: loop, frame: frame, context: context) : nil)
        inner.locals["loop"] = .object(loopObject)
        if case .name(let name) = loop.target {
            // The common `for x in …`: find the variable's slot once, not once per item.
            let slot = inner.locals.slot(for: name)
            for (index, item) in items.enumerated() {
                try state.countIteration()
                loopObject.index0 = index
                inner.locals.set(item, at: slot)
                try execute(loop.body, frame: inner, context: context, into: &out)
            }
            return
        }
        for (index, item) in items.enumerated() {
            try state.countIteration()
            loopObject.index0 = index
            try assign(loop.target, item, in: inner, at: loop.location)
            try execute(loop.body, frame: inner, context: context, into: &out)
        }
    }
}

/// The `loop` variable: position, neighbours, `cycle`, `changed`, and `loop(…)` for recursion.
/// Mutable, confined to the thread of the render that made it; `@unchecked Sendable` only
/// because values must be, and a loop object never leaves its render.
final class LoopObject: JinjaObject, @unchecked Sendable {
    struct Recursion {
        let loop: ForLoop
        let frame: Frame
        let context: RenderContext
    }

    let items: [Value]
    let depth: Int
    let recursion: Recursion?
    var index0 = 0
    private var lastChanged: [Value]?

    init(items: [Value], depth: Int, recursion: Recursion?) {
        self.items = items
        self.depth = depth
        self.recursion = recursion
    }

    var typeName: String { "LoopContext" }
    var pythonRepr: String { "<LoopContext \(index0 + 1)/\(items.count)>" }
    var isCallable: Bool { recursion != nil }

    func attribute(_ name: String, state: RenderState) throws -> Value? {
        let length = items.count
        switch name {
        case "index": return .int(index0 + 1)
        case "index0": return .int(index0)
        case "revindex": return .int(length - index0)
        case "revindex0": return .int(length - index0 - 1)
        case "first": return .bool(index0 == 0)
        case "last": return .bool(index0 == length - 1)
        case "length": return .int(length)
        case "depth": return .int(depth)
        case "depth0": return .int(depth - 1)
        case "previtem":
            return index0 > 0 ? items[index0 - 1] : .undefined(Undefined(name: "previtem", hint: "there is no previous item"))
        case "nextitem":
            return index0 + 1 < length ? items[index0 + 1] : .undefined(Undefined(name: "nextitem", hint: "there is no next item"))
        case "cycle":
            return .object(BuiltinFunction(name: "cycle") { [self] arguments, _ in
                guard !arguments.positional.isEmpty else {
                    throw TemplateError(.type, "no items for cycling given")
                }
                return arguments.positional[self.index0 % arguments.positional.count]
            })
        case "changed":
            return .object(BuiltinFunction(name: "changed") { [self] arguments, _ in
                if let last = self.lastChanged, last.count == arguments.positional.count,
                   zip(last, arguments.positional).allSatisfy({ $0.pythonEquals($1) }) {
                    return .bool(false)
                }
                self.lastChanged = arguments.positional
                return .bool(true)
            })
        default: return nil
        }
    }

    /// `loop(children)` in a recursive loop renders the body again one level deeper.
    func call(_ arguments: CallArguments, state: RenderState) throws -> Value {
        guard let recursion else { throw TemplateError(.type, "'LoopContext' object is not callable") }
        guard arguments.positional.count == 1, arguments.keyword.isEmpty else {
            throw TemplateError(.type, "loop() takes exactly one argument (\(arguments.positional.count) given)")
        }
        let renderer = state.renderer!
        let items = try state.iterate(arguments.positional[0])
        try state.enter()
        defer { state.leave() }
        let text = try renderer.capture { out in
            try renderer.runLoop(recursion.loop, items: items, depth: depth + 1, frame: recursion.frame,
                                 context: recursion.context, into: &out)
        }
        return renderer.captured(text)
    }
}
