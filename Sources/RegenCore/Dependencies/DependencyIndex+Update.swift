import FoundationEssentials

/// Keeping the index up to date as files change, without building it again.
extension DependencyIndex {
    /// Takes changes to the files at `changedPaths` (relative to the project root; changed,
    /// created or deleted) into the index and returns the ids of every config whose output they
    /// can change: the dependents before the change and after it (a config that stops including
    /// a template, a config file that changes its id). A changed template is read and parsed
    /// alone and only its own edges change; a changed config file is read alone. A changed
    /// `watch.yaml` can move every folder: the index is then built again from the project.
    mutating func update(changedPaths: [String]) -> Set<String> {
        var affected: Set<String> = []
        if changedPaths.contains(Project.settingsFile) {
            affected.formUnion(allConfigIDs)
            if let project = try? Project.load(root: root) {
                self = Self.build(project: project)
                affected.formUnion(allConfigIDs)
            }
            return affected
        }
        for path in changedPaths {
            affected.formUnion(dependents(ofPath: path))
            if let name = templateName(forPath: path), let number = templateByName[name] {
                reset(template: number)
            }
            if isConfigFile(path) { relinkConfig(file: path) }
        }
        readUnread()
        for path in changedPaths { affected.formUnion(dependents(ofPath: path)) }
        return affected
    }

    /// Reads one config file again: the config it held leaves the index, the one it holds now
    /// (if it still exists and reads) comes in.
    private mutating func relinkConfig(file: String) {
        if let number = configByFile[file] { unlink(configNumber: number) }
        guard FileManager.default.fileExists(atPath: root + "/" + file),
              let config = try? Project.loadConfig(file, root: root, resolvedRoot: resolvedRoot) else { return }
        link(config)
    }
}
