/// `core/v1` Event: the legacy event shape (`involvedObject`, `message`, `source`, `firstTimestamp`…)
/// that `kubectl describe` and `kubectl get events` show.
///
/// The API server writes `eventTime`, `firstTimestamp` and `lastTimestamp` as `null` when unset;
/// see ``ExplicitNull``.
public struct Event: KubernetesResource, Hashable {
    public static let apiVersion = "v1"
    public static let kind = "Event"
    public static let resource = "events"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    public var involvedObject: ObjectReference
    public var reason: String?
    public var message: String?
    public var source: EventSource?
    @ExplicitNull public var firstTimestamp: KubeTime?
    @ExplicitNull public var lastTimestamp: KubeTime?
    public var count: Int32?
    /// `Normal` or `Warning`.
    public var type: String?
    @ExplicitNull public var eventTime: MicroTime?
    public var series: EventSeries?
    public var action: String?
    public var related: ObjectReference?
    public var reportingComponent: String?
    public var reportingInstance: String?

    public init(
        metadata: ObjectMeta = ObjectMeta(), involvedObject: ObjectReference, reason: String? = nil,
        message: String? = nil, source: EventSource? = nil, firstTimestamp: KubeTime? = nil,
        lastTimestamp: KubeTime? = nil, count: Int32? = nil, type: String? = nil, eventTime: MicroTime? = nil,
        series: EventSeries? = nil, action: String? = nil, related: ObjectReference? = nil,
        reportingComponent: String? = nil, reportingInstance: String? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.involvedObject = involvedObject
        self.reason = reason
        self.message = message
        self.source = source
        self.firstTimestamp = firstTimestamp
        self.lastTimestamp = lastTimestamp
        self.count = count
        self.type = type
        self.eventTime = eventTime
        self.series = series
        self.action = action
        self.related = related
        self.reportingComponent = reportingComponent
        self.reportingInstance = reportingInstance
    }
}

/// `core/v1` EventSource: the component (and host) that reported an Event.
public struct EventSource: Codable, Sendable, Hashable {
    public var component: String?
    public var host: String?

    public init(component: String? = nil, host: String? = nil) {
        self.component = component
        self.host = host
    }
}

/// `core/v1` and `events.k8s.io/v1` EventSeries: a repeating event's count and last observation.
public struct EventSeries: Codable, Sendable, Hashable {
    public var count: Int32?
    public var lastObservedTime: MicroTime?

    public init(count: Int32? = nil, lastObservedTime: MicroTime? = nil) {
        self.count = count
        self.lastObservedTime = lastObservedTime
    }
}

/// `events.k8s.io/v1` Event: the current event shape (`regarding`, `note`, `reportingController`, a
/// MicroTime `eventTime`). The same stored object reads as a core/v1 ``Event`` through `/api/v1`.
public struct EventsV1Event: KubernetesResource, Hashable {
    public static let apiVersion = "events.k8s.io/v1"
    public static let kind = "Event"
    public static let resource = "events"
    public static let isNamespaced = true

    public var apiVersion: String?
    public var kind: String?
    @DefaultIfAbsent public var metadata: ObjectMeta
    /// Required by the server; exactly six fractional digits.
    @ExplicitNull public var eventTime: MicroTime?
    public var series: EventSeries?
    public var reportingController: String?
    public var reportingInstance: String?
    public var action: String?
    public var reason: String?
    public var regarding: ObjectReference?
    public var related: ObjectReference?
    public var note: String?
    /// `Normal` or `Warning`.
    public var type: String?
    public var deprecatedSource: EventSource?
    @ExplicitNull public var deprecatedFirstTimestamp: KubeTime?
    @ExplicitNull public var deprecatedLastTimestamp: KubeTime?
    public var deprecatedCount: Int32?

    public init(
        metadata: ObjectMeta = ObjectMeta(), eventTime: MicroTime?, series: EventSeries? = nil,
        reportingController: String? = nil, reportingInstance: String? = nil, action: String? = nil,
        reason: String? = nil, regarding: ObjectReference? = nil, related: ObjectReference? = nil,
        note: String? = nil, type: String? = nil, deprecatedSource: EventSource? = nil,
        deprecatedFirstTimestamp: KubeTime? = nil, deprecatedLastTimestamp: KubeTime? = nil,
        deprecatedCount: Int32? = nil
    ) {
        self.apiVersion = Self.apiVersion
        self.kind = Self.kind
        self.metadata = metadata
        self.eventTime = eventTime
        self.series = series
        self.reportingController = reportingController
        self.reportingInstance = reportingInstance
        self.action = action
        self.reason = reason
        self.regarding = regarding
        self.related = related
        self.note = note
        self.type = type
        self.deprecatedSource = deprecatedSource
        self.deprecatedFirstTimestamp = deprecatedFirstTimestamp
        self.deprecatedLastTimestamp = deprecatedLastTimestamp
        self.deprecatedCount = deprecatedCount
    }
}
