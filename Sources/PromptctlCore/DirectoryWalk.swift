import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The regular files under a folder, found with `readdir` and `stat` only.
///
/// Foundation's enumerator answers `isRegularFile` through the item's whole attribute set, which on Linux looks up
/// its owner's and group's names: two reads of `/etc/passwd` and `/etc/group` per file, most of the time a project
/// took to load. A folder that exists but cannot be read is an error, not an empty list.
public enum DirectoryWalk {
    /// Every regular file under `directory` (symbolic links to files included, linked folders not entered), sorted
    /// by path; hidden names are skipped when `skipHidden`. A missing `directory` has no files.
    public static func regularFiles(under directory: URL, skipHidden: Bool = true) throws -> [String] {
        var result: [String] = []
        var root = directory.path
        while root.count > 1 && root.hasSuffix("/") { root.removeLast() }
        try walk(root, isRoot: true, skipHidden: skipHidden, into: &result)
        return result.sorted()
    }

    private static func walk(_ folder: String, isRoot: Bool, skipHidden: Bool, into result: inout [String]) throws {
        guard let handle = opendir(folder) else {
            let code = errno
            if isRoot && code == ENOENT { return }
            throw PromptctlError(
                .config, "cannot read the folder \(folder): \(String(cString: strerror(code)))",
                remedy: "check the folder's permissions")
        }
        defer { closedir(handle) }
        while let entry = readdir(handle) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(cString: raw.bindMemory(to: CChar.self).baseAddress!)
            }
            if name == "." || name == ".." || (skipHidden && name.hasPrefix(".")) { continue }
            let path = folder + "/" + name
            switch Int32(entry.pointee.d_type) {
            case Int32(DT_REG): result.append(path)
            case Int32(DT_DIR): try walk(path, isRoot: false, skipHidden: skipHidden, into: &result)
            default:
                // A link, or a file system that does not say: `stat` follows the link. A linked folder is not entered
                // (a link back up would loop), as Foundation's enumerator did not.
                var status = stat()
                guard stat(path, &status) == 0 else { continue }
                if status.st_mode & S_IFMT == S_IFREG {
                    result.append(path)
                } else if status.st_mode & S_IFMT == S_IFDIR && Int32(entry.pointee.d_type) == Int32(DT_UNKNOWN) {
                    try walk(path, isRoot: false, skipHidden: skipHidden, into: &result)
                }
            }
        }
    }
}
