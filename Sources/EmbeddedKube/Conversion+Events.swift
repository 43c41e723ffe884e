import KubeModel

/// events.k8s.io/v1 Events are stored as core/v1 Events (as the real server does), so either API
/// reads what the other wrote; the fields map one to one.
extension Conversion {
    /// (events.k8s.io/v1 name, core/v1 name)
    private static let eventFields: [(String, String)] = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    /// events.k8s.io/v1 → the stored (core/v1) form.
    static func eventsV1ToStored(_ value: JSONValue) -> JSONValue {
        guard case .object(var o) = value else { return value }
        for (external, stored) in eventFields {
            let v = o.removeValue(forKey: external)
            if let v { o[stored] = v }
        }
        o["apiVersion"] = "v1"
        if o["source"] == nil { o["source"] = .emptyObject }
        if o["firstTimestamp"] == nil { o["firstTimestamp"] = .null }
        if o["lastTimestamp"] == nil { o["lastTimestamp"] = .null }
        return .object(o)
    }

    /// The stored (core/v1) form → events.k8s.io/v1, with the members the real server always writes.
    static func storedToEventsV1(_ value: JSONValue) -> JSONValue {
        guard case .object(var o) = value else { return value }
        for (external, stored) in eventFields {
            let v = o.removeValue(forKey: stored)
            if let v { o[external] = v }
        }
        o["apiVersion"] = "events.k8s.io/v1"
        if o["deprecatedSource"] == nil { o["deprecatedSource"] = .emptyObject }
        if o["deprecatedFirstTimestamp"] == nil { o["deprecatedFirstTimestamp"] = .null }
        if o["deprecatedLastTimestamp"] == nil { o["deprecatedLastTimestamp"] = .null }
        o["eventTime"] = o["eventTime"] ?? .null
        if o["reportingInstance"]?.stringValue == "" { o["reportingInstance"] = nil }
        if o["reportingController"]?.stringValue == "" { o["reportingController"] = nil }
        return .object(o)
    }
}
