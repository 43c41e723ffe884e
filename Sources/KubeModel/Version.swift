/// `version.Info`: the body of `GET /version`. Readable anonymously.
public struct VersionInfo: Codable, Sendable, Hashable {
    public var major: String
    public var minor: String
    public var emulationMajor: String?
    public var emulationMinor: String?
    public var minCompatibilityMajor: String?
    public var minCompatibilityMinor: String?
    /// E.g. `v1.36.2`.
    public var gitVersion: String
    public var gitCommit: String
    public var gitTreeState: String
    public var buildDate: String
    public var goVersion: String
    public var compiler: String
    public var platform: String

    public init(
        major: String, minor: String, gitVersion: String, gitCommit: String = "", gitTreeState: String = "",
        buildDate: String = "", goVersion: String = "", compiler: String = "", platform: String = "",
        emulationMajor: String? = nil, emulationMinor: String? = nil, minCompatibilityMajor: String? = nil,
        minCompatibilityMinor: String? = nil
    ) {
        self.major = major
        self.minor = minor
        self.gitVersion = gitVersion
        self.gitCommit = gitCommit
        self.gitTreeState = gitTreeState
        self.buildDate = buildDate
        self.goVersion = goVersion
        self.compiler = compiler
        self.platform = platform
        self.emulationMajor = emulationMajor
        self.emulationMinor = emulationMinor
        self.minCompatibilityMajor = minCompatibilityMajor
        self.minCompatibilityMinor = minCompatibilityMinor
    }
}
