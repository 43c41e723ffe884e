import KubeModel

/// Versions of one stored resource that are served in another version too: requests in that
/// version are converted to the stored form on the way in and back on the way out.
enum Conversion: Sendable, Hashable {
    /// events.k8s.io/v1 Events, stored as core/v1 (Conversion+Events.swift).
    case eventsV1
    /// autoscaling/v1 HorizontalPodAutoscalers, stored as autoscaling/v2 (Conversion+Autoscaling.swift).
    case autoscalingV1

    /// The request's version → the stored form.
    func toStored(_ value: JSONValue) -> JSONValue {
        switch self {
        case .eventsV1: Self.eventsV1ToStored(value)
        case .autoscalingV1: Self.autoscalingV1ToV2(value)
        }
    }

    /// The stored form → this version.
    func toExternal(_ value: JSONValue) -> JSONValue {
        switch self {
        case .eventsV1: Self.storedToEventsV1(value)
        case .autoscalingV1: Self.autoscalingV2ToV1(value)
        }
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
