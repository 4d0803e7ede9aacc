/// The render in progress, as filters, tests and callable objects see it: the environment, the
/// autoescape setting of the current template, the undefined policy and the limits.
/// One render runs on one thread; the state is never shared between renders.
public final class RenderState {
    public let environment: Environment
    /// True while rendering a template whose name selects HTML autoescape.
    public internal(set) var autoescape: Bool
    var iterations = 0
    var depth = 0
    /// Stops the render from outside (a timeout); nil when nothing can.
    let cancellation: RenderCancellation?
    /// Checks since the clock was last read: reading it at every iteration would cost more than
    /// the iteration.
    private var checksSinceClock = 0
    /// The renderer, for objects that render template code when called (macros, `caller`, `loop`).
    unowned(unsafe) var renderer: Renderer!

    /// The environment's limits, copied once: reading them through `environment.options` copies
    /// the whole options struct on every loop iteration and output.
    let limits: RenderLimits
    let undefinedPolicy: UndefinedPolicy

    init(environment: Environment, autoescape: Bool, cancellation: RenderCancellation? = nil) {
        self.environment = environment
        self.autoescape = autoescape
        self.cancellation = cancellation
        limits = environment.options.limits
        undefinedPolicy = environment.options.undefined
    }

    /// The error for using an undefined value.
    public func undefinedError(_ undefined: Undefined) -> TemplateError {
        let error = TemplateError(.undefined, undefined.message)
        guard let origin = undefined.origin else { return error }
        return error.located(in: origin.source, at: origin.location)
    }

    /// Throws when `value` is undefined and the policy is strict.
    public func requireDefined(_ value: Value) throws {
        if case .undefined(let u) = value, isStrict(u) { throw undefinedError(u) }
    }

    /// Whether using this undefined is an error.
    public func isStrict(_ undefined: Undefined) -> Bool {
        undefinedPolicy == .strict && !undefined.alwaysLenient
    }

    /// Python's `str()`, raising for an undefined under the strict policy.
    public func str(_ value: Value) throws -> String {
        try requireDefined(value)
        return value.pythonStr
    }

    /// Python's `bool()`, raising for an undefined under the strict policy.
    public func truthy(_ value: Value) throws -> Bool {
        try requireDefined(value)
        return value.isTruthy
    }

    /// Calls the filter called `name`.
    public func callFilter(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Value {
        guard let filter = environment.filters[name] else {
            throw TemplateError(.assertion, "No filter named '\(name)'.")
        }
        return try filter(value, arguments, self)
    }

    /// Calls the test called `name`.
    public func callTest(_ name: String, _ value: Value, _ arguments: CallArguments) throws -> Bool {
        try test(named: name)(value, arguments, self)
    }

    /// The test called `name`, for callers that apply one test to many values.
    func test(named name: String) throws -> TestFunction {
        guard let test = environment.tests[name] else {
            throw TemplateError(.assertion, "No test named '\(name)'.")
        }
        return test
    }

    /// Counts one loop iteration (or one element built by a filter) against the limit.
    public func countIteration(_ n: Int = 1) throws {
        iterations += n
        if iterations > limits.maxLoopIterations {
            throw TemplateError(.limit, "the render passed its limit of \(limits.maxLoopIterations) loop iterations")
        }
        if cancellation != nil { try checkCancellation() }
    }

    /// Throws a `.cancelled` error once the render's cancellation says stop. Reads the clock at
    /// one check in 256, so that a render overruns its deadline by microseconds at most.
    func checkCancellation() throws {
        guard let cancellation else { return }
        checksSinceClock += 1
        guard checksSinceClock >= 256 else { return }
        checksSinceClock = 0
        if cancellation.shouldStop {
            throw TemplateError(.cancelled, "the render was stopped (timed out or cancelled)")
        }
    }

    /// Enters a nested call (macro, include, recursive loop); pair with `leave()`.
    func enter() throws {
        if depth >= limits.maxRecursionDepth {
            throw TemplateError(.recursion, "maximum recursion depth exceeded (\(limits.maxRecursionDepth) nested calls, includes or loops)")
        }
        if StackGuard.remaining < StackGuard.reserve {
            throw TemplateError(.recursion, "maximum recursion depth exceeded (the thread's stack is nearly full after \(depth) nested calls, includes or loops)")
        }
        if cancellation != nil {
            checksSinceClock = 255
            try checkCancellation()
        }
        depth += 1
    }

    func leave() { depth -= 1 }
}
