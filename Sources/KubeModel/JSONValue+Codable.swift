import Foundation

extension JSONValue {
    /// The JSON form of any `Encodable` value.
    public init(encoding value: some Encodable) throws {
        let data = try JSONEncoder().encode(value)
        do {
            self = try JSONValue(parsing: data)
        } catch {
            throw error
        }
    }

    /// Decodes this JSON as `T`, the way `JSONDecoder` would decode its serialization.
    public func decode<T: Decodable>(as type: T.Type = T.self) throws -> T {
        try JSONValueDecoder.decode(T.self, from: self, path: [])
    }
}
