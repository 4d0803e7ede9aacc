import Documents

/// `demonstration`, as Chora Compose's DemonstrationGenerator: the elements' `example_output`
/// texts, with `{{ var }}` in them filled from the context, assembled by the pattern's template
/// (its `{{ name }}` placeholders name elements, or variables whose `source` is
/// `elements.NAME.example_output`), or joined by blank lines when there is no template.
/// Placeholders that name nothing are left as written, as Chora Compose leaves them.
enum DemonstrationGenerator {
    static func render(_ config: ContentConfig, context: Document, in session: RenderSession) throws(Diagnostic) -> String {
        var outputs: [(name: String, text: String)] = []
        for element in config.elements {
            outputs.append((element.name, try Placeholders.fill(element.exampleOutput) { context.lookup($0)?.printed }))
        }
        var patternText = config.inlineTemplate
        if patternText == nil, config.template != nil { patternText = try session.templateText(config) }
        guard let patternText else {
            return outputs.map(\.text).joined(separator: "\n\n")
        }
        var values: [String: String] = [:]
        for variable in config.variables {
            if let source = variable.source, let text = elementText(source, outputs) {
                values[variable.name] = text
            } else if let fallback = variable.defaultValue {
                values[variable.name] = fallback
            } else {
                throw Diagnostic(file: config.file, "Cannot resolve variable '\(variable.name)' from source '\(variable.source ?? "")'")
            }
        }
        let filled = try Placeholders.fill(patternText) { name in
            values[name] ?? outputs.first { $0.name == name }?.text ?? context.lookup(name)?.printed
        }
        // Chora Compose writes line breaks and tabs in pattern templates as `\n` and `\t`.
        return filled.replacing("\\n", with: "\n").replacing("\\t", with: "\t")
    }

    /// `elements.intro.example_output` or `elements.0.example_output`: by name, then by index.
    private static func elementText(_ source: String, _ outputs: [(name: String, text: String)]) -> String? {
        let steps = source.split(separator: ".").map(String.init)
        guard steps.count == 3, steps[0] == "elements", steps[2] == "example_output" else { return nil }
        if let match = outputs.first(where: { $0.name == steps[1] }) { return match.text }
        if let index = Int(steps[1]), outputs.indices.contains(index) { return outputs[index].text }
        return nil
    }
}
