import KubeModel

/// Versions of one stored resource. events.k8s.io/v1 Events are stored as core/v1 Events (as the
/// real server does), so either API reads what the other wrote; the fields map one to one.
enum Conversion: Sendable, Hashable {
    case eventsV1
    /// autoscaling/v1 HorizontalPodAutoscalers, stored as autoscaling/v2 (see Conversion+Autoscaling.swift).
    case autoscalingV1

    /// (events.k8s.io/v1 name, core/v1 name)
    private static let eventFields: [(String, String)] = [
        ("regarding", "involvedObject"), ("note", "message"), ("reportingController", "reportingComponent"),
        ("deprecatedSource", "source"), ("deprecatedFirstTimestamp", "firstTimestamp"),
        ("deprecatedLastTimestamp", "lastTimestamp"), ("deprecatedCount", "count"),
    ]

    /// The request's version → the stored (core/v1) form.
    func toStored(_ value: JSONValue) -> JSONValue {
        if self == .autoscalingV1 { return Self.autoscalingV1ToV2(value) }
        guard case .object(var o) = value else { return value }
        for (external, stored) in Self.eventFields {
            let v = o.removeValue(forKey: external)
            if let v { o[stored] = v }
        }
        o["apiVersion"] = "v1"
        if o["source"] == nil { o["source"] = .emptyObject }
        if o["firstTimestamp"] == nil { o["firstTimestamp"] = .null }
        if o["lastTimestamp"] == nil { o["lastTimestamp"] = .null }
        return .object(o)
    }

    /// The stored (core/v1) form → this version, with the members the real server always writes.
    func toExternal(_ value: JSONValue) -> JSONValue {
        if self == .autoscalingV1 { return Self.autoscalingV2ToV1(value) }
        guard case .object(var o) = value else { return value }
        for (external, stored) in Self.eventFields {
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

extension EmbeddedKube {
    func external(_ stored: JSONValue, _ d: ResourceDescriptor) -> JSONValue {
        d.conversion?.toExternal(stored) ?? stored
    }

    func toStored(_ value: JSONValue, _ d: ResourceDescriptor) -> JSONValue {
        d.conversion?.toStored(value) ?? value
    }

    /// What a client of this version reads for a stored object.
    func externalBytes(_ stored: StoredObject, _ d: ResourceDescriptor) -> [UInt8] {
        guard let conversion = d.conversion else { return stored.bytes }
        return conversion.toExternal(stored.value).serialized()
    }
}
