import Foundation

/// Finds a file or folder shipped in the module's `Resources` (copied as a folder, so it may sit in a
/// `Resources` subdirectory of the bundle or at its root depending on the platform).
enum BundledResource {
    static func url(_ name: String, extension ext: String?) throws -> URL {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Resources")
            ?? Bundle.module.url(forResource: name, withExtension: ext) else {
            throw ModelFile.ReadError.invalid("\(name)\(ext.map { ".\($0)" } ?? "") is missing from the OmbudText bundle")
        }
        return url
    }
}
