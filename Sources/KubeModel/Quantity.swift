/// `resource.Quantity`: a resource amount such as `"100m"`, `"64Mi"` or `"1.5"`.
///
/// Kept as the exact text the server sent, so it round-trips byte for byte; two quantities are equal
/// only if their text is (`"1Gi"` and `"1024Mi"` differ). A JSON number is accepted and stored as its text.
public struct Quantity: Codable, Sendable, Hashable, ExpressibleByStringLiteral, CustomStringConvertible {
    public var string: String

    public init(_ string: String) { self.string = string }
    public init(stringLiteral value: String) { self.string = value }

    public var description: String { string }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let s = try? container.decode(String.self) {
            string = s
        } else if let i = try? container.decode(Int64.self) {
            string = String(i)
        } else {
            let d = try container.decode(Double.self)
            string = "\(d)"
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(string)
    }
}
