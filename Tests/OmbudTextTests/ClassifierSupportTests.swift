import Foundation
import Testing
@testable import OmbudText

/// Where the shared public data sets are: $OMBUD_SHARED_DATA, else `<repo>/../shared/data`
/// (repo = the folder with Package.swift, found from this file's path).
enum TextModelTestData {
    static let repo: URL = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static var shared: URL? {
        var candidates: [URL] = []
        if let env = ProcessInfo.processInfo.environment["OMBUD_SHARED_DATA"], !env.isEmpty {
            candidates.append(URL(fileURLWithPath: env))
        }
        candidates.append(repo.appendingPathComponent("../shared/data").standardizedFileURL)
        // A dev package one level deeper (dev/<name>) sees the same shared folder two levels up.
        candidates.append(repo.appendingPathComponent("../../shared/data").standardizedFileURL)
        return candidates.first { FileManager.default.fileExists(atPath: $0.appendingPathComponent("banking77/train.csv").path) }
    }

    static func banking77() throws -> [LabeledText] {
        let url = try #require(shared, "shared data not found; set OMBUD_SHARED_DATA").appendingPathComponent("banking77/train.csv")
        return try CSVTable(data: Data(contentsOf: url)).labeledTexts(textColumn: "text", labelColumn: "category")
    }
}

@Test func sharedDataIsFound() throws {
    let rows = try TextModelTestData.banking77()
    #expect(rows.count == 10_003)
}
