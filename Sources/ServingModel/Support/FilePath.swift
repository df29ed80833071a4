/// Path arithmetic on strings, without Foundation's `NSString.deletingLastPathComponent`, which
/// traps on a one-character path on Linux (Swift 6.3: `servesim run x` crashed; found by the
/// option fuzzer).
public enum FilePath {
    /// The folder part of `path`, as `deletingLastPathComponent` defines it: "" for a bare name,
    /// "/" for a name at the root, trailing slashes ignored ("a/b/" -> "a").
    public static func folder(of path: String) -> String {
        var p = Substring(path)
        while p.count > 1, p.hasSuffix("/") { p = p.dropLast() }
        guard let slash = p.lastIndex(of: "/") else { return "" }
        var head = p[..<slash]
        while head.count > 1, head.hasSuffix("/") { head = head.dropLast() }
        return head.isEmpty ? "/" : String(head)
    }

    /// `folder(of:)`, or "." for a bare name: the folder to resolve, create or check paths in.
    public static func folderOrCurrent(of path: String) -> String {
        let folder = folder(of: path)
        return folder.isEmpty ? "." : folder
    }
}
