/// Query options of a list or watch (`meta/v1` ListOptions).
public struct ListOptions: Sendable, Hashable {
    public var labelSelector: String?
    public var fieldSelector: String?
    /// Page size; the answer's `metadata.continue` fetches the next page.
    public var limit: Int?
    public var `continue`: String?
    public var resourceVersion: String?
    public var resourceVersionMatch: ResourceVersionMatch?
    /// Server-side timeout of a list or watch.
    public var timeoutSeconds: Int?
    /// Watch only: ask for BOOKMARK events.
    public var allowWatchBookmarks: Bool?
    /// Watch only: start with synthetic ADDED events for the current state (watch-list).
    public var sendInitialEvents: Bool?

    public init(
        labelSelector: String? = nil, fieldSelector: String? = nil, limit: Int? = nil, continue: String? = nil,
        resourceVersion: String? = nil, resourceVersionMatch: ResourceVersionMatch? = nil, timeoutSeconds: Int? = nil,
        allowWatchBookmarks: Bool? = nil, sendInitialEvents: Bool? = nil
    ) {
        self.labelSelector = labelSelector
        self.fieldSelector = fieldSelector
        self.limit = limit
        self.continue = `continue`
        self.resourceVersion = resourceVersion
        self.resourceVersionMatch = resourceVersionMatch
        self.timeoutSeconds = timeoutSeconds
        self.allowWatchBookmarks = allowWatchBookmarks
        self.sendInitialEvents = sendInitialEvents
    }

    public enum ResourceVersionMatch: String, Sendable, Hashable {
        case notOlderThan = "NotOlderThan"
        case exact = "Exact"
    }

    /// Query items in a fixed order.
    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if let labelSelector, !labelSelector.isEmpty { items.append(("labelSelector", labelSelector)) }
        if let fieldSelector, !fieldSelector.isEmpty { items.append(("fieldSelector", fieldSelector)) }
        if let limit, limit > 0 { items.append(("limit", String(limit))) }
        if let `continue`, !`continue`.isEmpty { items.append(("continue", `continue`)) }
        if let resourceVersion { items.append(("resourceVersion", resourceVersion)) }
        if let resourceVersionMatch { items.append(("resourceVersionMatch", resourceVersionMatch.rawValue)) }
        if let timeoutSeconds { items.append(("timeoutSeconds", String(timeoutSeconds))) }
        if let allowWatchBookmarks { items.append(("allowWatchBookmarks", String(allowWatchBookmarks))) }
        if let sendInitialEvents { items.append(("sendInitialEvents", String(sendInitialEvents))) }
        return items
    }
}

/// Query options of create, update and patch.
public struct WriteOptions: Sendable, Hashable {
    /// `dryRun=All`: validate and default, store nothing.
    public var dryRun: Bool
    /// Names the writer in managedFields; required by server-side apply.
    public var fieldManager: String?
    /// What the server does with unknown or duplicate fields.
    public var fieldValidation: FieldValidation?

    public init(dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: FieldValidation? = nil) {
        self.dryRun = dryRun
        self.fieldManager = fieldManager
        self.fieldValidation = fieldValidation
    }

    public enum FieldValidation: String, Sendable, Hashable {
        case ignore = "Ignore"
        case warn = "Warn"
        case strict = "Strict"
    }

    var queryItems: [(String, String)] {
        var items: [(String, String)] = []
        if dryRun { items.append(("dryRun", "All")) }
        if let fieldManager, !fieldManager.isEmpty { items.append(("fieldManager", fieldManager)) }
        if let fieldValidation { items.append(("fieldValidation", fieldValidation.rawValue)) }
        return items
    }
}

/// Query options of a patch: the write options plus `force` (server-side apply only).
public struct PatchOptions: Sendable, Hashable {
    public var write: WriteOptions
    /// Server-side apply: take over fields owned by other managers instead of failing with 409.
    public var force: Bool

    public init(dryRun: Bool = false, fieldManager: String? = nil, fieldValidation: WriteOptions.FieldValidation? = nil, force: Bool = false) {
        self.write = WriteOptions(dryRun: dryRun, fieldManager: fieldManager, fieldValidation: fieldValidation)
        self.force = force
    }

    var queryItems: [(String, String)] {
        var items = write.queryItems
        if force { items.append(("force", "true")) }
        return items
    }
}
