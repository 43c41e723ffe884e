import HTTPTypes
import Hummingbird
import NIOCore

/// A complete answer: status, headers and a body already in one buffer. The router sends it as
/// a hummingbird `Response`; ``EmbeddingFastPath`` writes it to the channel itself.
struct Reply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: ByteBuffer

    var response: Response {
        Response(status: status, headers: headers, body: .init(byteBuffer: body))
    }
}
