import Foundation

/// The API's OpenAPI 3 document (`Resources/openapi.json`, committed), served at `/v2/openapi.json`.
enum OpenAPIDocument {
    static let bytes: [UInt8] = {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let data = try? Data(contentsOf: url)
        else { return Array(#"{"openapi":"3.0.3","info":{"title":"Quiver control plane (document missing from the bundle)","version":"2"},"paths":{}}"#.utf8) }
        return Array(data)
    }()
}
