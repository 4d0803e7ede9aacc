import Synchronization

/// Jinja2's default globals: `range`, `dict`, `namespace`, `cycler`, `joiner`, `lipsum`.
///
/// Deviation: `range(…)` returns a list (Jinja2 gives a `range` object that prints as
/// `range(0, 3)`); iteration, `length`, indexing and `in` behave the same.
enum Globals {
    static let all: [String: Value] = [
        "range": function("range", range),
        "dict": function("dict") { args, state in
            var pairs: [(Value, Value)] = []
            if args.positional.count > 1 {
                throw TemplateError(.type, "dict expected at most 1 argument, got \(args.positional.count)")
            }
            if let source = args.positional.first { pairs = try Globals.pairs(of: source, state: state) }
            for (k, v) in args.keyword { pairs.append((.string(k), v)) }
            var dict = OrderedDict()
            for (k, v) in pairs { try dict.set(k, v) }
            return .dict(DictStorage(dict))
        },
        "namespace": function("namespace") { args, state in
            var dict = OrderedDict()
            if args.positional.count > 1 {
                throw TemplateError(.type, "dict expected at most 1 argument, got \(args.positional.count)")
            }
            if let source = args.positional.first {
                for (k, v) in try Globals.pairs(of: source, state: state) { try dict.set(k, v) }
            }
            for (k, v) in args.keyword { dict.set(k, v) }
            return .object(Namespace(dict))
        },
        "cycler": function("cycler") { args, _ in
            if args.positional.isEmpty { throw TemplateError(.runtime, "at least one item has to be provided") }
            if let (name, _) = args.keyword.first {
                throw TemplateError(.type, "Cycler.__init__() got an unexpected keyword argument '\(name)'")
            }
            return .object(Cycler(args.positional))
        },
        "joiner": function("joiner") { args, state in
            let a = try Signature("Joiner.__init__", ["sep"], implicit: 1).bind(args)
            return .object(Joiner(separator: try a[0].map { try state.str($0) } ?? ", "))
        },
        "lipsum": function("lipsum", lipsum),
    ]

    private static func function(_ name: String, _ body: @escaping BuiltinFunction.Body) -> Value {
        .object(BuiltinFunction(name: name, body: body))
    }

    /// The (key, value) pairs of a mapping or of an iterable of pairs, as `dict(x)` reads them.
    static func pairs(of source: Value, state: RenderState) throws -> [(Value, Value)] {
        if case .dict(let d) = source { return Array(d.snapshot.pairs) }
        var pairs: [(Value, Value)] = []
        for (i, element) in try state.iterate(source).enumerated() {
            let parts = try state.iterate(element)
            guard parts.count == 2 else {
                throw TemplateError(.value, "dictionary update sequence element #\(i) has length \(parts.count); 2 is required")
            }
            pairs.append((parts[0], parts[1]))
        }
        return pairs
    }

    /// Python's `range(stop)` / `range(start, stop[, step])`, as a list.
    static func range(_ args: CallArguments, _ state: RenderState) throws -> Value {
        if let (name, _) = args.keyword.first {
            throw TemplateError(.type, "range() takes no keyword arguments (got '\(name)')")
        }
        let numbers = try args.positional.map { try state.index($0) }
        let start: Int, stop: Int, step: Int
        switch numbers.count {
        case 1: (start, stop, step) = (0, numbers[0], 1)
        case 2: (start, stop, step) = (numbers[0], numbers[1], 1)
        case 3: (start, stop, step) = (numbers[0], numbers[1], numbers[2])
        case 0: throw TemplateError(.type, "range expected at least 1 argument, got 0")
        default: throw TemplateError(.type, "range expected at most 3 arguments, got \(numbers.count)")
        }
        if step == 0 { throw TemplateError(.value, "range() arg 3 must not be zero") }
        let count: Int
        if step > 0 { count = start < stop ? (stop - start - 1) / step + 1 : 0 }
        else { count = start > stop ? (start - stop - 1) / (-step) + 1 : 0 }
        try state.countIteration(count)
        var elements: [Value] = []
        elements.reserveCapacity(count)
        var x = start
        for _ in 0..<count {
            elements.append(.int(x))
            x &+= step
        }
        return .list(elements)
    }

    /// Jinja2's `lipsum(n=5, html=True, min=20, max=100)`: random lorem ipsum paragraphs.
    static func lipsum(_ args: CallArguments, _ state: RenderState) throws -> Value {
        let a = try Signature("generate_lorem_ipsum", ["n", "html", "min", "max"], implicit: 0).bind(args)
        let n = try a[0].map { try state.index($0) } ?? 5
        let html = try a[1].map { try state.truthy($0) } ?? true
        let low = try a[2].map { try state.index($0) } ?? 20
        let high = try a[3].map { try state.index($0) } ?? 100
        guard low < high else { throw TemplateError(.value, "empty range for randrange() (\(low), \(high), \(high - low))") }
        var generator = SystemRandomNumberGenerator()
        try state.countIteration(max(0, n) * high)
        var paragraphs: [String] = []
        for _ in 0..<max(0, n) {
            var nextCapitalized = true
            var lastComma = 0, lastFullstop = 0
            var last: String? = nil
            var words: [String] = []
            for index in 0..<Int.random(in: low..<high, using: &generator) {
                var word: String
                repeat { word = loremWords.randomElement(using: &generator) ?? "lorem" } while word == last
                last = word
                if nextCapitalized { word = PyString.capitalize(word); nextCapitalized = false }
                if index - Int.random(in: 3..<8, using: &generator) > lastComma {
                    lastComma = index
                    lastFullstop += 2
                    word += ","
                }
                if index - Int.random(in: 10..<20, using: &generator) > lastFullstop {
                    lastComma = index
                    lastFullstop = index
                    word += "."
                    nextCapitalized = true
                }
                words.append(word)
            }
            var paragraph = words.joined(separator: " ")
            if paragraph.hasSuffix(",") { paragraph.removeLast(); paragraph += "." }
            else if !paragraph.hasSuffix(".") { paragraph += "." }
            paragraphs.append(paragraph)
        }
        if !html { return .string(paragraphs.joined(separator: "\n\n")) }
        return .markup(paragraphs.map { "<p>\(HTML.escape($0))</p>" }.joined(separator: "\n"))
    }

    static let loremWords: [String] = [
        "a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor augue bibendum",
        "blandit class commodo condimentum congue consectetuer consequat conubia convallis cras cubilia cum",
        "curabitur curae cursus dapibus diam dictum dictumst dignissim dis dolor donec dui duis egestas eget",
        "eleifend elementum elit enim erat eros est et etiam eu euismod facilisi facilisis fames faucibus",
        "felis fermentum feugiat fringilla fusce gravida habitant habitasse hac hendrerit hymenaeos iaculis",
        "id imperdiet in inceptos integer interdum ipsum justo lacinia lacus laoreet lectus leo libero",
        "ligula litora lobortis lorem luctus maecenas magna magnis malesuada massa mattis mauris metus mi",
        "molestie mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non nonummy",
        "nostra nulla nullam nunc odio orci ornare parturient pede pellentesque penatibus per pharetra",
        "phasellus placerat platea porta porttitor posuere potenti praesent pretium primis proin pulvinar",
        "purus quam quis quisque rhoncus ridiculus risus rutrum sagittis sapien scelerisque sed sem semper",
        "senectus sit sociis sociosqu sodales sollicitudin suscipit suspendisse taciti tellus tempor tempus",
        "tincidunt torquent tortor tristique turpis ullamcorper ultrices ultricies urna ut varius vehicula",
        "vel velit venenatis vestibulum vitae vivamus viverra volutpat vulputate",
    ].joined(separator: " ").split(separator: " ").map(String.init)
}

