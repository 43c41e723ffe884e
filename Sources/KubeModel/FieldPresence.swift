/// An optional field that Go serializes without `omitempty` (a pointer, slice or `metav1.Time`), so the
/// API server writes `null` when it is unset, while clients usually leave such a field out.
/// Examples: core/v1 Event `eventTime`, CRD `status.conditions`, Table `columnDefinitions`.
///
/// The wrapper remembers which of the two forms it was decoded from, so that decoding and re-encoding
/// reproduces the input. A value made in code writes `null` when unset, as the API server does;
/// set `$field.omitsNull` to leave it out instead. Equality and hashing look only at the value.
@propertyWrapper
public struct ExplicitNull<Value> {
    public var wrappedValue: Value?
    /// When true and the value is `nil`, the key is left out of the encoded JSON rather than written as `null`.
    public var omitsNull: Bool

    public init(wrappedValue: Value?) {
        self.wrappedValue = wrappedValue
        self.omitsNull = false
    }

    public init(wrappedValue: Value?, omitsNull: Bool) {
        self.wrappedValue = wrappedValue
        self.omitsNull = omitsNull
    }

    public var projectedValue: ExplicitNull<Value> {
        get { self }
        set { self = newValue }
    }
}

extension ExplicitNull: Sendable where Value: Sendable {}

extension ExplicitNull: Equatable where Value: Equatable {
    public static func == (a: ExplicitNull, b: ExplicitNull) -> Bool { a.wrappedValue == b.wrappedValue }
}

extension ExplicitNull: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}

extension ExplicitNull: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self.init(wrappedValue: container.decodeNil() ? nil : try container.decode(Value.self))
    }
}

extension ExplicitNull: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        if let value = wrappedValue { try container.encode(value) } else { try container.encodeNil() }
    }
}

/// A non-optional field that the API server always sends but that requests may leave out:
/// `metadata` of review objects such as TokenReview or SubjectAccessReview.
///
/// A missing key decodes as `Value()` and, as long as the value is not changed, is left out again when
/// encoding. A value made in code, or changed after decoding, is always written. Equality and hashing
/// look only at the value.
@propertyWrapper
public struct DefaultIfAbsent<Value: EmptyInitializable> {
    public var wrappedValue: Value {
        didSet { isAbsent = false }
    }
    /// True while this holds the default for a key that was missing from the decoded JSON.
    public private(set) var isAbsent: Bool

    public init(wrappedValue: Value) {
        self.wrappedValue = wrappedValue
        self.isAbsent = false
    }

    init(absent: ()) {
        self.wrappedValue = Value()
        self.isAbsent = true
    }

    public var projectedValue: DefaultIfAbsent<Value> { self }
}

/// A type with an empty value, used by ``DefaultIfAbsent``.
public protocol EmptyInitializable {
    init()
}

extension ObjectMeta: EmptyInitializable {
    public init() { self.init(name: nil) }
}

extension DefaultIfAbsent: Sendable where Value: Sendable {}

extension DefaultIfAbsent: Equatable where Value: Equatable {
    public static func == (a: DefaultIfAbsent, b: DefaultIfAbsent) -> Bool { a.wrappedValue == b.wrappedValue }
}

extension DefaultIfAbsent: Hashable where Value: Hashable {
    public func hash(into hasher: inout Hasher) { hasher.combine(wrappedValue) }
}

extension DefaultIfAbsent: Decodable where Value: Decodable {
    public init(from decoder: any Decoder) throws {
        self.init(wrappedValue: try Value(from: decoder))
    }
}

extension DefaultIfAbsent: Encodable where Value: Encodable {
    public func encode(to encoder: any Encoder) throws {
        try wrappedValue.encode(to: encoder)
    }
}

// Synthesized Codable conformances call these more specific overloads for wrapped properties,
// which is what lets a wrapper tell a missing key from a `null` and leave a key out when encoding.
extension KeyedDecodingContainer {
    public func decode<Value: Decodable>(_ type: ExplicitNull<Value>.Type, forKey key: Key) throws -> ExplicitNull<Value> {
        guard contains(key) else { return ExplicitNull(wrappedValue: nil, omitsNull: true) }
        if try decodeNil(forKey: key) { return ExplicitNull(wrappedValue: nil) }
        return ExplicitNull(wrappedValue: try decode(Value.self, forKey: key))
    }

    public func decode<Value: Decodable>(_ type: DefaultIfAbsent<Value>.Type, forKey key: Key) throws -> DefaultIfAbsent<Value> {
        guard contains(key) else { return DefaultIfAbsent(absent: ()) }
        return DefaultIfAbsent(wrappedValue: try decode(Value.self, forKey: key))
    }
}

extension KeyedEncodingContainer {
    public mutating func encode<Value: Encodable>(_ value: ExplicitNull<Value>, forKey key: Key) throws {
        if let wrapped = value.wrappedValue {
            try encode(wrapped, forKey: key)
        } else if !value.omitsNull {
            try encodeNil(forKey: key)
        }
    }

    public mutating func encode<Value: Encodable>(_ value: DefaultIfAbsent<Value>, forKey key: Key) throws {
        guard !value.isAbsent else { return }
        try encode(value.wrappedValue, forKey: key)
    }
}
