import Documents

/// `template_fill`: the template file's text with each `{{ dotted.path }}` replaced by the context
/// value it names. Anything else in braces is copied as written.
enum TemplateFillGenerator {
    static func render(_ config: ContentConfig, context: Document, in session: RenderSession) throws(Diagnostic) -> String {
        let text = try session.templateText(config)
        let name = config.template ?? ""
        let strict = session.project.settings.undefined == .strict
        return try Placeholders.fill(text, unresolved: { (occurrence: Placeholders.Occurrence) throws(Diagnostic) in
            guard strict else { return }
            let place = "\(name):\(occurrence.line):\(occurrence.column)"
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
            let lineText = occurrence.line <= lines.count ? String(lines[occurrence.line - 1]) : nil
            throw Diagnostic(file: ProjectPath.join(session.project.settings.templates, name),
                             mark: Mark(line: occurrence.line, column: occurrence.column), lineText: lineText,
                             "Render error in \(place): '\(occurrence.name)' is undefined")
        }, value: { path in
            context.lookup(path).map(\.printed) ?? (strict ? nil : "")
        })
    }
}
