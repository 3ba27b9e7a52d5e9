import Foundation

/// Why a list file cannot be imported: every case names the file, and where there is one,
/// the line and the field. Nothing is appended when one is thrown.
public enum ImportError: Error, Equatable {
    /// A file that does not exist.
    case missingFile(path: String)
    /// A file that cannot be read (a directory, no permission, an I/O error).
    case unreadable(path: String, reason: String)
    /// A file that is not of the format named, or malformed, or whose content does not fit
    /// the contract (an unknown `SDN_Type`, a date that is not a date); `field` may be empty.
    case invalid(file: String, line: Int, field: String, reason: String)
    /// A snapshot older than the last one imported for the same list.
    case olderSnapshot(file: String, list: String, snapshot: String, last: String)
    /// The files given do not make one snapshot (no `sdn.csv`, a file named twice, an unknown name).
    case badFileSet(reason: String)
}

extension FileHandle {
    /// The file at `path` opened for reading, or the import error that names why it cannot be:
    /// missing (66), a directory or unreadable (74).
    static func forImport(_ path: String) throws(ImportError) -> FileHandle {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw .missingFile(path: path)
        }
        guard !isDirectory.boolValue else { throw .unreadable(path: path, reason: "is a directory") }
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw .unreadable(path: path, reason: "permission denied")
        }
        return handle
    }
}
