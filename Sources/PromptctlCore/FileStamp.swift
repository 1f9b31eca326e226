import Foundation

/// What identifies a file's bytes without reading them: its device, inode, size and change times.
///
/// A process that asks for the same file several times (a run's suite checks, rubrics and guards each load the
/// clinical definition and its megabyte of learned model) reads and hashes it once while the stamp is unchanged.
/// The status-change time cannot be set back by a program, so any write, rename or replacement changes the stamp.
public struct FileStamp: Hashable, Sendable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: timespec
    let changed: timespec

    /// The stamp of the file at `path`, or nil when it cannot be examined (the reader then reports the error).
    public init?(path: String) {
        var status = stat()
        guard stat(path, &status) == 0 else { return nil }
        device = UInt64(status.st_dev)
        inode = UInt64(status.st_ino)
        size = Int64(status.st_size)
        modified = status.st_mtim
        changed = status.st_ctim
    }

    /// Whether the file was last changed long enough ago for the stamp to tell its bytes apart: file times tick
    /// at the kernel's clock (a few milliseconds), so two same-size writes within one tick look alike (git's
    /// "racy" entries). A stamp taken within two seconds of a change is not trusted.
    public var isSettled: Bool {
        var now = timespec()
        clock_gettime(CLOCK_REALTIME, &now)
        let latest = max(modified.tv_sec, changed.tv_sec)
        return now.tv_sec - latest >= 2
    }

    public static func == (lhs: FileStamp, rhs: FileStamp) -> Bool {
        lhs.device == rhs.device && lhs.inode == rhs.inode && lhs.size == rhs.size
            && lhs.modified.tv_sec == rhs.modified.tv_sec && lhs.modified.tv_nsec == rhs.modified.tv_nsec
            && lhs.changed.tv_sec == rhs.changed.tv_sec && lhs.changed.tv_nsec == rhs.changed.tv_nsec
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(inode)
        hasher.combine(size)
        hasher.combine(modified.tv_nsec)
    }
}
