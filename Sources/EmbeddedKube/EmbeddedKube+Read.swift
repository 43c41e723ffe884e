import Foundation
import KubeModel

/// GET of one object, lists (selectors, limit/continue, resourceVersion semantics) and watches.
extension EmbeddedKube {
    func objectKey(namespace: String?, name: String) -> String {
        if let namespace { return "\(namespace)/\(name)" }
        return name
    }

    func get(_ request: APIRequest, target: Target) throws -> APIResponse {
        guard let name = target.name else { throw APIServerError.pathNotFound() }
        let d = target.descriptor
        guard let stored = store.get(d.storageKey, key: objectKey(namespace: target.namespace, name: name)) else {
            throw APIServerError.notFound(d.groupResource, name: name)
        }
        if target.subresource == "scale" {
            return .json(try scaleObject(stored.value, descriptor: d))
        }
        if request.wantsTable {
            return tableResponse(descriptor: d, objects: [external(stored.value, d)], resourceVersion: nil, continueToken: nil, remaining: nil)
        }
        return .rawJSON(externalBytes(stored, d))
    }

    struct ContinueToken {
        var resourceVersion: Int64
        var start: String

        init(resourceVersion: Int64, start: String) {
            self.resourceVersion = resourceVersion
            self.start = start
        }

        init(parsing text: String) throws {
            var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
            while base64.count % 4 != 0 { base64 += "=" }
            guard let data = Data(base64Encoded: base64), let value = try? JSONValue(parsing: [UInt8](data)),
                  let rv = value["rv"]?.intValue, let start = value["start"]?.stringValue
            else {
                throw APIServerError.badRequest("continue key is not valid: illegal base64 data at input byte 0")
            }
            self.resourceVersion = rv
            self.start = start.trimming("\u{0}")  // the real server's token ends its start key with NUL
        }

        var encoded: String {
            let value: JSONValue = ["v": "meta.k8s.io/v1", "rv": .int(resourceVersion), "start": .string(start + "\u{0}")]
            return Data(value.serialized()).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
                .replacingOccurrences(of: "=", with: "")
        }
    }

    func selectors(_ request: APIRequest, descriptor: ResourceDescriptor) throws -> (LabelSelector, FieldSelector) {
        let labels = try request.query["labelSelector"].map { try LabelSelector(parsing: $0) } ?? .everything
        let fields = try request.query["fieldSelector"].map { try FieldSelector(parsing: $0, descriptor: descriptor) } ?? .everything
        return (labels, fields)
    }

    func list(_ request: APIRequest, target: Target) throws -> APIResponse {
        let d = target.descriptor
        let (labels, fields) = try selectors(request, descriptor: d)
        if let rv = request.query["resourceVersion"], !rv.isEmpty, rv != "0" {
            guard let value = Int64(rv) else {
                throw APIServerError.badRequest("resourceVersion: Invalid value: \"\(rv)\": must be a non-negative integer")
            }
            if request.query["resourceVersionMatch"] == "Exact" && value < store.oldestWatchableResourceVersion {
                throw APIServerError.expired("The resourceVersion for the provided list is too old.")
            }
        }
        var limit = 0
        if let l = request.query["limit"], let n = Int(l), n > 0 { limit = n }
        var startAfter: String?
        if let token = request.query["continue"], !token.isEmpty {
            startAfter = try ContinueToken(parsing: token).start
        }
        let (all, listRV) = store.list(d.storageKey, namespace: target.namespace)
        var items: [StoredObject] = []
        var nextStart: String?
        var remaining = 0
        for (key, object) in all {
            if let startAfter, key <= startAfter { continue }
            if !labels.isEmpty && !labels.matches(object: object.value) { continue }
            if !fields.isEmpty && !fields.matches(object: object.value) { continue }
            if limit > 0 && items.count >= limit {
                remaining += 1
                continue
            }
            items.append(object)
            if limit > 0 && items.count == limit { nextStart = key }
        }
        let continueToken = remaining > 0 ? nextStart.map { ContinueToken(resourceVersion: listRV, start: $0).encoded } : nil
        if request.wantsTable {
            return tableResponse(
                descriptor: d, objects: items.map { external($0.value, d) }, resourceVersion: listRV, continueToken: continueToken,
                remaining: remaining > 0 ? remaining : nil)
        }
        // Assemble the list from the stored bytes: no re-serialization of the items.
        var metadata: JSONValue = ["resourceVersion": .string(String(listRV)), "continue": .string(continueToken ?? "")]
        if remaining > 0 { metadata["remainingItemCount"] = .int(Int64(remaining)) }
        var out: [UInt8] = []
        out.reserveCapacity(items.reduce(256) { $0 + $1.bytes.count + 1 })
        out.append(contentsOf: Array("{\"apiVersion\":".utf8))
        JSONValue.string(d.apiVersion).write(to: &out)
        out.append(contentsOf: Array(",\"items\":[".utf8))
        for (i, item) in items.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            out.append(contentsOf: externalBytes(item, d))
        }
        out.append(contentsOf: Array("],\"kind\":".utf8))
        JSONValue.string(d.listKind).write(to: &out)
        out.append(contentsOf: Array(",\"metadata\":".utf8))
        metadata.write(to: &out)
        out.append(UInt8(ascii: "}"))
        return .rawJSON(out)
    }

    func watch(_ request: APIRequest, target: Target) throws -> APIResponse {
        let d = target.descriptor
        let (labels, parsedFields) = try selectors(request, descriptor: d)
        var fields = parsedFields
        if let name = target.name {
            // GET .../{name}?watch=true watches one object.
            fields.requirements.append(.init(field: "metadata.name", value: name, negated: false))
        }
        let fieldSelector = fields
        let allowBookmarks = request.queryBool("allowWatchBookmarks")
        let sendInitialEvents = request.query["sendInitialEvents"] == "true"
        let rvText = request.query["resourceVersion"] ?? ""
        let start: ObjectStore.WatchStart
        if sendInitialEvents || rvText.isEmpty || rvText == "0" {
            start = .currentState
        } else if let rv = Int64(rvText) {
            start = .after(rv)
        } else {
            throw APIServerError.badRequest("resourceVersion: Invalid value: \"\(rvText)\": must be a non-negative integer")
        }
        var timeout = Double(configuration.defaultWatchTimeoutSeconds)
        if let t = request.query["timeoutSeconds"], let seconds = Double(t), seconds > 0 { timeout = seconds }
        let table = request.wantsTable
        let subscription: ObjectStore.Subscription
        do {
            subscription = try store.subscribe(d.storageKey, namespace: target.namespace, from: start)
        } catch let error as APIServerError {
            // A too-old resourceVersion: HTTP 200 and one ERROR event, as the real server answers.
            let line: JSONValue = ["type": "ERROR", "object": error.statusJSON]
            var bytes = line.serialized()
            bytes.append(0x0A)
            return APIResponse(status: 200, body: .stream(WatchStream.finished(bytes)))
        }
        let announceInitialEnd = allowBookmarks && (sendInitialEvents || rvText.isEmpty || rvText == "0")
        let bookmarkInterval = configuration.bookmarkIntervalSeconds
        let stream = WatchStream.make(
            subscription: subscription, timeout: timeout, bookmarkInterval: allowBookmarks ? bookmarkInterval : nil,
            preTimeoutBookmark: !announceInitialEnd, store: store
        ) { [self] in
            var first = true
            func format(_ type: WatchEventType, _ storedObject: JSONValue) -> [UInt8] {
                let object = external(storedObject, d)
                var out: [UInt8]
                if table {
                    let rv = object[path: ["metadata", "resourceVersion"]]?.stringValue.flatMap { Int64($0) }
                    let t = tableDocument(descriptor: d, objects: [object], includeColumns: first, resourceVersion: rv, continueToken: nil, remaining: nil)
                    first = false
                    out = (["type": .string(type.rawValue), "object": t] as JSONValue).serialized()
                } else {
                    out = Array("{\"type\":\"\(type.rawValue)\",\"object\":".utf8)
                    object.write(to: &out)
                    out.append(UInt8(ascii: "}"))
                }
                out.append(0x0A)
                return out
            }
            func matches(_ object: JSONValue?) -> Bool {
                guard let object else { return false }
                return labels.matches(object: object) && fieldSelector.matches(object: object)
            }
            return { signal in
                switch signal {
                case .record(let record):
                    let now = matches(record.object)
                    let before = matches(record.previous)
                    switch record.type {
                    case .added:
                        return now ? [format(.added, record.object)] : []
                    case .modified:
                        if now && before { return [format(.modified, record.object)] }
                        if now { return [format(.added, record.object)] }
                        if before { return [format(.deleted, record.object)] }
                        return []
                    case .deleted:
                        return (before || now) ? [format(.deleted, record.object)] : []
                    default:
                        return []
                    }
                case .tick(let rv):
                    if table { return [] }
                    let bookmark: JSONValue = [
                        "type": "BOOKMARK",
                        "object": ["apiVersion": .string(d.apiVersion), "kind": .string(d.kind), "metadata": ["resourceVersion": .string(String(rv))]],
                    ]
                    var out = bookmark.serialized()
                    out.append(0x0A)
                    return [out]
                case .end:
                    return []
                }
            }
        } initialEnd: { rv in
            guard announceInitialEnd else { return nil }
            let bookmark: JSONValue = [
                "type": "BOOKMARK",
                "object": [
                    "apiVersion": .string(d.apiVersion), "kind": .string(d.kind),
                    "metadata": ["resourceVersion": .string(String(rv)), "annotations": ["k8s.io/initial-events-end": "true"]],
                ],
            ]
            var out = bookmark.serialized()
            out.append(0x0A)
            return out
        }
        return APIResponse(status: 200, body: .stream(stream))
    }
}
