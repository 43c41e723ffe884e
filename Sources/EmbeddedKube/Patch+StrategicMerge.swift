import KubeModel

/// Kubernetes strategic merge patch for the built-in kinds: lists with a merge key (containers
/// and env by name, ports by containerPort or port, volumes by name, volumeMounts by mountPath, …)
/// are merged element by element; `$patch: replace|delete`, `$retainKeys`,
/// `$setElementOrder/<list>` and `$deleteFromPrimitiveList/<list>` directives are honoured.
extension Patch {
    /// The merge key of a list field, by field name; `nil` means the list is replaced as a whole.
    /// `"$primitive"` marks a list of scalars merged as a set.
    static func mergeKey(field: String, elements: [JSONValue]) -> String? {
        switch field {
        case "containers", "initContainers", "ephemeralContainers", "env", "volumes", "imagePullSecrets",
             "resourceClaims":
            return "name"
        case "ports":
            if elements.contains(where: { $0["containerPort"] != nil }) { return "containerPort" }
            if elements.contains(where: { $0["port"] != nil }) { return "port" }
            return "containerPort"
        case "volumeMounts": return "mountPath"
        case "volumeDevices": return "devicePath"
        case "ownerReferences": return "uid"
        case "conditions": return "type"
        case "hostAliases": return "ip"
        case "topologySpreadConstraints": return "topologyKey"
        case "finalizers": return "$primitive"
        default: return nil
        }
    }

    static func strategicMerge(_ original: JSONValue, _ patch: JSONValue) -> JSONValue {
        guard case .object(var patchObject) = patch else { return patch }
        if patchObject["$patch"]?.stringValue == "replace" {
            patchObject["$patch"] = nil
            return .object(patchObject)
        }
        var result: [String: JSONValue]
        if case .object(let o) = original { result = o } else { result = [:] }
        if patchObject["$patch"]?.stringValue == "delete" { return .object([:]) }
        patchObject["$patch"] = nil

        let retainKeys = patchObject.removeValue(forKey: "$retainKeys")?.arrayValue?.compactMap(\.stringValue)
        var orders: [String: [JSONValue]] = [:]
        var deletions: [String: [JSONValue]] = [:]
        for key in patchObject.keys {
            if key.hasPrefix("$setElementOrder/") {
                orders[String(key.dropFirst("$setElementOrder/".count))] = patchObject[key]?.arrayValue ?? []
            } else if key.hasPrefix("$deleteFromPrimitiveList/") {
                deletions[String(key.dropFirst("$deleteFromPrimitiveList/".count))] = patchObject[key]?.arrayValue ?? []
            }
        }
        for key in patchObject.keys where key.hasPrefix("$") { patchObject[key] = nil }

        for (key, value) in patchObject {
            if value.isNull {
                result[key] = nil
                continue
            }
            switch (result[key], value) {
            case (.object?, .object):
                let merged = strategicMerge(result[key]!, value)
                if case .object(let m) = merged, m.isEmpty, value["$patch"]?.stringValue == "delete" {
                    result[key] = nil
                } else {
                    result[key] = merged
                }
            case (.array(let existing)?, .array(let patchList)):
                result[key] = mergeList(field: key, existing, patchList)
            case (nil, .object):
                result[key] = strategicMerge(.object([:]), value)
            case (nil, .array(let patchList)):
                result[key] = mergeList(field: key, [], patchList)
            default:
                result[key] = value
            }
        }
        for (field, values) in deletions {
            if case .array(let list)? = result[field] {
                result[field] = .array(list.filter { !values.contains($0) })
            }
        }
        for (field, order) in orders {
            if case .array(let list)? = result[field] {
                result[field] = .array(applyOrder(field: field, list, order))
            }
        }
        if let retainKeys {
            result = result.filter { retainKeys.contains($0.key) }
        }
        return .object(result)
    }

    private static func mergeList(field: String, _ existing: [JSONValue], _ patch: [JSONValue]) -> JSONValue {
        let elements = existing + patch
        guard let key = mergeKey(field: field, elements: elements) else {
            // Replace, but honour an explicit `$patch: replace` marker element.
            return .array(patch.filter { $0["$patch"] == nil })
        }
        if key == "$primitive" {
            var out = existing
            for v in patch where !out.contains(v) { out.append(v) }
            return .array(out)
        }
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .array(patch.filter { $0["$patch"] == nil })
        }
        var out = existing
        for element in patch {
            let keyValue = element[key]
            let index = out.firstIndex { keyValue != nil && sameKey($0[key], keyValue) }
            if element["$patch"]?.stringValue == "delete" {
                if let index { out.remove(at: index) }
                continue
            }
            if let index {
                out[index] = strategicMerge(out[index], element)
            } else {
                out.append(strategicMerge(.object([:]), element))
            }
        }
        return .array(out)
    }

    private static func sameKey(_ a: JSONValue?, _ b: JSONValue?) -> Bool {
        guard let a, let b else { return false }
        if let x = a.intValue, let y = b.intValue { return x == y }
        return a == b
    }

    /// `$setElementOrder`: the patch's order for the listed elements; elements it does not list keep
    /// their relative place after them.
    private static func applyOrder(field: String, _ list: [JSONValue], _ order: [JSONValue]) -> [JSONValue] {
        guard let key = mergeKey(field: field, elements: list + order) else { return list }
        func rank(_ element: JSONValue) -> Int? {
            if key == "$primitive" { return order.firstIndex(of: element) }
            return order.firstIndex { sameKey($0[key], element[key]) }
        }
        let indexed = list.enumerated().map { (offset: $0.offset, element: $0.element, rank: rank($0.element)) }
        return indexed.sorted { a, b in
            switch (a.rank, b.rank) {
            case let (x?, y?): return x < y
            case (.some, nil): return true
            case (nil, .some): return false
            case (nil, nil): return a.offset < b.offset
            }
        }.map(\.element)
    }
}
