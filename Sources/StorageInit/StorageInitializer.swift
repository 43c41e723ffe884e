import AsyncHTTPClient
import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Logging
import NIOCore
import NIOFoundationCompat

/// How `quiver storage-init` reaches object stores and the Hugging Face Hub. The executable fills
/// this from the environment the operator gives the init container.
public struct StorageInitConfiguration: Sendable {
    /// S3 endpoint, e.g. `https://s3.eu-central-1.amazonaws.com` or a MinIO URL; default AWS for `s3Region`.
    public var s3Endpoint: String?
    public var s3Region: String
    public var s3AccessKeyID: String?
    public var s3SecretAccessKey: String?
    public var s3SessionToken: String?
    public var huggingFaceEndpoint: String
    public var huggingFaceToken: String?
    /// Per-request timeout.
    public var timeout: TimeAmount

    public init(
        s3Endpoint: String? = nil, s3Region: String = "us-east-1", s3AccessKeyID: String? = nil, s3SecretAccessKey: String? = nil,
        s3SessionToken: String? = nil, huggingFaceEndpoint: String = "https://huggingface.co", huggingFaceToken: String? = nil,
        timeout: TimeAmount = .seconds(600)
    ) {
        self.s3Endpoint = s3Endpoint
        self.s3Region = s3Region
        self.s3AccessKeyID = s3AccessKeyID
        self.s3SecretAccessKey = s3SecretAccessKey
        self.s3SessionToken = s3SessionToken
        self.huggingFaceEndpoint = huggingFaceEndpoint
        self.huggingFaceToken = huggingFaceToken
        self.timeout = timeout
    }
}

/// Fetches a model into a directory: every object under an S3 prefix, every file of a Hugging Face
/// repository revision, one HTTP(S) file, or a local file or directory. Files land atomically
/// (written to a temporary name, then renamed); a file already there with the same size is kept,
/// so an interrupted init container resumes. Each file is logged with its size.
public struct StorageInitializer: Sendable {
    public let configuration: StorageInitConfiguration
    let logger: Logger

    public init(configuration: StorageInitConfiguration, logger: Logger = Logger(label: "quiver.storage-init")) {
        self.configuration = configuration
        self.logger = logger
    }

    public struct Summary: Sendable, Hashable {
        public var files: Int
        public var bytes: Int64
        public var skipped: Int
    }

    struct RemoteFile: Sendable {
        var url: String
        var relativePath: String
        var size: Int64?
        var headers: [(String, String)]
    }

    public func fetch(_ uri: StorageURI, into destination: String) async throws(StorageInitError) -> Summary {
        do {
            try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
        } catch {
            throw .io("cannot create \(destination): \(error.localizedDescription)")
        }
        if case .file(let path) = uri { return try copyLocal(path, to: destination) }
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: .init(redirectConfiguration: .follow(max: 10, allowCycles: false)))
        do {
            let files = try await list(uri, client: client)
            var summary = Summary(files: 0, bytes: 0, skipped: 0)
            for file in files {
                let target = try safeTarget(destination, file.relativePath)
                if let size = file.size, let attributes = try? FileManager.default.attributesOfItem(atPath: target),
                   (attributes[.size] as? NSNumber)?.int64Value == size {
                    summary.skipped += 1
                    logger.info("already present", metadata: ["file": "\(file.relativePath)", "bytes": "\(size)"])
                    continue
                }
                let written = try await download(file, to: target, client: client)
                summary.files += 1
                summary.bytes += written
                logger.info("fetched", metadata: ["file": "\(file.relativePath)", "bytes": "\(written)"])
            }
            try? await client.shutdown()
            return summary
        } catch let error as StorageInitError {
            try? await client.shutdown()
            throw error
        } catch {
            try? await client.shutdown()
            throw .transfer("\(error)")
        }
    }

    // MARK: Listing

    private func list(_ uri: StorageURI, client: HTTPClient) async throws -> [RemoteFile] {
        switch uri {
        case .s3(let bucket, let prefix): return try await listS3(bucket: bucket, prefix: prefix, client: client)
        case .huggingFace(let repository, let revision): return try await listHuggingFace(repository, revision, client: client)
        case .http(let url):
            let name = url.lastPathComponent.isEmpty ? "download" : url.lastPathComponent
            return [RemoteFile(url: url.absoluteString, relativePath: name, size: nil, headers: [])]
        case .file:
            return []
        }
    }

    private var s3Base: (scheme: String, host: String) {
        let endpoint = configuration.s3Endpoint ?? "https://s3.\(configuration.s3Region).amazonaws.com"
        let url = URL(string: endpoint.contains("://") ? endpoint : "https://" + endpoint)
        let host = (url?.host ?? endpoint) + (url?.port.map { ":\($0)" } ?? "")
        return (url?.scheme ?? "https", host)
    }

    private func s3Headers(path: String, query: [(String, String)]) -> [(String, String)] {
        guard let id = configuration.s3AccessKeyID, let secret = configuration.s3SecretAccessKey else { return [] }
        let signer = SigV4Signer(accessKeyID: id, secretAccessKey: secret, sessionToken: configuration.s3SessionToken, region: configuration.s3Region)
        return signer.headers(host: s3Base.host, path: path, query: query, amzDate: SigV4Signer.amzDate(Date()))
    }

    private func listS3(bucket: String, prefix: String, client: HTTPClient) async throws -> [RemoteFile] {
        var files: [RemoteFile] = []
        var token: String?
        let base = s3Base
        repeat {
            var query: [(String, String)] = [("list-type", "2"), ("prefix", prefix)]
            if let token { query.append(("continuation-token", token)) }
            let path = "/\(bucket)"
            let queryString = query.map { "\(SigV4Signer.encode($0.0))=\(SigV4Signer.encode($0.1))" }.joined(separator: "&")
            let body = try await get("\(base.scheme)://\(base.host)\(path)?\(queryString)", headers: s3Headers(path: path, query: query), client: client,
                                     what: "listing s3://\(bucket)/\(prefix)")
            let page = S3ListParser.parse(body)
            if let error = page.errorCode {
                throw StorageInitError.transfer("listing s3://\(bucket)/\(prefix): \(error)\(page.errorMessage.map { ": \($0)" } ?? "")")
            }
            for (key, size) in page.objects where !key.hasSuffix("/") {
                var relative = key.hasPrefix(prefix) ? String(key.dropFirst(prefix.count)) : key
                while relative.hasPrefix("/") { relative.removeFirst() }
                if relative.isEmpty { relative = (key as NSString).lastPathComponent }
                let objectPath = "/\(bucket)/\(key)"
                let encodedPath = objectPath.split(separator: "/", omittingEmptySubsequences: false).map { SigV4Signer.encode(String($0)) }.joined(separator: "/")
                files.append(RemoteFile(url: "\(base.scheme)://\(base.host)\(encodedPath)", relativePath: relative, size: size,
                                        headers: s3Headers(path: objectPath, query: [])))
            }
            token = page.isTruncated ? page.nextToken : nil
        } while token != nil
        if files.isEmpty {
            throw StorageInitError.notFound("no objects under s3://\(bucket)/\(prefix)")
        }
        return files
    }

    private func listHuggingFace(_ repository: String, _ revision: String, client: HTTPClient) async throws -> [RemoteFile] {
        let endpoint = configuration.huggingFaceEndpoint.hasSuffix("/") ? String(configuration.huggingFaceEndpoint.dropLast()) : configuration.huggingFaceEndpoint
        var headers: [(String, String)] = []
        if let token = configuration.huggingFaceToken { headers.append(("Authorization", "Bearer \(token)")) }
        let body = try await get("\(endpoint)/api/models/\(repository)/revision/\(revision)", headers: headers, client: client,
                                 what: "listing hf://\(repository)@\(revision)")
        guard let json = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
              let siblings = json["siblings"] as? [[String: Any]]
        else {
            throw StorageInitError.transfer("hf://\(repository)@\(revision): the Hub's answer has no file list")
        }
        return siblings.compactMap { $0["rfilename"] as? String }.map { name in
            RemoteFile(url: "\(endpoint)/\(repository)/resolve/\(revision)/\(name)", relativePath: name, size: nil, headers: headers)
        }
    }

    // MARK: Transfer

    private func get(_ url: String, headers: [(String, String)], client: HTTPClient, what: String) async throws -> [UInt8] {
        var request = HTTPClientRequest(url: url)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: configuration.timeout)
        let body = try await response.body.collect(upTo: 64 << 20)
        let bytes = Array(body.readableBytesView)
        guard (200..<300).contains(response.status.code) else {
            let text = String(decoding: bytes.prefix(300), as: UTF8.self)
            if response.status.code == 404 { throw StorageInitError.notFound("\(what): 404 \(text)") }
            throw StorageInitError.transfer("\(what): HTTP \(response.status.code) \(text)")
        }
        return bytes
    }

    private func download(_ file: RemoteFile, to target: String, client: HTTPClient) async throws -> Int64 {
        var request = HTTPClientRequest(url: file.url)
        for (name, value) in file.headers { request.headers.add(name: name, value: value) }
        let response = try await client.execute(request, timeout: configuration.timeout)
        guard (200..<300).contains(response.status.code) else {
            let body = try? await response.body.collect(upTo: 4096)
            let text = body.map { String(buffer: $0) } ?? ""
            throw StorageInitError.transfer("\(file.relativePath): HTTP \(response.status.code) \(text.prefix(300))")
        }
        try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        let temporary = target + ".quiver-partial"
        _ = FileManager.default.createFile(atPath: temporary, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: temporary) else {
            throw StorageInitError.io("cannot write \(temporary)")
        }
        var written: Int64 = 0
        do {
            for try await chunk in response.body {
                try handle.write(contentsOf: chunk.readableBytesView)
                written += Int64(chunk.readableBytes)
            }
            try handle.close()
        } catch {
            try? handle.close()
            try? FileManager.default.removeItem(atPath: temporary)
            throw StorageInitError.transfer("\(file.relativePath): \(error)")
        }
        if let expected = file.size, expected != written {
            try? FileManager.default.removeItem(atPath: temporary)
            throw StorageInitError.transfer("\(file.relativePath): got \(written) bytes, the store lists \(expected)")
        }
        _ = try? FileManager.default.removeItem(atPath: target)
        try FileManager.default.moveItem(atPath: temporary, toPath: target)
        return written
    }

    /// `destination/relative`, refusing paths that would leave the destination.
    func safeTarget(_ destination: String, _ relative: String) throws(StorageInitError) -> String {
        let parts = relative.split(separator: "/")
        if relative.hasPrefix("/") || parts.contains("..") || parts.isEmpty {
            throw .unsafePath("refusing to write \"\(relative)\" outside \(destination)")
        }
        return (destination as NSString).appendingPathComponent(parts.joined(separator: "/"))
    }

    private func copyLocal(_ path: String, to destination: String) throws(StorageInitError) -> Summary {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .notFound("file://\(path) does not exist")
        }
        var summary = Summary(files: 0, bytes: 0, skipped: 0)
        let files: [String]
        if isDirectory.boolValue {
            files = (FileManager.default.enumerator(atPath: path)?.allObjects as? [String] ?? []).filter { relative in
                var d: ObjCBool = false
                return FileManager.default.fileExists(atPath: (path as NSString).appendingPathComponent(relative), isDirectory: &d) && !d.boolValue
            }.sorted()
        } else {
            files = [""]
        }
        for relative in files {
            let source = relative.isEmpty ? path : (path as NSString).appendingPathComponent(relative)
            let target = try safeTarget(destination, relative.isEmpty ? (path as NSString).lastPathComponent : relative)
            do {
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
                _ = try? FileManager.default.removeItem(atPath: target)
                try FileManager.default.copyItem(atPath: source, toPath: target)
                let size = (try FileManager.default.attributesOfItem(atPath: target)[.size] as? NSNumber)?.int64Value ?? 0
                summary.files += 1
                summary.bytes += size
                logger.info("copied", metadata: ["file": "\(relative)", "bytes": "\(size)"])
            } catch {
                throw .io("copying \(source): \(error.localizedDescription)")
            }
        }
        return summary
    }
}

/// The parts of an S3 ListObjectsV2 answer we need.
enum S3ListParser {
    struct Page {
        var objects: [(String, Int64)] = []
        var isTruncated = false
        var nextToken: String?
        var errorCode: String?
        var errorMessage: String?
    }

    static func parse(_ bytes: [UInt8]) -> Page {
        let delegate = Delegate()
        let parser = XMLParser(data: Data(bytes))
        parser.delegate = delegate
        _ = parser.parse()
        return delegate.page
    }

    final class Delegate: NSObject, XMLParserDelegate {
        var page = Page()
        var text = ""
        var key: String?
        var size: Int64?

        func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
            text = ""
            if elementName == "Contents" {
                key = nil
                size = nil
            }
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) { text += string }

        func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
            switch elementName {
            case "Key": key = text
            case "Size": size = Int64(text)
            case "Contents": if let key { page.objects.append((key, size ?? 0)) }
            case "IsTruncated": page.isTruncated = text == "true"
            case "NextContinuationToken": page.nextToken = text
            case "Code": page.errorCode = text
            case "Message": page.errorMessage = text
            default: break
            }
        }
    }
}
