import KubeModel

/// `metadata.managedFields`: one entry per manager, operation and subresource, listing the fields
/// (FieldsV1) it set. EmbeddedKube records which fields a write changed; it does not arbitrate
/// ownership (server-side apply is not served).
enum ManagedFields {
    static func entries(
        existing: JSONValue?, old: JSONValue?, new: JSONValue, manager: String, apiVersion: String,
        subresource: String?, time: KubeTime
    ) -> JSONValue {
        var list = existing?.arrayValue ?? []
        let fields = fieldSet(old: old, new: new, subresource: subresource)
        guard case .object(let f) = fields, !f.isEmpty else { return list.isEmpty ? .null : .array(list) }
        var entry: JSONValue = [
            "manager": .string(manager), "operation": "Update", "apiVersion": .string(apiVersion),
            "time": .string(time.rfc3339), "fieldsType": "FieldsV1", "fieldsV1": fields,
        ]
        if let subresource { entry["subresource"] = .string(subresource) }
        // The real server records no time for /scale writes.
        if subresource == "scale" { entry["time"] = nil }
        if let index = list.firstIndex(where: {
            $0["manager"]?.stringValue == manager && $0["operation"]?.stringValue == "Update"
                && $0["subresource"]?.stringValue == subresource
        }) {
            entry["fieldsV1"] = union(list[index]["fieldsV1"] ?? .emptyObject, fields)
            list[index] = entry
        } else {
            list.append(entry)
        }
        return .array(list)
    }

    /// The FieldsV1 set of what differs between `old` and `new` (all of `new` when there is no old).
    static func fieldSet(old: JSONValue?, new: JSONValue, subresource: String?) -> JSONValue {
        var out: [String: JSONValue] = [:]
        for (key, value) in new.objectValue ?? [:] {
            if key == "apiVersion" || key == "kind" { continue }
            if subresource == "status" && key != "status" { continue }
            if key == "metadata" {
                var meta: [String: JSONValue] = [:]
                for field in ["labels", "annotations", "finalizers", "ownerReferences"] {
                    guard let v = value[field], v != old?[path: ["metadata", field]] else { continue }
                    meta["f:" + field] = fields(of: v, old: old?[path: ["metadata", field]])
                }
                if !meta.isEmpty { out["f:metadata"] = .object(meta) }
                continue
            }
            if let o = old?[key], o == value { continue }
            out["f:" + key] = fields(of: value, old: old?[key])
        }
        return .object(out)
    }

    private static func fields(of value: JSONValue, old: JSONValue?) -> JSONValue {
        switch value {
        case .object(let o):
            var out: [String: JSONValue] = ["." : .emptyObject]
            for (k, v) in o where old?[k] != v {
                out["f:" + k] = fields(of: v, old: old?[k])
            }
            return .object(out)
        case .array(let a):
            var out: [String: JSONValue] = ["." : .emptyObject]
            for element in a {
                if let name = element["name"]?.stringValue {
                    let key: JSONValue = ["name": .string(name)]
                    out["k:" + key.serializedString()] = fields(of: element, old: nil)
                } else if case .object = element {
                    continue
                } else {
                    out["v:" + element.serializedString()] = .emptyObject
                }
            }
            return .object(out)
        default:
            return .emptyObject
        }
    }

    private static func union(_ a: JSONValue, _ b: JSONValue) -> JSONValue {
        guard case .object(var x) = a, case .object(let y) = b else { return b }
        for (k, v) in y { x[k] = x[k].map { union($0, v) } ?? v }
        return .object(x)
    }
}
