import Watcher

/// Which tier a config's items run in: the config's own `priority`, else the first `priorities`
/// rule of `watch.yaml` whose pattern matches the config's file, else medium.
extension ProjectSettings {
    func tier(of config: ContentConfig) -> Priority {
        if let own = config.priority { return own }
        return priorities.first { $0.glob.matches(config.file) }?.tier ?? .medium
    }
}
