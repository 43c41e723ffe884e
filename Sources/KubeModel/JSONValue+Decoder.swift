import Foundation

/// A `Decoder` that reads a `JSONValue` tree directly. It decodes what `JSONDecoder` does, with its
/// default strategies (Data as base64, Date as seconds since 2001, URL from a string), and throws
/// the same kinds of `DecodingError`. It avoids serializing the tree and parsing it again, and a
/// `JSONValue` field inside the decoded type is taken as it is rather than probed type by type
/// (which, through `JSONDecoder`, costs a thrown error per probe).
struct JSONValueDecoder: Decoder {
    let value: JSONValue
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    init(_ value: JSONValue, codingPath: [any CodingKey] = []) {
        self.value = value
        self.codingPath = codingPath
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let members) = value else {
            throw JSONValueDecoder.mismatch([String: Any].self, value, codingPath)
        }
        return KeyedDecodingContainer(Keyed<Key>(members: members, codingPath: codingPath))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let elements) = value else {
            throw JSONValueDecoder.mismatch([Any].self, value, codingPath)
        }
        return Unkeyed(elements: elements, codingPath: codingPath)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(value: value, codingPath: codingPath) }

    // MARK: Values

    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "bool"
        case .int, .double: "number"
        case .string: "a string"
        case .array: "an array"
        case .object: "a dictionary"
        }
    }

    static func mismatch(_ type: Any.Type, _ value: JSONValue, _ path: [any CodingKey]) -> DecodingError {
        if value == .null {
            return .valueNotFound(type, .init(codingPath: path, debugDescription: "Cannot get value of type \(type) -- found null value instead"))
        }
        return .typeMismatch(type, .init(codingPath: path, debugDescription: "Expected to decode \(type) but found \(describe(value)) instead."))
    }

    /// Decodes one value at `path`: primitives and `JSONValue` directly, everything else through its
    /// `init(from:)` with a decoder for the value.
    static func decode<T: Decodable>(_ type: T.Type, from value: JSONValue, path: [any CodingKey]) throws -> T {
        if T.self == JSONValue.self { return value as! T }
        if T.self == String.self {
            guard case .string(let s) = value else { throw mismatch(T.self, value, path) }
            return s as! T
        }
        if T.self == Bool.self {
            guard case .bool(let b) = value else { throw mismatch(T.self, value, path) }
            return b as! T
        }
        if T.self == Double.self { return try double(value, path) as! T }
        if T.self == Float.self { return Float(try double(value, path)) as! T }
        if T.self == Int.self { return try integer(Int.self, value, path) as! T }
        if T.self == Int64.self { return try integer(Int64.self, value, path) as! T }
        if T.self == Int32.self { return try integer(Int32.self, value, path) as! T }
        if T.self == Int16.self { return try integer(Int16.self, value, path) as! T }
        if T.self == Int8.self { return try integer(Int8.self, value, path) as! T }
        if T.self == UInt.self { return try integer(UInt.self, value, path) as! T }
        if T.self == UInt64.self { return try integer(UInt64.self, value, path) as! T }
        if T.self == UInt32.self { return try integer(UInt32.self, value, path) as! T }
        if T.self == UInt16.self { return try integer(UInt16.self, value, path) as! T }
        if T.self == UInt8.self { return try integer(UInt8.self, value, path) as! T }
        if T.self == Data.self {
            guard case .string(let s) = value else { throw mismatch(T.self, value, path) }
            guard let data = Data(base64Encoded: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "Encountered Data is not valid Base64."))
            }
            return data as! T
        }
        if T.self == Date.self { return Date(timeIntervalSinceReferenceDate: try double(value, path)) as! T }
        if T.self == URL.self {
            guard case .string(let s) = value else { throw mismatch(T.self, value, path) }
            guard let url = URL(string: s) else {
                throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "Invalid URL string."))
            }
            return url as! T
        }
        return try T(from: JSONValueDecoder(value, codingPath: path))
    }

    static func double(_ value: JSONValue, _ path: [any CodingKey]) throws -> Double {
        switch value {
        case .double(let d): return d
        case .int(let i): return Double(i)
        default: throw mismatch(Double.self, value, path)
        }
    }

    static func integer<I: FixedWidthInteger>(_ type: I.Type, _ value: JSONValue, _ path: [any CodingKey]) throws -> I {
        let converted: I?
        switch value {
        case .int(let i): converted = I(exactly: i)
        case .double(let d): converted = I(exactly: d)
        default: throw mismatch(I.self, value, path)
        }
        guard let converted else {
            throw DecodingError.dataCorrupted(.init(codingPath: path, debugDescription: "Number \(value.serialized()) does not fit in \(I.self)."))
        }
        return converted
    }

    // MARK: Containers

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let members: [String: JSONValue]
        let codingPath: [any CodingKey]

        var allKeys: [Key] { members.keys.compactMap { Key(stringValue: $0) } }
        func contains(_ key: Key) -> Bool { members[key.stringValue] != nil }

        private func member(_ key: Key) throws -> JSONValue {
            guard let value = members[key.stringValue] else {
                throw DecodingError.keyNotFound(key, .init(
                    codingPath: codingPath, debugDescription: "No value associated with key \(key) (\"\(key.stringValue)\")."))
            }
            return value
        }

        func decodeNil(forKey key: Key) throws -> Bool { try member(key) == .null }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            try JSONValueDecoder.decode(T.self, from: member(key), path: codingPath + [key])
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            guard let value = members[key.stringValue], value != .null else { return nil }
            return try JSONValueDecoder.decode(T.self, from: value, path: codingPath + [key])
        }

        // The primitive requirements, all through the generic path.
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try JSONValueDecoder.decode(Bool.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try JSONValueDecoder.decode(String.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try JSONValueDecoder.decode(Double.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try JSONValueDecoder.decode(Float.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try JSONValueDecoder.decode(Int.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try JSONValueDecoder.decode(Int8.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try JSONValueDecoder.decode(Int16.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try JSONValueDecoder.decode(Int32.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try JSONValueDecoder.decode(Int64.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try JSONValueDecoder.decode(UInt.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try JSONValueDecoder.decode(UInt8.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try JSONValueDecoder.decode(UInt16.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try JSONValueDecoder.decode(UInt32.self, from: member(key), path: codingPath + [key]) }
        func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try JSONValueDecoder.decode(UInt64.self, from: member(key), path: codingPath + [key]) }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            try JSONValueDecoder(member(key), codingPath: codingPath + [key]).container(keyedBy: type)
        }

        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            try JSONValueDecoder(member(key), codingPath: codingPath + [key]).unkeyedContainer()
        }

        func superDecoder() throws -> any Decoder {
            JSONValueDecoder(members["super"] ?? .null, codingPath: codingPath + [IndexKey(stringValue: "super")])
        }

        func superDecoder(forKey key: Key) throws -> any Decoder {
            JSONValueDecoder(members[key.stringValue] ?? .null, codingPath: codingPath + [key])
        }
    }

    struct Unkeyed: UnkeyedDecodingContainer {
        let elements: [JSONValue]
        let codingPath: [any CodingKey]
        var currentIndex = 0

        init(elements: [JSONValue], codingPath: [any CodingKey]) {
            self.elements = elements
            self.codingPath = codingPath
        }

        var count: Int? { elements.count }
        var isAtEnd: Bool { currentIndex >= elements.count }
        private var indexKey: IndexKey { IndexKey(intValue: currentIndex) }

        private func next(_ type: Any.Type) throws -> JSONValue {
            guard !isAtEnd else {
                throw DecodingError.valueNotFound(type, .init(
                    codingPath: codingPath + [indexKey], debugDescription: "Unkeyed container is at end."))
            }
            return elements[currentIndex]
        }

        mutating func decodeNil() throws -> Bool {
            guard try next(Any?.self) == .null else { return false }
            currentIndex += 1
            return true
        }

        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try decode(as: T.self) }

        mutating func decode(_ type: Bool.Type) throws -> Bool { try decode(as: Bool.self) }
        mutating func decode(_ type: String.Type) throws -> String { try decode(as: String.self) }
        mutating func decode(_ type: Double.Type) throws -> Double { try decode(as: Double.self) }
        mutating func decode(_ type: Float.Type) throws -> Float { try decode(as: Float.self) }
        mutating func decode(_ type: Int.Type) throws -> Int { try decode(as: Int.self) }
        mutating func decode(_ type: Int8.Type) throws -> Int8 { try decode(as: Int8.self) }
        mutating func decode(_ type: Int16.Type) throws -> Int16 { try decode(as: Int16.self) }
        mutating func decode(_ type: Int32.Type) throws -> Int32 { try decode(as: Int32.self) }
        mutating func decode(_ type: Int64.Type) throws -> Int64 { try decode(as: Int64.self) }
        mutating func decode(_ type: UInt.Type) throws -> UInt { try decode(as: UInt.self) }
        mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try decode(as: UInt8.self) }
        mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try decode(as: UInt16.self) }
        mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try decode(as: UInt32.self) }
        mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try decode(as: UInt64.self) }

        private mutating func decode<T: Decodable>(as type: T.Type) throws -> T {
            let value = try JSONValueDecoder.decode(T.self, from: next(T.self), path: codingPath + [indexKey])
            currentIndex += 1
            return value
        }

        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            let container = try JSONValueDecoder(next(type), codingPath: codingPath + [indexKey]).container(keyedBy: type)
            currentIndex += 1
            return container
        }

        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            let container = try JSONValueDecoder(next([Any].self), codingPath: codingPath + [indexKey]).unkeyedContainer()
            currentIndex += 1
            return container
        }

        mutating func superDecoder() throws -> any Decoder {
            let decoder = JSONValueDecoder(try next(Any.self), codingPath: codingPath + [indexKey])
            currentIndex += 1
            return decoder
        }
    }

    struct Single: SingleValueDecodingContainer {
        let value: JSONValue
        let codingPath: [any CodingKey]

        func decodeNil() -> Bool { value == .null }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            try JSONValueDecoder.decode(T.self, from: value, path: codingPath)
        }

        func decode(_ type: Bool.Type) throws -> Bool { try JSONValueDecoder.decode(Bool.self, from: value, path: codingPath) }
        func decode(_ type: String.Type) throws -> String { try JSONValueDecoder.decode(String.self, from: value, path: codingPath) }
        func decode(_ type: Double.Type) throws -> Double { try JSONValueDecoder.decode(Double.self, from: value, path: codingPath) }
        func decode(_ type: Float.Type) throws -> Float { try JSONValueDecoder.decode(Float.self, from: value, path: codingPath) }
        func decode(_ type: Int.Type) throws -> Int { try JSONValueDecoder.decode(Int.self, from: value, path: codingPath) }
        func decode(_ type: Int8.Type) throws -> Int8 { try JSONValueDecoder.decode(Int8.self, from: value, path: codingPath) }
        func decode(_ type: Int16.Type) throws -> Int16 { try JSONValueDecoder.decode(Int16.self, from: value, path: codingPath) }
        func decode(_ type: Int32.Type) throws -> Int32 { try JSONValueDecoder.decode(Int32.self, from: value, path: codingPath) }
        func decode(_ type: Int64.Type) throws -> Int64 { try JSONValueDecoder.decode(Int64.self, from: value, path: codingPath) }
        func decode(_ type: UInt.Type) throws -> UInt { try JSONValueDecoder.decode(UInt.self, from: value, path: codingPath) }
        func decode(_ type: UInt8.Type) throws -> UInt8 { try JSONValueDecoder.decode(UInt8.self, from: value, path: codingPath) }
        func decode(_ type: UInt16.Type) throws -> UInt16 { try JSONValueDecoder.decode(UInt16.self, from: value, path: codingPath) }
        func decode(_ type: UInt32.Type) throws -> UInt32 { try JSONValueDecoder.decode(UInt32.self, from: value, path: codingPath) }
        func decode(_ type: UInt64.Type) throws -> UInt64 { try JSONValueDecoder.decode(UInt64.self, from: value, path: codingPath) }
    }

    struct IndexKey: CodingKey {
        let stringValue: String
        let intValue: Int?
        init(stringValue: String) {
            self.stringValue = stringValue
            self.intValue = nil
        }
        init(intValue: Int) {
            self.stringValue = "Index \(intValue)"
            self.intValue = intValue
        }
    }
}
