import EmbeddedKube
import KubeModel
import Testing

/// Server-side Table output for `kubectl get` (05-* transcripts).
@Suite("EmbeddedKube tables (05-* transcripts)")
struct TableTests {
    /// Column definitions as comparable values.
    func columns(_ table: JSONValue) -> [JSONValue] { table["columnDefinitions"]?.arrayValue ?? [] }

    func isAge(_ cell: JSONValue?) -> Bool {
        guard let text = cell?.stringValue, let unit = text.last else { return false }
        return "smhd".contains(unit) && text.dropLast().allSatisfy { $0.isNumber || "smhd".contains($0) }
    }

    @Test("widgets: Name plus the CRD's printer columns; cells computed by the server; rows carry PartialObjectMetadata")
    func widgetTable() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs()
            try await kube.createNamespace("demo")
            #expect(try await kube.post(widgetsPath, widget("w1", size: 7, color: "blue")).status == 201)
            #expect(try await kube.post(widgetsPath, widget("w3", size: 9, color: "red")).status == 201)

            let recorded = try Transcript.load("05-table-widgets")
            let response = try await kube.send(recorded)
            #expect(response.status == 200)
            let table = response.json
            #expect(table["kind"] == "Table")
            #expect(table["apiVersion"] == "meta.k8s.io/v1")
            #expect(columns(table) == columns(recorded.responseBody))
            let rows = table["rows"]?.arrayValue ?? []
            let recordedRows = recorded.responseBody["rows"]?.arrayValue ?? []
            #expect(rows.count == recordedRows.count)
            for (row, recordedRow) in zip(rows, recordedRows) {
                let cells = row["cells"]?.arrayValue ?? []
                #expect(Array(cells.prefix(3)) == Array((recordedRow["cells"]?.arrayValue ?? []).prefix(3)))
                #expect(isAge(cells.last), "age cell \(cells.last ?? .null)")
                #expect(row[path: ["object", "kind"]] == "PartialObjectMetadata")
                #expect(row[path: ["object", "apiVersion"]] == "meta.k8s.io/v1")
                #expect(row[path: ["object", "metadata", "uid"]] != nil)
            }
            #expect(resourceVersion(table) != nil)

            let single = try Transcript.load("05-table-widget-single")
            let one = try await kube.send(single)
            #expect(one.status == 200)
            #expect(columns(one.json) == columns(single.responseBody))
            #expect(one.json["rows"]?.arrayValue?.count == 1)
            #expect(one.json["rows"]?.arrayValue?.first?["cells"]?.arrayValue?.first == "w1")
        }
    }

    @Test("an empty pod list is a Table with the built-in pod columns and rows: []")
    func emptyPods() async throws {
        try await withEmbeddedKube { kube in
            try await kube.createNamespace("other")
            let recorded = try Transcript.load("05-table-pods-empty")
            let response = try await kube.send(recorded)
            #expect(response.status == 200)
            #expect(columns(response.json) == columns(recorded.responseBody))
            #expect(response.json["rows"] == .array([]), "rows is an empty array, not null")
        }
    }

    @Test("a CRD without printer columns gives Name and Age")
    func noPrinterColumns() async throws {
        try await withEmbeddedKube { kube in
            try await kube.installCRDs(gadgets: true)
            let recorded = try Transcript.load("05-table-gadgets-empty-no-printer-columns")
            let response = try await kube.send(recorded)
            #expect(response.status == 200)
            #expect(columns(response.json) == columns(recorded.responseBody))
            #expect(response.json["rows"] == .array([]))
        }
    }
}
