import Synchronization

/// How undefined names behave: Jinja2's `StrictUndefined` or its default `Undefined`.
public enum UndefinedPolicy: String, Sendable {
    /// Any use other than `is defined` / `default` is an error naming the variable.
    case strict
    /// Prints as nothing, iterates as empty, is false; attribute access on it is still an error.
    case lenient
}

/// Which templates render with HTML autoescape.
public enum AutoescapePolicy: Sendable, Hashable {
    case never
    case always
    /// Templates whose name ends with one of these (Jinja2's `select_autoescape`).
    case suffixes([String])

    func applies(to name: String) -> Bool {
        switch self {
        case .never: return false
        case .always: return true
        case .suffixes(let list): return list.contains { name.hasSuffix($0) }
        }
    }
}

/// Bounds on one render, so that a runaway template fails cleanly instead of exhausting memory.
public struct RenderLimits: Sendable, Hashable {
    public var maxOutputBytes: Int
    public var maxLoopIterations: Int
    /// Nesting of macro calls, includes, recursive loops and `super()` chains together.
    public var maxRecursionDepth: Int

    public init(maxOutputBytes: Int = 256 << 20, maxLoopIterations: Int = 50_000_000,
                maxRecursionDepth: Int = 500) {
        self.maxOutputBytes = maxOutputBytes
        self.maxLoopIterations = maxLoopIterations
        self.maxRecursionDepth = maxRecursionDepth
    }
}

/// The engine's settings, as Jinja2's `Environment(...)` keyword arguments.
public struct EnvironmentOptions: Sendable {
    public var syntax: SyntaxOptions
    public var undefined: UndefinedPolicy
    public var autoescape: AutoescapePolicy
    public var limits: RenderLimits

    public init(syntax: SyntaxOptions = SyntaxOptions(), undefined: UndefinedPolicy = .strict,
                autoescape: AutoescapePolicy = .never, limits: RenderLimits = RenderLimits()) {
        self.syntax = syntax
        self.undefined = undefined
        self.autoescape = autoescape
        self.limits = limits
    }
}

/// A filter: the value on the left of `|`, the arguments, and the render in progress.
public typealias FilterFunction = @Sendable (Value, CallArguments, RenderState) throws -> Value
/// A test: the value on the left of `is`, the arguments, and the render in progress.
public typealias TestFunction = @Sendable (Value, CallArguments, RenderState) throws -> Bool

/// The entry point of the engine: options, a loader, the filters, tests and globals, and a cache
/// of parsed templates. Safe to share between threads; renders run in parallel.
public final class Environment: Sendable {
    public let options: EnvironmentOptions
    public let loader: (any TemplateLoader)?
    public let filters: [String: FilterFunction]
    public let tests: [String: TestFunction]
    public let globals: [String: Value]
    /// The names the parser accepts (Jinja2 refuses unknown filters and tests when it compiles).
    private let filterNames: Set<String>
    private let testNames: Set<String>
    /// Template sources, loaded once and shared by every thread.
    private let sources = Mutex<[String: TemplateSource]>([:])
    /// Every template parsed so far, by the generation it was parsed in: another thread borrows it
    /// rather than parsing it again (see `template(named:)`).
    private let parsed = Mutex<[String: (generation: Int, template: Template)]>([:])
    /// Bumped by `invalidate`, so that every thread drops the templates it parsed.
    private let generation = Atomic<Int>(0)
    /// Tells this environment's per-thread caches from another's (see `ThreadTemplates`).
    private let identity = Environment.nextIdentity.add(1, ordering: .relaxed).oldValue
    private static let nextIdentity = Atomic<Int>(0)

    public init(loader: (any TemplateLoader)? = nil, options: EnvironmentOptions = EnvironmentOptions(),
                filters: [String: FilterFunction] = [:], tests: [String: TestFunction] = [:],
                globals: [String: Value] = [:]) {
        self.loader = loader
        self.options = options
        self.filters = Builtins.filters.merging(filters) { $1 }
        self.tests = Builtins.tests.merging(tests) { $1 }
        self.globals = Builtins.globals.merging(globals) { $1 }
        filterNames = Set(self.filters.keys)
        testNames = Set(self.tests.keys)
    }

    /// Parses template text that did not come from the loader.
    public func template(fromString text: String, name: String = "<template>") throws -> Template {
        try parse(TemplateSource(name: name, text: text))
    }

    /// A thread renders a tree another thread parsed this many times before it parses its own.
    static let borrowedRendersBeforeOwnTree = 8

    /// The template called `name`, loaded once and parsed once, or once per thread for the ones
    /// each thread renders often. Threads that render one tree at the same time contend on the
    /// reference counts of its nodes (a template behind every item of a run cost a third of the
    /// throughput of two render slots); but parsing every template on every thread duplicated a
    /// share of a run whose items use many templates a few times each. So a thread borrows the
    /// tree another one parsed, and parses its own after `borrowedRendersBeforeOwnTree` renders.
    public func template(named name: String) throws -> Template {
        let current = generation.load(ordering: .acquiring)
        let local = ThreadTemplates.cache(for: identity, generation: current)
        if let template = local.templates[name] { return template }
        if let borrowed = local.borrowed[name], borrowed.renders < Self.borrowedRendersBeforeOwnTree {
            local.borrowed[name]?.renders += 1
            return borrowed.template
        }
        if local.borrowed[name] == nil, let shared = parsed.withLock({ $0[name] }), shared.generation == current {
            local.borrowed[name] = (shared.template, 1)
            return shared.template
        }
        let template = try parse(source(named: name))
        local.borrowed[name] = nil
        local.templates[name] = template
        parsed.withLock { $0[name] = (current, template) }
        return template
    }

    private func source(named name: String) throws -> TemplateSource {
        if let cached = sources.withLock({ $0[name] }) { return cached }
        guard let loader else { throw TemplateError(.notFound, "Template file not found: \(name)") }
        let source = try loader.load(name)
        sources.withLock { $0[name] = source }
        return source
    }

    /// Forgets cached templates so that the next render reads them again (all when `names` is nil).
    public func invalidate(_ names: [String]? = nil) {
        sources.withLock { sources in
            guard let names else { sources.removeAll(); return }
            for name in names { sources[name] = nil }
        }
        parsed.withLock { $0.removeAll() }
        generation.add(1, ordering: .releasing)
    }

    /// Renders the template called `name` with `context`.
    public func render(_ name: String, context: [String: Value] = [:]) throws -> String {
        try render(template(named: name), context: context)
    }

    /// Renders a parsed template with `context`. With `cancellation`, the render stops with a
    /// `.cancelled` error at its first check after the deadline or after `cancel()`.
    public func render(_ template: Template, context: [String: Value] = [:],
                       cancellation: RenderCancellation? = nil) throws -> String {
        let state = RenderState(environment: self, autoescape: options.autoescape.applies(to: template.name),
                                cancellation: cancellation)
        if let cancellation, cancellation.shouldStop {
            throw TemplateError(.cancelled, "the render was stopped (timed out or cancelled)")
        }
        return try Renderer(state: state).render(template, context: context)
    }

    private func parse(_ source: TemplateSource) throws -> Template {
        try Parser.parse(source, options: options.syntax, filters: filterNames, tests: testNames)
    }

    func autoescape(for name: String) -> Bool { options.autoescape.applies(to: name) }
}
