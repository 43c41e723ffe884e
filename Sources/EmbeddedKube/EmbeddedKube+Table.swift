import Foundation
import KubeModel

/// `meta.k8s.io/v1` Table output for `kubectl get`: the server computes the cells.
extension EmbeddedKube {
    static let nameColumn: JSONValue = [
        "name": "Name", "type": "string", "format": "name",
        "description": "Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names",
        "priority": 0,
    ]

    static let ageColumn = ResourceDescriptor.PrinterColumn(
        name: "Age", type: "string",
        description: "CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
        priority: 0, jsonPath: "#age")

    /// The columns after Name: a CRD's declared ones (or Age alone), or a built-in's with Age after
    /// its priority-0 columns.
    func columns(_ d: ResourceDescriptor) -> [ResourceDescriptor.PrinterColumn] {
        if d.isCustom {
            if d.printerColumns.isEmpty {
                return [.init(name: "Age", type: "date", description: Self.ageColumn.description, priority: 0, jsonPath: ".metadata.creationTimestamp")]
            }
            return d.printerColumns
        }
        if d.isCustomResourceDefinition {
            return d.printerColumns  // NAME, CREATED AT, as the real server shows CRDs
        }
        let primary = d.printerColumns.filter { $0.priority == 0 }
        let secondary = d.printerColumns.filter { $0.priority != 0 }
        return primary + [Self.ageColumn] + secondary
    }

    func tableDocument(
        descriptor d: ResourceDescriptor, objects: [JSONValue], includeColumns: Bool, resourceVersion: Int64?,
        continueToken: String?, remaining: Int?
    ) -> JSONValue {
        let columns = columns(d)
        var metadata: JSONValue = .emptyObject
        if let resourceVersion { metadata["resourceVersion"] = .string(String(resourceVersion)) }
        if let continueToken { metadata["continue"] = .string(continueToken) }
        if let remaining { metadata["remainingItemCount"] = .int(Int64(remaining)) }
        let definitions: JSONValue = includeColumns
            ? .array([Self.nameColumn] + columns.map { c in
                [
                    "name": .string(c.name), "type": .string(c.type), "format": .string(c.format ?? ""),
                    "description": .string(c.description), "priority": .int(Int64(c.priority)),
                ]
            })
            : .null
        let now = Date()
        let rows: [JSONValue] = objects.map { object in
            var cells: [JSONValue] = [object[path: ["metadata", "name"]] ?? .null]
            for c in columns { cells.append(cell(object, column: c, descriptor: d, now: now)) }
            var partial: JSONValue = ["kind": "PartialObjectMetadata", "apiVersion": "meta.k8s.io/v1"]
            partial["metadata"] = object["metadata"] ?? .emptyObject
            return ["cells": .array(cells), "object": partial]
        }
        return [
            "kind": "Table", "apiVersion": "meta.k8s.io/v1", "metadata": metadata,
            "columnDefinitions": definitions, "rows": .array(rows),
        ]
    }

    func tableResponse(descriptor: ResourceDescriptor, objects: [JSONValue], resourceVersion: Int64?, continueToken: String?, remaining: Int?) -> APIResponse {
        .json(tableDocument(
            descriptor: descriptor, objects: objects, includeColumns: true,
            resourceVersion: resourceVersion ?? store.currentResourceVersion, continueToken: continueToken, remaining: remaining))
    }

    private func cell(_ object: JSONValue, column: ResourceDescriptor.PrinterColumn, descriptor: ResourceDescriptor, now: Date) -> JSONValue {
        if column.jsonPath.hasPrefix("#") { return computedCell(object, column.jsonPath, now: now) }
        guard let value = JSONPath.evaluate(column.jsonPath, in: object) else { return .null }
        switch column.type {
        case "date":
            if let s = value.stringValue, let t = KubeTime(rfc3339: s) {
                return .string(Self.humanDuration(now.timeIntervalSince(t.date)))
            }
            return value
        case "integer":
            return value.intValue.map { .int($0) } ?? value
        case "string":
            switch value {
            case .string: return value
            case .object, .array: return .string(value.serializedString())
            case .int(let i): return .string(String(i))
            case .bool(let b): return .string(b ? "true" : "false")
            default: return value
            }
        default:
            return value
        }
    }

    private func computedCell(_ o: JSONValue, _ key: String, now: Date) -> JSONValue {
        func count(_ path: [String]) -> Int { o[path: path]?.objectValue?.count ?? o[path: path]?.arrayValue?.count ?? 0 }
        switch key {
        case "#age":
            guard let s = o[path: ["metadata", "creationTimestamp"]]?.stringValue, let t = KubeTime(rfc3339: s) else { return "<unknown>" }
            return .string(Self.humanDuration(now.timeIntervalSince(t.date)))
        case "#data-count":
            return .int(Int64(count(["data"]) + count(["binaryData"])))
        case "#secrets-count":
            return .int(Int64(count(["secrets"])))
        case "#external-ip":
            let ips = o[path: ["spec", "externalIPs"]]?.arrayValue?.compactMap(\.stringValue) ?? []
            if !ips.isEmpty { return .string(ips.joined(separator: ",")) }
            return o[path: ["spec", "type"]]?.stringValue == "LoadBalancer" ? "<pending>" : "<none>"
        case "#service-ports":
            let ports = (o[path: ["spec", "ports"]]?.arrayValue ?? []).map { p -> String in
                let port = p["port"]?.intValue.map(String.init) ?? "?"
                let proto = p["protocol"]?.stringValue ?? "TCP"
                if let node = p["nodePort"]?.intValue { return "\(port):\(node)/\(proto)" }
                return "\(port)/\(proto)"
            }
            return .string(ports.isEmpty ? "<none>" : ports.joined(separator: ","))
        case "#pod-ready":
            let total = o[path: ["spec", "containers"]]?.arrayValue?.count ?? 0
            let ready = (o[path: ["status", "containerStatuses"]]?.arrayValue ?? []).filter { $0["ready"]?.boolValue == true }.count
            return .string("\(ready)/\(total)")
        case "#pod-status":
            if o[path: ["metadata", "deletionTimestamp"]] != nil { return "Terminating" }
            return .string(o[path: ["status", "reason"]]?.stringValue ?? o[path: ["status", "phase"]]?.stringValue ?? "Pending")
        case "#pod-restarts":
            let restarts = (o[path: ["status", "containerStatuses"]]?.arrayValue ?? []).reduce(Int64(0)) { $0 + ($1["restartCount"]?.intValue ?? 0) }
            return .string(String(restarts))
        case "#deployment-ready":
            let ready = o[path: ["status", "readyReplicas"]]?.intValue ?? 0
            let want = o[path: ["spec", "replicas"]]?.intValue ?? 0
            return .string("\(ready)/\(want)")
        case "#containers":
            return .string((o[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }.joined(separator: ","))
        case "#images":
            return .string((o[path: ["spec", "template", "spec", "containers"]]?.arrayValue ?? []).compactMap { $0["image"]?.stringValue }.joined(separator: ","))
        case "#selector":
            return o[path: ["spec", "selector"]].flatMap { LabelSelector(object: $0) }.map { .string($0.description) } ?? .null
        case "#event-last-seen":
            let s = o["lastTimestamp"]?.stringValue ?? o["eventTime"]?.stringValue ?? o[path: ["metadata", "creationTimestamp"]]?.stringValue
            guard let s, let t = RFC3339.parse(s) else { return "<unknown>" }
            return .string(Self.humanDuration(now.timeIntervalSince1970 - Double(t.seconds)))
        case "#event-object":
            let kind = o[path: ["involvedObject", "kind"]]?.stringValue?.lowercased() ?? ""
            let name = o[path: ["involvedObject", "name"]]?.stringValue ?? ""
            return .string("\(kind)/\(name)")
        case "#hpa-reference":
            let kind = o[path: ["spec", "scaleTargetRef", "kind"]]?.stringValue ?? ""
            let name = o[path: ["spec", "scaleTargetRef", "name"]]?.stringValue ?? ""
            return .string("\(kind)/\(name)")
        case "#binding-role":
            let kind = o[path: ["roleRef", "kind"]]?.stringValue ?? ""
            let name = o[path: ["roleRef", "name"]]?.stringValue ?? ""
            return .string("\(kind)/\(name)")
        default:
            return .null
        }
    }

    /// kubectl's short age format (k8s.io/apimachinery/pkg/util/duration.HumanDuration).
    static func humanDuration(_ interval: TimeInterval) -> String {
        let seconds = Int(interval.rounded(.down))
        if seconds < -1 { return "<invalid>" }
        if seconds < 0 { return "0s" }
        if seconds < 60 * 2 { return "\(seconds)s" }
        let minutes = seconds / 60
        if minutes < 10 {
            let s = seconds % 60
            return s == 0 ? "\(minutes)m" : "\(minutes)m\(s)s"
        }
        if minutes < 60 * 3 { return "\(minutes)m" }
        let hours = minutes / 60
        if hours < 8 {
            let m = minutes % 60
            return m == 0 ? "\(hours)h" : "\(hours)h\(m)m"
        }
        if hours < 48 { return "\(hours)h" }
        if hours < 24 * 8 {
            let h = hours % 24
            return h == 0 ? "\(hours / 24)d" : "\(hours / 24)d\(h)h"
        }
        if hours < 24 * 365 * 2 { return "\(hours / 24)d" }
        if hours < 24 * 365 * 8 {
            let d = (hours / 24) % 365
            return d == 0 ? "\(hours / 24 / 365)y" : "\(hours / 24 / 365)y\(d)d"
        }
        return "\(hours / 24 / 365)y"
    }
}

/// The subset of JSONPath printer columns use: `.a.b`, `.a[0].b`, `.a[*].b`, and
/// `.a[?(@.type=="Ready")].status`.
enum JSONPath {
    static func evaluate(_ path: String, in object: JSONValue) -> JSONValue? {
        var text = path.trimming(" ")
        if text.hasPrefix("{") && text.hasSuffix("}") { text = String(text.dropFirst().dropLast()) }
        if text.hasPrefix("$") { text.removeFirst() }
        var current: [JSONValue] = [object]
        var i = text.startIndex
        while i < text.endIndex {
            let c = text[i]
            if c == "." {
                i = text.index(after: i)
                var j = i
                while j < text.endIndex, text[j] != ".", text[j] != "[" { j = text.index(after: j) }
                let key = String(text[i..<j])
                current = current.compactMap { $0[key] }
                i = j
            } else if c == "[" {
                guard let close = text[i...].firstIndex(of: "]") else { return nil }
                let inner = String(text[text.index(after: i)..<close])
                i = text.index(after: close)
                if inner == "*" {
                    current = current.flatMap { $0.arrayValue ?? [] }
                } else if let n = Int(inner) {
                    current = current.compactMap { v in
                        guard let a = v.arrayValue else { return nil }
                        let index = n < 0 ? a.count + n : n
                        return index >= 0 && index < a.count ? a[index] : nil
                    }
                } else if inner.hasPrefix("?(@."), inner.hasSuffix(")") {
                    let condition = inner.dropFirst(4).dropLast()
                    let parts = condition.components(separatedBy: "==")
                    guard parts.count == 2 else { return nil }
                    let field = parts[0].trimming(" ")
                    var want = parts[1].trimming(" ")
                    if want.hasPrefix("\"") || want.hasPrefix("'") { want = String(want.dropFirst().dropLast()) }
                    current = current.flatMap { v in
                        (v.arrayValue ?? []).filter { element in
                            guard let got = element[path: field.split(separator: ".").map(String.init)] else { return false }
                            if let s = got.stringValue { return s == want }
                            return got.serializedString() == want
                        }
                    }
                } else {
                    let key = inner.trimming("'").trimming("\"")
                    current = current.compactMap { $0[key] }
                }
            } else {
                return nil
            }
        }
        if current.isEmpty { return nil }
        if current.count == 1 { return current[0] }
        return .array(current)
    }
}
